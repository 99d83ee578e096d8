"""Evolution against random search and hill climbing on Core War, at equal budget.

Each method may evaluate ``--budget`` warriors, scored against a training sample of the
94nop hill; the best warrior of each is then scored against the whole hill (895
warriors), which no method saw in full.

Run: python experiments/corewar_baselines.py --budget 2000 [--seeds 1 2 3]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

import numpy as np

from evo.config import validate
from evo.run import Run
from problems.corewar.adapter import CoreWar
from problems.corewar.operators import random_instruction
from problems.corewar.redcode import Warrior

REPO = Path(__file__).resolve().parents[1]
HILL = str(REPO.parent / "shared" / "corewar" / "warriors" / "94nop")


def random_search(problem: CoreWar, budget: int, rng: np.random.Generator) -> tuple[str, float]:
    """Random warriors: random instructions, random length."""
    best, best_score = "", -1.0
    for _ in range(budget):
        length = int(rng.integers(1, 21))
        code = np.stack(
            [random_instruction(rng, problem.settings.coresize, length) for _ in range(length)]
        )
        genome = problem.canonical(Warrior(code=code, start=int(rng.integers(length))))
        score = problem.evaluate(genome).objectives.get("score", 0.0)
        if score > best_score:
            best, best_score = genome, score
    return best, best_score


def hill_climbing(problem: CoreWar, budget: int, rng: np.random.Generator) -> tuple[str, float]:
    """(1+1): mutate the current warrior, keep the child when it is at least as good."""
    seeds = problem.seeds(rng, 4)
    scores = [problem.evaluate(s).objectives["score"] for s in seeds]
    current, current_score = seeds[int(np.argmax(scores))], max(scores)
    for _ in range(budget - len(seeds)):
        child = problem.mutate(current, rng)
        score = problem.evaluate(child).objectives.get("score", 0.0)
        if score >= current_score:
            current, current_score = child, score
    return current, current_score


def evolution(budget: int, train: int, rounds: int, seed: int, run_dir: Path) -> tuple[str, float]:
    """evo's engine: population 40, tournament parents, mutation and crossover."""
    config = validate(
        {
            "name": "corewar-baseline-evo",
            "seed": seed,
            "problem": {
                "name": "corewar",
                "params": {
                    "opponents": [],
                    "opponents_dir": HILL,
                    "opponents_sample": train,
                    "rounds": rounds,
                    "placement_seed": seed,
                },
            },
            "population": {"size": 40},
            # by score against the training warriors, as the baselines (not ELO play
            # among the population, which auto would pick since Core War defines match)
            "selection": {"survival": "pareto", "parents": "tournament", "tournament_size": 3},
            "variation": {"operators": {"mutation": 0.7, "crossover": 0.3}},
            "evaluation": {"backend": "sequential", "timeout": 120},
            "budget": {"evaluations": budget},
        },
        "baselines",
    )
    run = Run.create(config, run_dir)
    try:
        run.execute()
        best = max(
            (m for m in run.best_first() if m.evaluation.ok),
            key=lambda m: m.evaluation.objectives["score"],
        )
        return best.candidate.genome, best.evaluation.objectives["score"]
    finally:
        run.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=int, default=2000, help="evaluations per method")
    parser.add_argument("--train", type=int, default=20, help="hill warriors to train against")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument(
        "--methods", nargs="+", choices=["evo", "hill", "random"], default=["evo", "hill", "random"]
    )
    args = parser.parse_args()
    out = REPO / "results" / f"corewar-baselines-{datetime.now():%Y%m%d-%H%M%S}"
    out.mkdir(parents=True)
    rows = []
    print(
        f"budget {args.budget} evaluations each; training: {args.train} hill warriors x "
        f"{args.rounds} rounds; test: the whole 94nop hill"
    )
    print(
        f"{'method':<16}{'seed':>5}{'train score':>12}{'hill score':>12}"
        f"{'W/T/L % on hill':>18}{'time':>8}"
    )
    for seed in args.seeds:
        train = CoreWar(
            opponents=[],
            opponents_dir=HILL,
            opponents_sample=args.train,
            rounds=args.rounds,
            placement_seed=seed,
        )
        full = CoreWar(opponents=[], opponents_dir=HILL, rounds=args.rounds, placement_seed=seed)
        methods: dict[str, Callable[[], tuple[str, float]]] = {
            "evo (engine)": partial(
                evolution, args.budget, args.train, args.rounds, seed, out / f"evo-seed{seed}"
            ),
            "hill climbing": partial(
                hill_climbing, train, args.budget, np.random.default_rng(seed)
            ),
            "random search": partial(
                random_search, train, args.budget, np.random.default_rng(seed)
            ),
        }
        for name, method in methods.items():
            if name.split()[0] not in args.methods:
                continue
            start = time.perf_counter()
            genome, train_score = method()
            elapsed = time.perf_counter() - start
            test = full.evaluate(genome)
            d = test.descriptors
            rates = f"{d['win_rate']:.0%}/{d['tie_rate']:.0%}/{d['loss_rate']:.0%}"
            print(
                f"{name:<16}{seed:>5}{train_score:>12.3f}{test.objectives['score']:>12.3f}"
                f"{rates:>18}{elapsed:>7.0f}s",
                flush=True,
            )
            (out / f"best-{name.split()[0]}-seed{seed}.red").write_text(genome)
            rows.append(
                {
                    "method": name,
                    "seed": seed,
                    "train_score": train_score,
                    "hill_score": test.objectives["score"],
                    "rates": d,
                    "seconds": elapsed,
                }
            )
    for name in dict.fromkeys(r["method"] for r in rows):
        scores = [r["hill_score"] for r in rows if r["method"] == name]
        print(f"{name}: mean hill score {np.mean(scores):.3f} over seeds {args.seeds}")
    (out / "baselines.json").write_text(json.dumps({"args": vars(args), "results": rows}, indent=1))
    print(f"written: {out}")


if __name__ == "__main__":
    main()
