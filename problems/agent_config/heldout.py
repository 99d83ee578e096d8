"""The held-out measurement at the end of a run: the best agent, the seed, and the best
agent of every generation on tasks that selection never saw."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from evo.records import genome_id
from evo.selection.base import Member
from problems.agent_config import scoring


class Measured(Protocol):
    """What the held-out report needs of the agent-config problem."""

    cost: str
    heldout: list[tuple[str, Any]]
    heldout_curve: bool
    seed_genome: Any

    def run(self, genome: Any, tasks: Sequence[tuple[str, Any]]) -> list[scoring.TaskResult]:
        """Run the genome's agent on ``(id, task)`` pairs."""
        ...


def best_member(members: Sequence[Member], cost: str) -> Member | None:
    """The member with the highest success (then the lowest cost), preferring those
    scored on the full training suite over minibatch-only ones."""
    valid = [m for m in members if m.evaluation.ok]
    full = [m for m in valid if m.evaluation.descriptors.get("stage", 2.0) >= 2.0]
    pool = full or valid
    if not pool:
        return None
    return max(
        pool, key=lambda m: (m.evaluation.objectives["success"], -m.evaluation.objectives[cost])
    )


def _generation_bests(store: Any, cost: str) -> list[tuple[int, int, Member]]:
    bests = []
    for row in store.generations():
        generation, count = row["generation"], row["evaluations"]
        ids = [cid for island in row["population"] for cid in island]
        candidates, evaluations = store.candidates(ids), store.evaluations(ids)
        members = [Member(candidates[i], evaluations[i]) for i in ids if i in evaluations]
        best = best_member(members, cost)
        if best is not None:
            bests.append((generation, count, best))
    return bests


def report(problem: Measured, run_dir: Path, population: Sequence[Member], store: Any) -> list[str]:
    """Measure, store (meta ``heldout`` and ``heldout_curve``) and summarize."""
    best = best_member(population, problem.cost)
    if best is None:
        return ["held-out: no agent evaluated ok, nothing to measure"]
    (run_dir / "best_agent.json").write_text(json.dumps(best.candidate.genome, indent=1))
    if not problem.heldout:
        return [
            f"best agent saved as {run_dir / 'best_agent.json'} (the suite has no held-out tasks)"
        ]
    measured: dict[str, dict[str, float]] = {}

    def measure(genome: Any) -> dict[str, float]:
        key = genome_id(genome)
        if key not in measured:
            results = problem.run(genome, problem.heldout)
            done = [r.outcome for r in results if r.outcome is not None]
            field = scoring.COSTS[problem.cost]
            measured[key] = {
                "success": scoring.mean_score(results),
                "solved": float(np.mean([bool(r.outcome and r.outcome.solved) for r in results])),
                "cost": float(np.mean([getattr(o, field) for o in done])) if done else float("nan"),
                "crashes": float(len(results) - len(done)),
            }
        return measured[key]

    final, seed = measure(best.candidate.genome), measure(problem.seed_genome)
    train = best.evaluation
    curve = []
    if problem.heldout_curve:
        for generation, count, member in _generation_bests(store, problem.cost):
            curve.append(
                {
                    "generation": generation,
                    "evaluations": count,
                    "candidate": member.id,
                    "train_success": member.evaluation.objectives["success"],
                    "train_solved": member.evaluation.descriptors.get("solved"),
                    "train_cost": member.evaluation.objectives[problem.cost],
                    "library_size": member.evaluation.descriptors.get("library_size"),
                }
                | {f"heldout_{k}": v for k, v in measure(member.candidate.genome).items()}
            )
        store.set_meta("heldout_curve", curve)
    store.set_meta(
        "heldout",
        {
            "candidate": best.id,
            "tasks": len(problem.heldout),
            "cost_name": problem.cost,
            "best": final,
            "seed": seed,
            "train": {
                "success": train.objectives["success"],
                "solved": train.descriptors.get("solved"),
                "cost": train.objectives[problem.cost],
            },
        },
    )
    unit = problem.cost
    return [
        f"held-out ({len(problem.heldout)} unseen tasks): best agent solves {final['solved']:.0%} "
        f"(success {final['success']:.3f}, {final['cost']:.4g} {unit}/task); the seed solves "
        f"{seed['solved']:.0%} (success {seed['success']:.3f}); on training tasks the best "
        f"solves {train.descriptors.get('solved', float('nan')):.0%}",
        f"best agent saved as {run_dir / 'best_agent.json'}",
    ]
