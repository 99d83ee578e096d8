"""Turning a population into proposals: seeds, then parents + operators.

Work is planned first (operator, parents and a private RNG per slot, all drawn from
the engine's generator in order) and executed second, so classical and model-backed
operators give the same proposals whatever order their results arrive in.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from evo.errors import EvoError
from evo.problem import Problem, implements
from evo.records import Candidate, Genome, canonical_json
from evo.selection.base import Member, Selector
from evo.variation.base import Operator, VariationContext


@dataclass
class Plan:
    """One planned variation: an operator, its parents and its private RNG."""

    operator: Operator
    parents: list[Member]
    island: int
    rng: np.random.Generator


@dataclass
class Outcome:
    """What executing the plans gave, with failures counted by operator."""

    results: list[tuple[Plan, list[Genome]]] = field(default_factory=list)
    failures: dict[str, list[str]] = field(default_factory=dict)


def spawn(rng: np.random.Generator) -> np.random.Generator:
    """A generator seeded from ``rng`` (one draw)."""
    return np.random.default_rng(int(rng.integers(2**63)))


def plan(
    islands: Sequence[Sequence[Member]],
    quotas: Sequence[int],
    operators: Sequence[tuple[Operator, float]],
    selector: Selector,
    rng: np.random.Generator,
) -> list[Plan]:
    """Plan ``quotas[i]`` variations for island ``i``."""
    weights = np.array([w for _, w in operators], dtype=float)
    weights /= weights.sum()
    plans = []
    for index, (island, quota) in enumerate(zip(islands, quotas, strict=True)):
        pool = [m for m in island if m.evaluation.ok] or list(island)
        if not pool:
            continue
        for _ in range(quota):
            operator = operators[int(rng.choice(len(operators), p=weights))][0]
            parents = selector.select(pool, operator.arity, rng)
            plans.append(Plan(operator, parents, index, spawn(rng)))
    return plans


def execute(
    plans: Sequence[Plan],
    context: Callable[[Plan], VariationContext],
) -> Outcome:
    """Run every plan; coroutine operators run concurrently, exceptions are counted."""
    outcome = Outcome()
    slots: list[list[Genome] | BaseException | None] = [None] * len(plans)
    pending = []
    for i, p in enumerate(plans):
        if inspect.iscoroutinefunction(p.operator.propose):
            pending.append(i)
            continue
        try:
            slots[i] = list(p.operator.propose(p.parents, context(p)))
        except Exception as exc:
            slots[i] = exc
    if pending:

        async def gather() -> list:
            calls = [
                plans[i].operator.propose(plans[i].parents, context(plans[i])) for i in pending
            ]
            return await asyncio.gather(*calls, return_exceptions=True)

        for i, result in zip(pending, asyncio.run(gather()), strict=True):
            slots[i] = result if isinstance(result, BaseException) else list(result)
    for p, result in zip(plans, slots, strict=True):
        if isinstance(result, BaseException):
            reason = f"{type(result).__name__}: {result}"
            outcome.failures.setdefault(p.operator.name, []).append(reason)
        else:
            outcome.results.append((p, result or []))
    return outcome


def to_candidate(genome: Genome, **fields: object) -> Candidate:
    """A candidate for ``genome``; a genome that is not JSON data is an adapter bug."""
    try:
        canonical_json(genome)
    except (TypeError, ValueError) as exc:
        source = {"mutation": "mutate()", "crossover": "crossover()", "seed": "seeds()"}
        operator = str(fields.get("operator", "?"))
        made_by = source.get(operator, f"the {operator} operator")
        hint = " (convert numpy arrays with .tolist())" if "ndarray" in str(exc) else ""
        raise EvoError(
            f"{made_by} returned a genome that is not JSON data ({exc}){hint}: {genome!r:.200}"
        ) from None
    return Candidate.new(genome, **fields)  # type: ignore[arg-type]


def seed_genomes(problem: Problem, n: int, rng: np.random.Generator) -> list[Genome]:
    """``n`` distinct initial genomes: the problem's seeds, topped up by mutating them."""
    genomes: dict[str, Genome] = {}
    for genome in problem.seeds(rng, n):
        genomes.setdefault(to_candidate(genome).id, genome)
    seeds = list(genomes.values())
    if not seeds:
        raise EvoError(f"problem {type(problem).__name__}.seeds() returned no genomes")
    attempts = 0
    while len(genomes) < n and implements(problem, "mutate") and attempts < 20 * n:
        attempts += 1
        child = problem.mutate(seeds[int(rng.integers(len(seeds)))], rng)
        genomes.setdefault(to_candidate(child).id, child)
    return list(genomes.values())[:n]
