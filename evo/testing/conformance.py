"""Checks every problem adapter must pass; run them on your own adapter with
``check_problem(MyProblem())`` or through ``tests/problems/test_conformance.py``."""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable

import numpy as np

from evo.problem import Problem, coerce_evaluation, implements
from evo.records import Objective, Status, canonical_json

Check = Callable[[Problem], None]


def check_declaration(problem: Problem) -> None:
    """Objectives are well-formed and named uniquely; there is something to select on."""
    names = [o.name for o in problem.objectives]
    assert all(isinstance(o, Objective) for o in problem.objectives), "objectives must be Objective"
    assert len(names) == len(set(names)), f"duplicate objective names: {names}"
    assert names or implements(problem, "match"), "a problem needs objectives or match()"
    assert isinstance(problem.describe(), str)
    assert problem.name and problem.description, "set the class attributes name and description"


def check_prepare(problem: Problem) -> None:
    """``prepare`` runs, and again (a resumed run calls it again), returning nothing."""
    assert problem.prepare() is None, "prepare() returns nothing"
    assert problem.prepare() is None


def check_seeds(problem: Problem) -> None:
    """Seeds are JSON data, reproducible from the generator's seed, and evaluate ok."""
    first = problem.seeds(np.random.default_rng(0), 4)
    again = problem.seeds(np.random.default_rng(0), 4)
    assert first, "seeds() returned nothing"
    assert [canonical_json(g) for g in first] == [canonical_json(g) for g in again], (
        "seeds() is not reproducible from the generator"
    )
    for genome in first:
        evaluation = coerce_evaluation(problem.evaluate(genome), problem.objectives)
        assert evaluation.status is Status.OK, f"a seed did not evaluate ok: {evaluation.feedback}"
        for value in evaluation.objectives.values():
            assert math.isfinite(value)


def check_evaluate_deterministic(problem: Problem) -> None:
    """The same genome gets the same objective values (the cache relies on it)."""
    genome = problem.seeds(np.random.default_rng(1), 1)[0]
    a = coerce_evaluation(problem.evaluate(genome), problem.objectives)
    b = coerce_evaluation(problem.evaluate(genome), problem.objectives)
    assert a.objectives == b.objectives, "evaluate() is not deterministic"


def check_variation(problem: Problem) -> None:
    """Classical operators give JSON genomes, reproducibly, that evaluate without raising."""
    rng = np.random.default_rng(2)
    parents = problem.seeds(rng, 2)
    a, b = parents[0], parents[-1]
    for hook in ("mutate", "crossover"):
        if not implements(problem, hook):
            continue

        def make(seed: int, hook: str = hook) -> object:
            generator = np.random.default_rng(seed)
            if hook == "mutate":
                return problem.mutate(a, generator)
            return problem.crossover(a, b, generator)

        for seed in range(5):
            child = make(seed)
            assert canonical_json(child) == canonical_json(make(seed)), f"{hook} not reproducible"
            evaluation = coerce_evaluation(problem.evaluate(child), problem.objectives)
            assert evaluation.status in Status


def check_match(problem: Problem) -> None:
    """Match outcomes lie in [0, 1]."""
    if not implements(problem, "match"):
        return
    genomes = problem.seeds(np.random.default_rng(3), 2) + problem.opponents()[:1]
    for x in genomes:
        for y in genomes:
            outcome = problem.match(x, y)
            assert 0.0 <= outcome <= 1.0, f"match outcome {outcome} outside [0, 1]"


def check_picklable(problem: Problem) -> None:
    """The problem survives pickling (worker processes receive it that way)."""
    clone = pickle.loads(pickle.dumps(problem))
    genome = problem.seeds(np.random.default_rng(4), 1)[0]
    left = coerce_evaluation(problem.evaluate(genome), problem.objectives)
    right = coerce_evaluation(clone.evaluate(genome), clone.objectives)
    assert left.objectives == right.objectives


CHECKS: dict[str, Check] = {
    "declaration": check_declaration,
    "prepare": check_prepare,
    "seeds": check_seeds,
    "evaluate_deterministic": check_evaluate_deterministic,
    "variation": check_variation,
    "match": check_match,
    "picklable": check_picklable,
}


def check_problem(problem: Problem) -> None:
    """Run every conformance check on ``problem`` (raises AssertionError on the first failure)."""
    for check in CHECKS.values():
        check(problem)
