"""evo against simple baselines on the Core War benchmark, at equal budget, on held-out data.

Every method may evaluate ``--budget`` warriors, each scored exactly as in
``experiments/corewar_benchmark.yaml`` (the training part of the 94nop hill, with its
screen). Then each method's five best are replayed at other placements, the best is
shrunk, and that champion is measured against the held-out part of the hill (437
warriors x 20 rounds), which no method ever saw. Methods:

- ``evo``: the benchmark experiment itself (population, tuning, component swaps, edits);
- ``hill``: (1+1) hill climbing from the best warrior of the same initial population,
  with the same one-parent operators (tune, compose, template, instruction edits);
- ``templates``: random template warriors only (random search over designs);
- ``random``: random Redcode (random instructions, random length).

The seeds' held-out scores (the four built-in warriors and the best template of the
initial population) are measured beside them.

Run: python experiments/corewar_baselines.py --budget 1000 --seeds 1 2 3
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from evo import registry
from evo.config import validate
from evo.engine.setup import build_operators
from evo.records import Candidate, Evaluation
from evo.run import Run
from evo.selection.base import Member
from evo.variation.base import VariationContext
from problems.corewar import champions
from problems.corewar.adapter import CoreWar
from problems.corewar.heldout import HeldOut
from problems.corewar.operators import random_instruction
from problems.corewar.redcode import Warrior

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "experiments" / "corewar_benchmark.yaml"
HILL_OPERATORS = {"tune": 0.4, "compose": 0.15, "template": 0.1, "mutation": 0.35}


def benchmark_config(
    seed: int, budget: int, sample: int | None, config: Path = CONFIG
) -> dict[str, Any]:
    """The benchmark experiment (``config``) with this seed and an evaluation budget (no
    time limit), on ``sample`` training warriors when given (for quick checks)."""
    data = yaml.safe_load(config.read_text())
    params = data["problem"]["params"]
    params["opponents_dir"] = str((REPO / params["opponents_dir"]).resolve())  # as from the repo
    params["placement_seed"] = seed
    if sample:
        params["opponents_sample"] = sample
    data["seed"] = seed
    data["budget"] = {"evaluations": budget}
    return data


class Tally:
    """Evaluates through the problem, keeps the best genomes, counts the budget."""

    def __init__(self, problem: CoreWar, budget: int) -> None:
        self.problem, self.budget = problem, budget
        self.scores: dict[str, float] = {}

    @property
    def left(self) -> int:
        return self.budget - len(self.scores)

    def score(self, genome: str) -> float:
        if genome not in self.scores:
            evaluation = self.problem.evaluate(genome)
            self.scores[genome] = evaluation.objectives["score"] if evaluation.ok else -1.0
        return self.scores[genome]

    def best(self, k: int) -> list[str]:
        return sorted(self.scores, key=lambda g: -self.scores[g])[:k]


def evo_method(data: dict[str, Any], run_dir: Path) -> list[str]:
    config = validate(data, "baselines")
    run = Run.create(config, run_dir)
    try:
        run.execute()
        ranked = sorted(
            (m for m in run.best_first() if m.evaluation.ok),
            key=lambda m: -m.evaluation.objectives["score"],
        )
        return [m.candidate.genome for m in ranked[: champions.CONTENDERS]]
    finally:
        run.close()


def hill_climbing(data: dict[str, Any], problem: CoreWar, rng: np.random.Generator) -> list[str]:
    """(1+1): keep the child when it scores at least as well as the current warrior."""
    tally = Tally(problem, data["budget"]["evaluations"])
    initial = problem.seeds(rng, data["population"]["size"])
    current = max(initial, key=tally.score)
    config = validate({**data, "variation": {"operators": HILL_OPERATORS}}, "hill")
    operators = build_operators(problem, config)
    weights = np.array([w for _, w in operators]) / sum(w for _, w in operators)
    while tally.left > 0:
        operator = operators[int(rng.choice(len(operators), p=weights))][0]
        parent = Member(Candidate.new(current), Evaluation(objectives={"score": 0.0}))
        children = operator.propose([parent], VariationContext(problem, rng, 0))
        for child in children[: tally.left]:
            if tally.score(child) >= tally.score(current):
                current = child
    return [current] + [g for g in tally.best(champions.CONTENDERS) if g != current][:4]


def template_search(data: dict[str, Any], problem: CoreWar, rng: np.random.Generator) -> list[str]:
    """Random template warriors only."""
    from problems.corewar.strategy.design import random_design

    tally = Tally(problem, data["budget"]["evaluations"])
    settings = problem.settings
    while tally.left > 0:
        tally.score(
            problem.render_design(random_design(rng, settings.coresize, settings.maxlength))
        )
    return tally.best(champions.CONTENDERS)


def random_search(data: dict[str, Any], problem: CoreWar, rng: np.random.Generator) -> list[str]:
    """Random Redcode: random instructions, random length up to 20."""
    tally = Tally(problem, data["budget"]["evaluations"])
    coresize = problem.settings.coresize
    while tally.left > 0:
        length = int(rng.integers(1, 21))
        code = np.stack([random_instruction(rng, coresize, length) for _ in range(length)])
        tally.score(problem.canonical(Warrior(code=code, start=int(rng.integers(length)))))
    return tally.best(champions.CONTENDERS)


def crown(problem: CoreWar, genomes: list[str], seed: int) -> str:
    """The champion of a method, chosen as ``evo run`` chooses its own: replay, shrink."""
    warriors = [problem.assemble(g) for g in genomes]
    best = champions.replay(genomes, warriors, problem.gauntlet, seed + 1)[0].genome
    return problem.polish(best)


def seed_references(
    data: dict[str, Any], problem: CoreWar, heldout: HeldOut
) -> dict[str, dict[str, float]]:
    """Held-out scores of the built-in seeds and of the best template of the initial
    population (by training score)."""
    rng = np.random.default_rng(data["seed"])
    initial = problem.seeds(rng, data["population"]["size"])
    builtin = [g for g in initial if "design" not in g and problem.label(g)]
    templates = [g for g in initial if g not in builtin]
    best_template = max(templates, key=lambda g: problem.evaluate(g).objectives["score"])
    named = {problem.label(g) or "seed": g for g in builtin}
    named["best initial template"] = best_template
    outcomes = heldout.play([problem.assemble(g) for g in named.values()])
    return {
        name: {"score": o.score, "se": o.standard_error}
        for name, o in zip(named, outcomes, strict=True)
    }


def plot(rows: list[dict[str, Any]], references: dict[str, dict[str, float]], path: Path) -> None:
    """Held-out score of each method's champion per seed, beside the seeds' scores."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    methods = list(dict.fromkeys(r["method"] for r in rows))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for x, method in enumerate(methods):
        scores = [r["heldout"] for r in rows if r["method"] == method]
        ax.scatter([x] * len(scores), scores, color="C0", zorder=3)
        ax.hlines(np.mean(scores), x - 0.3, x + 0.3, color="C0", linewidth=2)
    for k, (name, ref) in enumerate(sorted(references.items(), key=lambda x: -x[1]["score"])):
        ax.axhline(ref["score"], color=f"C{k + 1}", linestyle="--", linewidth=1,
                   label=f"{name}: {ref['score']:.3f}")  # fmt: skip
    ax.set_xticks(range(len(methods)), methods)
    ax.set_ylabel("held-out score")
    ax.set_title("champions on the held-out hill at equal budget (bar: mean over seeds)")
    ax.legend(fontsize="small", loc="lower right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


METHODS: dict[str, Callable[..., list[str]]] = {
    "hill": hill_climbing,
    "templates": template_search,
    "random": random_search,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=int, default=1000, help="evaluations per method")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument(
        "--methods", nargs="+", choices=["evo", *METHODS], default=["evo", *METHODS]
    )
    parser.add_argument(
        "--config", type=Path, default=CONFIG, help="evo's experiment; it scores every method"
    )
    parser.add_argument("--out", type=Path, help="directory for the results (default: results/)")
    parser.add_argument("--sample", type=int, help="train on this many warriors (quick checks)")
    parser.add_argument(
        "--heldout-rounds", type=int, default=20, help="rounds per held-out warrior"
    )
    args = parser.parse_args()
    out = args.out or REPO / "results" / f"corewar-baselines-{datetime.now():%Y%m%d-%H%M%S}"
    out.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    references: dict[str, dict[str, float]] = {}
    print(f"budget {args.budget} evaluations each, scored as corewar_benchmark.yaml scores")
    print(f"{'method':<11}{'seed':>5}{'train':>8}{'held-out':>16}  {'family':<34}{'time':>7}")
    for seed in args.seeds:
        data = benchmark_config(seed, args.budget, args.sample, args.config)
        problem = registry.create("corewar", data["problem"]["params"])
        assert isinstance(problem, CoreWar)
        heldout = HeldOut.of(
            data["problem"]["params"]["opponents_dir"], problem.settings, args.heldout_rounds
        )
        if not references:
            references = seed_references(data, problem, heldout)
        for method in args.methods:
            start = time.perf_counter()
            if method == "evo":
                genomes = evo_method(data, out / f"evo-seed{seed}")
            else:
                genomes = METHODS[method](data, problem, np.random.default_rng(seed))
            champion = crown(problem, genomes, seed)
            elapsed = time.perf_counter() - start
            train = problem.evaluate(champion).objectives["score"]
            test = heldout.play([problem.assemble(champion)])[0]
            family = champions.family(champion) or "free-form"
            (out / f"{method}-seed{seed}.red").write_text(champion)
            print(
                f"{method:<11}{seed:>5}{train:>8.3f}{test.score:>9.3f} +-{test.standard_error:.3f}"
                f"  {family[:33]:<34}{elapsed:>6.0f}s",
                flush=True,
            )
            rows.append(
                {
                    "method": method,
                    "seed": seed,
                    "train": train,
                    "heldout": test.score,
                    "heldout_se": test.standard_error,
                    "family": family,
                    "seconds": elapsed,
                }
            )
    print("seeds on the same held-out measure:")
    for name, ref in references.items():
        print(f"  {name:<24}{ref['score']:.3f} +-{ref['se']:.3f}")
    for method in dict.fromkeys(r["method"] for r in rows):
        scores = [r["heldout"] for r in rows if r["method"] == method]
        print(f"{method}: mean held-out {np.mean(scores):.3f} over seeds {args.seeds}")
    record = {
        "args": {**vars(args), "out": str(out), "config": str(args.config)},
        "results": rows,
        "seeds": references,
    }
    (out / "baselines.json").write_text(json.dumps(record, indent=1))
    plot(rows, references, out / "baselines.png")
    print(f"written: {out}")


if __name__ == "__main__":
    main()
