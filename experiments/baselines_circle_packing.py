"""Circle packing: evo against random search and hill climbing at equal evaluation budget.

Random search applies 1-20 random edits to the initial program and keeps the best;
hill climbing keeps a mutated child when it is at least as good; evo runs the engine with
experiments/circle_packing.yaml. All use the same operators and the same sandboxed
evaluation. Run: python experiments/baselines_circle_packing.py --budget 1000
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from evo.config import load_config
from evo.run import Run
from problems.circle_packing import CirclePacking

REPO = Path(__file__).resolve().parents[1]


def score(problem: CirclePacking, genome: str) -> float:
    evaluation = problem.evaluate(genome)
    return evaluation.objectives["sum_radii"] if evaluation.ok else 0.0


def random_search(problem: CirclePacking, budget: int, rng: np.random.Generator) -> float:
    best = 0.0
    for _ in range(budget):
        genome = problem.initial
        for _ in range(int(rng.integers(1, 21))):
            genome = problem.mutate(genome, rng)
        best = max(best, score(problem, genome))
    return best


def hill_climbing(problem: CirclePacking, budget: int, rng: np.random.Generator) -> float:
    current, current_score = problem.initial, score(problem, problem.initial)
    for _ in range(budget - 1):
        child = problem.mutate(current, rng)
        child_score = score(problem, child)
        if child_score >= current_score:
            current, current_score = child, child_score
    return current_score


def evolution(budget: int, seed: int, run_dir: Path) -> float:
    config = load_config(
        REPO / "experiments" / "circle_packing.yaml",
        [f"budget.evaluations={budget}", f"seed={seed}"],
    )
    run = Run.create(config, run_dir)
    try:
        run.execute()
        return max(
            m.evaluation.objectives["sum_radii"] for m in run.best_first() if m.evaluation.ok
        )
    finally:
        run.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    problem = CirclePacking()
    out = REPO / "results" / f"circle-packing-baselines-{datetime.now():%Y%m%d-%H%M%S}"
    out.mkdir(parents=True)
    print(
        f"budget {args.budget} evaluations each; initial program: "
        f"{score(problem, problem.initial):.4f}; best known 2.635983"
    )
    methods = {
        "evo (engine)": lambda: evolution(args.budget, args.seed, out / "evo-run"),
        "hill climbing": lambda: hill_climbing(
            problem, args.budget, np.random.default_rng(args.seed)
        ),
        "random search": lambda: random_search(
            problem, args.budget, np.random.default_rng(args.seed)
        ),
    }
    for name, method in methods.items():
        start = time.perf_counter()
        best = method()
        print(f"{name:<16} best sum of radii {best:.4f}   ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
