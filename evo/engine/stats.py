"""Per-generation statistics: best and median per objective, status counts, hypervolume."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from evo.records import Evaluation, Objective
from evo.selection.base import Member
from evo.selection.pareto import hypervolume, minimisation_matrix


def objective_stats(
    members: Sequence[Member],
    objectives: Sequence[Objective],
    best_ever: dict[str, float],
    new: Sequence[Evaluation],
) -> dict[str, dict[str, float | None]]:
    """Best and median of each objective over ``members``; ``best_ever`` updated from ``new``."""
    out: dict[str, dict[str, float | None]] = {}
    for objective in objectives:
        pick = max if objective.direction == "max" else min
        values = [m.evaluation.objectives[objective.name] for m in members if m.evaluation.ok]
        fresh = [e.objectives[objective.name] for e in new if e.ok]
        previous = best_ever.get(objective.name)
        pool = fresh + ([previous] if previous is not None else [])
        if pool:
            best_ever[objective.name] = pick(pool)
        out[objective.name] = {
            "best": pick(values) if values else None,
            "median": float(np.median(values)) if values else None,
            "best_ever": best_ever.get(objective.name),
        }
    return out


def status_counts(evaluations: Sequence[Evaluation]) -> dict[str, int]:
    """How many of ``evaluations`` ended in each status."""
    return dict(Counter(e.status.value for e in evaluations))


def population_hypervolume(
    members: Sequence[Member], objectives: Sequence[Objective], reference: Sequence[float] | None
) -> float | None:
    """Hypervolume of the ok members at ``reference`` (objective units), or None without one."""
    if reference is None or not objectives:
        return None
    valid = [m for m in members if m.evaluation.ok]
    signs = np.array([-o.sign() for o in objectives])
    return hypervolume(minimisation_matrix(valid, objectives), np.asarray(reference) * signs)


def summary_line(stats: dict[str, Any], hv: float | None) -> str:
    """Short text of a generation's bests, for progress displays."""
    parts = []
    for name, values in stats.get("objectives", {}).items():
        if values.get("best") is not None:
            parts.append(f"{name} {values['best']:.4g}")
    if stats.get("best_rating") is not None:
        parts.append(f"elo {stats['best_rating']:.0f}")
    if hv is not None:
        parts.append(f"hv {hv:.4f}")
    return ", ".join(parts)
