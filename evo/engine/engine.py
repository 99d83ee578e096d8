"""The ask/tell engine: proposals out, evaluations in, state always rebuilt from the store."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evo.config import ExperimentConfig
from evo.engine import proposals as props
from evo.engine.setup import build_archive, build_operators, build_selector, uses_elo
from evo.engine.stats import objective_stats, population_hypervolume, status_counts
from evo.errors import OrderError
from evo.evaluation import Evaluator, ProblemRef, SequentialRunner
from evo.problem import Problem
from evo.records import Candidate, Evaluation, Match
from evo.selection import EloSurvival, Member, ParetoSurvival, fit_ratings
from evo.selection.map_elites import MapElitesSurvival
from evo.store import Store
from evo.variation.base import VariationContext

STALL_LIMIT = 10
"""Generations in a row without a new genome after which a run stops as stalled."""


@dataclass(frozen=True)
class GenerationSummary:
    """What ``tell`` reports about the generation it closed."""

    generation: int
    evaluations: int
    elapsed: float
    stats: dict[str, Any]
    hypervolume: float | None


@dataclass
class _Pending:
    generation: int
    proposals: list[Candidate]
    new: int
    failures: dict[str, list[str]] = field(default_factory=dict)


class Engine:
    """Evolves a problem's population with ask/tell; ``run`` is a thin loop over them.

    Args:
        problem: the problem adapter.
        config: the validated experiment config.
        store: the run store; an engine built on a store with history resumes it.
        evaluator: where evaluations and matches run (in this process if omitted).
        extras: run-level helpers handed to operators (e.g. a model client).
    """

    def __init__(
        self,
        problem: Problem,
        config: ExperimentConfig,
        store: Store,
        evaluator: Evaluator | None = None,
        extras: dict[str, Any] | None = None,
    ) -> None:
        self.problem = problem
        self.config = config
        self.store = store
        self.objectives = list(problem.objectives)
        self.evaluator = evaluator or Evaluator(
            ProblemRef(instance=problem), SequentialRunner(), config.evaluation.timeout
        )
        self.extras = extras or {}
        self.elo = uses_elo(problem, config)
        self.archive = build_archive(problem, config)
        self.operators = build_operators(problem, config)
        self.children: dict[str, int] = store.children_counts()
        self.selector = build_selector(config, self.children)
        self.rng = np.random.default_rng(config.seed)
        self.generation = 0
        self.islands: list[list[Member]] = [[] for _ in range(config.population.islands)]
        self.matches: list[Match] = store.matches()
        self.ratings: dict[str, tuple[float, float]] = {}
        self.references = self._references()
        self.best_ever: dict[str, float] = {}
        self.stalled = 0
        self.stop_reason: str | None = None
        self.stop_checks: list[Callable[[], str | None]] = []
        """Extra stop conditions (e.g. a model budget); each returns a reason or None."""
        self.observers: list[Callable[[GenerationSummary], None]] = []
        """Called with each closed generation (e.g. the experience pool)."""
        self._evaluated: set[str] = set(store.evaluated_ids())
        self._elapsed_before = 0.0
        self._session_start = time.monotonic()
        self._pending: _Pending | None = None
        self._restore()

    # state ------------------------------------------------------------------
    def _references(self) -> list[Candidate]:
        if not (self.elo and self.config.elo.references):
            return []
        refs = [
            props.to_candidate(g, operator="reference", generation=-1)
            for g in self.problem.opponents()
        ]
        self.store.record_candidates(refs)
        return refs

    def _restore(self) -> None:
        last = self.store.last_generation()
        if last is not None:
            self.generation = last["generation"] + 1
            ids = [cid for island in last["population"] for cid in island]
            candidates, evaluations = self.store.candidates(ids), self.store.evaluations(ids)
            self.islands = [
                [Member(candidates[i], evaluations[i]) for i in island]
                for island in last["population"]
            ]
            self.rng.bit_generator.state = last["rng_state"]
            self._elapsed_before = last["elapsed"]
            self.best_ever = {
                k: v["best_ever"]
                for k, v in last["stats"]["objectives"].items()
                if v.get("best_ever") is not None
            }
            self.stalled = last["stats"].get("stalled", 0)
        pending = self.store.pending_ask(self.generation)
        if pending is not None:
            proposals, rng_state, new = pending
            self.rng.bit_generator.state = rng_state
            self._pending = _Pending(self.generation, proposals, new)

    def members(self) -> list[Member]:
        """Every member of every island."""
        return [m for island in self.islands for m in island]

    @property
    def elapsed(self) -> float:
        """Seconds of run time over all sessions."""
        return self._elapsed_before + time.monotonic() - self._session_start

    def done(self) -> bool:
        """Whether a budget is used up (or the search stalled); sets ``stop_reason``."""
        budget = self.config.budget
        if budget.evaluations is not None and len(self._evaluated) >= budget.evaluations:
            self.stop_reason = f"evaluation budget reached ({budget.evaluations})"
        elif budget.generations is not None and self.generation >= budget.generations:
            self.stop_reason = f"generation budget reached ({budget.generations})"
        elif budget.wall_time is not None and self.elapsed >= budget.wall_time:
            self.stop_reason = f"wall-time budget reached ({budget.wall_time:g} s)"
        elif self.stalled >= STALL_LIMIT:
            self.stop_reason = f"stalled: no new genome in {STALL_LIMIT} generations"
        else:
            self.stop_reason = next(filter(None, (check() for check in self.stop_checks)), None)
        return self.stop_reason is not None

    # ask --------------------------------------------------------------------
    def ask(self) -> list[Candidate]:
        """Propose the next generation; returns the candidates that need evaluating."""
        if self._pending is not None:
            raise OrderError(
                f"ask() called twice: generation {self._pending.generation} awaits tell()"
            )
        room = self._evaluation_room()
        if self.generation == 0:
            proposals, failures = self._seed_proposals(room), {}
        else:
            proposals, failures = self._offspring_proposals(room)
        new = [c for c in proposals if c.id not in self._evaluated]
        for candidate in new:
            for parent in candidate.parents:
                self.children[parent] = self.children.get(parent, 0) + 1
        self.store.record_ask(self.generation, proposals, self.rng.bit_generator.state, len(new))
        self._pending = _Pending(self.generation, proposals, len(new), failures)
        return new

    def _evaluation_room(self) -> int:
        limit = self.config.budget.evaluations
        return (limit - len(self._evaluated)) if limit is not None else 1 << 62

    def _seed_proposals(self, room: int) -> list[Candidate]:
        size, islands = self.config.population.size, self.config.population.islands
        genomes = props.seed_genomes(self.problem, min(size, room), self.rng)
        return [
            props.to_candidate(g, operator="seed", generation=0, island=i % islands)
            for i, g in enumerate(genomes)
        ]

    def _offspring_proposals(self, room: int) -> tuple[list[Candidate], dict[str, list[str]]]:
        population = self.config.population
        wanted = population.offspring or population.size
        share = [
            wanted // len(self.islands) + (i < wanted % len(self.islands))
            for i in range(len(self.islands))
        ]
        taken = {m.id for m in self.members()}
        proposals: list[Candidate] = []
        failures: dict[str, list[str]] = {}
        new = 0
        for _ in range(10):
            short = [max(0, s) for s in share]
            if not any(short) or new >= room:
                break
            plans = props.plan(self.islands, short, self.operators, self.selector, self.rng)
            outcome = props.execute(plans, self._context)
            for name, reasons in outcome.failures.items():
                failures.setdefault(name, []).extend(reasons)
            for plan, genomes in outcome.results:
                for genome in genomes:
                    candidate = props.to_candidate(
                        genome,
                        parents=tuple(p.id for p in plan.parents),
                        operator=plan.operator.name,
                        generation=self.generation,
                        island=plan.island,
                    )
                    fresh = candidate.id not in self._evaluated
                    if candidate.id in taken or share[plan.island] <= 0 or (fresh and new >= room):
                        continue
                    taken.add(candidate.id)
                    proposals.append(candidate)
                    share[plan.island] -= 1
                    new += fresh
        return proposals, failures

    def _context(self, plan: props.Plan) -> VariationContext:
        return VariationContext(
            self.problem, plan.rng, self.generation, self.islands[plan.island], self.extras
        )

    def pending(self) -> list[Candidate]:
        """Proposals of the open generation that still lack an evaluation."""
        if self._pending is None:
            return []
        return [c for c in self._pending.proposals if c.id not in self._evaluated]

    # tell -------------------------------------------------------------------
    def record(self, evaluation: Evaluation) -> None:
        """Commit one evaluation of the open generation to the store."""
        if self._pending is None:
            raise OrderError("record() called before ask()")
        if evaluation.candidate_id not in {c.id for c in self._pending.proposals}:
            raise OrderError(
                f"candidate {evaluation.candidate_id!r} was not proposed in generation "
                f"{self._pending.generation}"
            )
        if self.store.record_evaluation(evaluation, self._pending.generation):
            self._evaluated.add(evaluation.candidate_id)

    def tell(self, evaluations: Iterable[Evaluation] = ()) -> GenerationSummary:
        """Fold the open generation's evaluations in: matches, survival, statistics."""
        if self._pending is None:
            raise OrderError("tell() called before ask()")
        for evaluation in evaluations:
            if evaluation.candidate_id not in self._evaluated:
                self.record(evaluation)
        pending = self._pending
        missing = [c.id for c in pending.proposals if c.id not in self._evaluated]
        if missing:
            raise OrderError(
                f"tell(): {len(missing)} candidate(s) of generation {pending.generation} "
                f"have no evaluation, e.g. {missing[0]}"
            )
        stored = self.store.evaluations([c.id for c in pending.proposals])
        offspring = [Member(c, stored[c.id]) for c in pending.proposals]
        new_matches, match_failures = self._play_matches(offspring) if self.elo else ([], 0)
        self._survive(offspring)
        if (
            self.config.population.islands > 1
            and self.generation % (self.config.population.migration_interval) == 0
        ):
            self._migrate()
        self.stalled = 0 if pending.new else self.stalled + 1
        return self._close_generation(pending, offspring, new_matches, match_failures)

    def _play_matches(self, offspring: list[Member]) -> tuple[list[Match], int]:
        elo = self.config.elo
        pairs: list[tuple[Member | Candidate, Member | Candidate]] = []
        for index, island in enumerate(self.islands):
            fresh = [m for m in offspring if m.candidate.island == index and m.evaluation.ok]
            pool = [m for m in island if m.evaluation.ok] + fresh
            scheduled: set[frozenset[str]] = set()
            for member in fresh:
                others = [m for m in pool if m.id != member.id]
                count = min(elo.matches_per_candidate, len(others))
                for j in self.rng.choice(len(others), size=count, replace=False):
                    pair = frozenset((member.id, others[int(j)].id))
                    if pair not in scheduled:
                        scheduled.add(pair)
                        pairs.append((member, others[int(j)]))
                pairs += [(member, ref) for ref in self.references]
            for _ in range(elo.rematches if len(pool) > 1 else 0):
                i, j = self.rng.choice(len(pool), size=2, replace=False)
                pairs.append((pool[int(i)], pool[int(j)]))

        def genome(x: Member | Candidate) -> Any:
            return x.candidate.genome if isinstance(x, Member) else x.genome

        played, failures = [], 0
        results = dict(self.evaluator.play([(genome(a), genome(b)) for a, b in pairs]))
        for index, (a, b) in enumerate(pairs):
            outcome = results[index].outcome
            if outcome is None:
                failures += 1
            else:
                played.append(Match(a.id, b.id, outcome, self.generation))
        self.matches += played
        return played, failures

    def _fit(self, alive: list[str]) -> dict[str, tuple[float, float]]:
        elo = self.config.elo
        players = alive + [r.id for r in self.references]
        return fit_ratings(self.matches, players, prior_games=elo.prior_games, initial=elo.initial)

    def _survival(self) -> Callable[[list[Member], int], list[Member]]:
        if self.elo:
            return EloSurvival(self.ratings).survive
        if self.archive is not None:
            return MapElitesSurvival(self.archive, self.objectives[0]).survive
        return ParetoSurvival(self.objectives).survive

    def _survive(self, offspring: list[Member]) -> None:
        if self.elo:
            self.ratings = self._fit([m.id for m in self.members() + offspring])
        survive = self._survival()
        for index, island in enumerate(self.islands):
            present = {m.id for m in island}
            merged = island + [
                m for m in offspring if m.candidate.island == index and m.id not in present
            ]
            self.islands[index] = survive(merged, self._island_size(index))

    def _island_size(self, index: int) -> int:
        if self.archive is not None:
            return self.archive.cells
        size, islands = self.config.population.size, self.config.population.islands
        return size // islands + (index < size % islands)

    def _migrate(self) -> None:
        count = self.config.population.migration_size
        migrants = [island[:count] for island in self.islands]
        survive = self._survival()
        for index, group in enumerate(migrants):
            target = (index + 1) % len(self.islands)
            present = {m.id for m in self.islands[target]}
            arrivals = [m for m in group if m.id not in present]
            merged = self.islands[target] + arrivals
            self.islands[target] = survive(merged, self._island_size(target))

    def _close_generation(
        self, pending: _Pending, offspring: list[Member], matches: list[Match], match_failures: int
    ) -> GenerationSummary:
        members = self.members()
        new = [m.evaluation for m in offspring if m.candidate.generation == pending.generation]
        reference = self.config.selection.reference_point or self.problem.hypervolume_reference
        hv = population_hypervolume(members, self.objectives, reference)
        stats: dict[str, Any] = {
            "objectives": objective_stats(members, self.objectives, self.best_ever, new),
            "status": status_counts(new),
            "proposed": len(pending.proposals),
            "new": pending.new,
            "variation_failures": {k: len(v) for k, v in pending.failures.items()},
            "variation_errors": [r for v in pending.failures.values() for r in v][:5],
            "matches": len(matches),
            "match_failures": match_failures,
            "population": len(members),
            "stalled": self.stalled,
        }
        ratings = {}
        if self.elo:  # ratings within the surviving population (and the references)
            ratings = self.ratings = self._fit([m.id for m in members])
            stats["best_rating"] = max((ratings[m.id][0] for m in members), default=None)
        if self.archive is not None:
            stats["coverage"] = len(members) / (self.archive.cells * len(self.islands))
        elapsed = self.elapsed
        self.store.record_generation(
            pending.generation,
            evaluations=len(self._evaluated),
            elapsed=elapsed,
            population=[[m.id for m in island] for island in self.islands],
            stats=stats,
            hypervolume=hv,
            rng_state=self.rng.bit_generator.state,
            matches=matches,
            ratings=ratings,
        )
        self._pending = None
        self.generation = pending.generation + 1
        summary = GenerationSummary(pending.generation, len(self._evaluated), elapsed, stats, hv)
        for observer in self.observers:
            observer(summary)
        return summary

    # loop -------------------------------------------------------------------
    def run(
        self,
        on_evaluation: Callable[[Evaluation], None] | None = None,
        on_generation: Callable[[GenerationSummary], None] | None = None,
    ) -> str:
        """Ask, evaluate, tell until a budget is used up; returns why the run stopped."""
        while True:
            if self._pending is None:
                if self.done():
                    break
                self.ask()
            for evaluation in self.evaluator.evaluate(self.pending()):
                self.record(evaluation)
                if on_evaluation is not None:
                    on_evaluation(evaluation)
            summary = self.tell()
            if on_generation is not None:
                on_generation(summary)
        return self.stop_reason or ""
