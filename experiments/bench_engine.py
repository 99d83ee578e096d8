"""Engine overhead: ask + tell + store per candidate with a trivial evaluate, and the time
NSGA-II survival takes on 10,000 candidates with three objectives.

Targets: under 2 ms per candidate; under 0.5 s for the 10,000-point survival.
Run: python experiments/bench_engine.py
"""

from __future__ import annotations

import tempfile
import time

import numpy as np

from evo.config import validate
from evo.engine import Engine
from evo.problem import Problem
from evo.records import Candidate, Evaluation, Objective
from evo.selection import Member, ParetoSurvival
from evo.store import Store

OBJECTIVES = (Objective("a", "min"), Objective("b", "min"), Objective("c", "max"))


class Trivial(Problem):
    """Three random objectives; variation is a single random draw."""

    name = "trivial"
    description = "benchmark problem"
    objectives = OBJECTIVES

    def seeds(self, rng, n):
        return rng.random((n, 3)).round(9).tolist()

    def evaluate(self, genome):
        return dict(zip("abc", genome, strict=True))

    def mutate(self, genome, rng):
        return rng.random(3).round(9).tolist()


def engine_overhead(population: int, generations: int) -> float:
    """Seconds per candidate over a whole run (evaluations in-process)."""
    config = validate(
        {
            "name": "bench",
            "problem": {"name": "trivial"},
            "population": {"size": population},
            "variation": {"operators": {"mutation": 1.0}},
            "evaluation": {"backend": "sequential"},
            "budget": {"generations": generations},
        },
        "bench",
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.in_dir(tmp, create=True)
        engine = Engine(Trivial(), config, store)
        start = time.perf_counter()
        engine.run()
        elapsed = time.perf_counter() - start
        count = store.evaluation_count()
        store.close()
    return elapsed / count


def survival_time(n: int = 10_000, repeats: int = 3) -> float:
    """Best-of-``repeats`` seconds for NSGA-II survival of ``n`` members down to ``n // 2``."""
    rng = np.random.default_rng(0)
    members = [
        Member(Candidate.new(i), Evaluation(objectives=dict(zip("abc", row, strict=True))))
        for i, row in enumerate(rng.random((n, 3)).tolist())
    ]
    survival = ParetoSurvival(OBJECTIVES)
    survival.survive(members[:100], 50)  # warm imports
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        survival.survive(members, n // 2)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    print(f"{'measure':<44}{'value':>12}{'target':>12}")
    for population, generations in ((100, 30), (1000, 6)):
        per = engine_overhead(population, generations)
        label = f"engine overhead per candidate, population {population}"
        print(f"{label:<44}{per * 1e3:>9.3f} ms{'< 2 ms':>12}")
    seconds = survival_time()
    print(f"{'NSGA-II survival, 10,000 x 3 objectives':<44}{seconds:>10.3f} s{'< 0.5 s':>12}")


if __name__ == "__main__":
    main()
