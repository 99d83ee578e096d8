"""Household skills: evolution against the seed library and random search at equal budget.

For each seed, three agents are measured on the held-out households (never used for
selection): the seed genome of experiments/household_skills.yaml; the best of random
search, which spends the same number of evaluations on genomes made by 1-20 random
classical edits of the seed (skill additions aimed at the seed's unmet conditions, as
evo's are at their parent's) and keeps the best on the training tasks; and the best of
an evo run of the experiment. A hand-written library with a tuned config and the oracle
(who sees the whole house) give reference points. Prints the held-out curve of each evo
run (the best agent of each generation) and a summary table.

Run: python experiments/baselines_household.py --budget 6000 --seeds 1 2 3 [--seed-skills empty]
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from evo.config import load_config
from evo.genomes.operators import HINTS_ARTIFACT, edit_skills, mutate_config
from evo.records import Candidate
from evo.run import Run
from evo.selection.base import Member
from problems.agent_config import AgentConfigProblem, scoring
from problems.agent_config.adapter import SKILL_EDITS
from problems.agent_config.heldout import best_member
from problems.household.language import library
from problems.household.solver import solve

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "experiments" / "household_skills.yaml"
TUNED = {
    "max_steps": 60,
    "search_order": ["countertop", "cabinet", "fridge", "drawer", "diningtable", "shelf",
                     "sidetable", "desk", "stoveburner", "coffeemachine", "sofa", "bed",
                     "dresser", "armchair", "safe", "sinkbasin", "garbagecan"],
    "open_containers": True,
    "plan_depth": 2,
    "retries": 1,
}  # fmt: skip


def measure(problem: AgentConfigProblem, genome: Any, split: str) -> dict[str, float]:
    """Solved share, mean score and steps of ``genome`` on a split."""
    tasks = problem.heldout if split == "heldout" else problem.train
    results = problem.run(genome, tasks)
    return {
        "solved": float(np.mean([bool(r.outcome and r.outcome.solved) for r in results])),
        "success": scoring.mean_score(results),
        "steps": float(np.mean([r.outcome.steps for r in results if r.outcome])),
    }


def random_search(problem: AgentConfigProblem, budget: int, seed: int) -> Any:
    """The best (by training success, then steps) of ``budget`` random genomes."""
    rng = np.random.default_rng(seed)
    seed_eval = problem.evaluate(problem.seed_genome)
    hints = seed_eval.artifacts.get(HINTS_ARTIFACT, "").splitlines()
    members = []
    for _ in range(budget):
        genome = problem.seed_genome
        for _ in range(int(rng.integers(1, 21))):
            if rng.random() < problem.skill_rate:
                edit = str(rng.choice(list(SKILL_EDITS), p=list(SKILL_EDITS.values())))
                genome = edit_skills(problem, genome, edit, rng, hints)
            else:
                genome = mutate_config(problem, genome, rng)
        members.append(Member(Candidate.new(genome), problem.evaluate(genome)))
    best = best_member(members, problem.cost)
    return best.candidate.genome if best else problem.seed_genome


def evolution(
    budget: int, seed: int, run_dir: Path, overrides: list[str]
) -> tuple[Any, list[dict], float]:
    """An evo run of the experiment; its best genome, held-out curve and wall time."""
    config = load_config(CONFIG, [f"budget.evaluations={budget}", f"seed={seed}", *overrides])
    run = Run.create(config, run_dir)
    start = time.perf_counter()
    try:
        run.execute()
        best = best_member(run.best_first(), run.problem.cost)
        assert best is not None
        return (
            best.candidate.genome,
            run.store.meta("heldout_curve", []),
            time.perf_counter() - start,
        )
    finally:
        run.close()


def row(name: str, train: dict[str, float], heldout: dict[str, float]) -> str:
    return (
        f"{name:<26} {train['solved']:>6.0%} {heldout['solved']:>9.0%} "
        f"{heldout['success']:>9.3f} {heldout['steps']:>9.1f}"
    )


def print_curve(curve: list[dict]) -> None:
    """Every 10th generation's best agent (and the last)."""
    columns = ("gen", "evals", "train solved", "held-out solved", "train steps", "held-out steps")
    print("  " + " ".join(f"{c:>{max(len(c), 5)}}" for c in columns) + " skills")
    for point in curve[::10] + ([curve[-1]] if len(curve) % 10 != 1 else []):
        print(
            f"  {point['generation']:>5} {point['evaluations']:>5} {point['train_solved']:>12.0%} "
            f"{point['heldout_solved']:>15.0%} {point['train_cost']:>11.1f} "
            f"{point['heldout_cost']:>14.1f} {point['library_size']:>6.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--budget", type=int, default=6000, help="evaluations per method")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument(
        "--seed-skills", help="seed library instead of the experiment's (e.g. empty, minimal)"
    )
    args = parser.parse_args()
    overrides = [f"problem.params.seed_skills={args.seed_skills}"] if args.seed_skills else []
    problem = AgentConfigProblem(**load_config(CONFIG, overrides).problem.params)
    out = REPO / "results" / f"household-baselines-{datetime.now():%Y%m%d-%H%M%S}"
    out.mkdir(parents=True)
    oracle = np.mean([solve(int(t["seed"]), t["kind"]).steps for _, t in problem.heldout])
    print(
        f"{len(problem.train)} training and {len(problem.heldout)} held-out households; "
        f"budget {args.budget} evaluations per method\n"
        f"oracle (sees the whole house): solves every held-out task in {oracle:.1f} steps"
    )
    handwritten = {
        "config": problem.config_space.normalize(TUNED),
        "skills": library("handwritten"),
    }
    lines = [f"{'agent':<26} {'train':>6} {'held-out':>9} {'(score)':>9} {'steps':>9}"]
    for name, genome in (
        ("seed library", problem.seed_genome),
        ("hand-written + tuned", handwritten),
    ):
        lines.append(
            row(name, measure(problem, genome, "train"), measure(problem, genome, "heldout"))
        )
    finals: dict[str, list[float]] = {"random search": [], "evo": []}
    for seed in args.seeds:
        start = time.perf_counter()
        genome = random_search(problem, args.budget, seed)
        held = measure(problem, genome, "heldout")
        finals["random search"].append(held["solved"])
        lines.append(row(f"random search (seed {seed})", measure(problem, genome, "train"), held))
        print(f"random search, seed {seed}: {time.perf_counter() - start:.0f} s")
        genome, curve, seconds = evolution(args.budget, seed, out / f"evo-seed{seed}", overrides)
        held = measure(problem, genome, "heldout")
        finals["evo"].append(held["solved"])
        lines.append(row(f"evo (seed {seed})", measure(problem, genome, "train"), held))
        print(f"evo, seed {seed}: {seconds:.0f} s; best agent of each generation:")
        print_curve(curve)
    print("\n".join(lines))
    for name, values in finals.items():
        print(f"{name}: held-out solved {np.mean(values):.0%} on average over seeds {args.seeds}")
    print(f"runs in {out}")


if __name__ == "__main__":
    main()
