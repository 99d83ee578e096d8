"""Pareto survival: NSGA-II non-dominated rank and crowding distance, and hypervolume."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from evo.records import Objective
from evo.selection.base import Member, Survival


def minimisation_matrix(members: Sequence[Member], objectives: Sequence[Objective]) -> np.ndarray:
    """Objective values as an ``(n, m)`` array where smaller is better for every column."""
    signs = np.array([-o.sign() for o in objectives], dtype=float)
    values = [[m.evaluation.objectives[o.name] for o in objectives] for m in members]
    return np.asarray(values, dtype=float).reshape(len(members), len(objectives)) * signs


def nsga2_order(F: np.ndarray) -> np.ndarray:
    """Indices of the rows of ``F`` (minimised) by front, then by crowding (widest first)."""
    from pymoo.operators.survival.rank_and_crowding.metrics import get_crowding_function
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    if len(F) == 0:
        return np.empty(0, dtype=int)
    if F.shape[1] == 1:
        return np.argsort(F[:, 0], kind="stable")
    crowding = get_crowding_function("cd")
    order: list[int] = []
    for front in NonDominatedSorting().do(F):
        front = np.asarray(front)
        distance = crowding.do(F[front]) if len(front) > 2 else np.full(len(front), np.inf)
        order.extend(front[np.argsort(-distance, kind="stable")])
    return np.asarray(order, dtype=int)


def first_front(F: np.ndarray) -> np.ndarray:
    """Indices of the rows of ``F`` (minimised) that no other row dominates."""
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    if len(F) == 0:
        return np.empty(0, dtype=int)
    return np.sort(NonDominatedSorting().do(F, only_non_dominated_front=True))


def hypervolume(F: np.ndarray, reference: np.ndarray) -> float:
    """Hypervolume dominated by the rows of ``F`` (minimised) up to ``reference``."""
    from pymoo.indicators.hv import HV

    inside = F[np.all(reference > F, axis=1)] if len(F) else F
    if len(inside) == 0:
        return 0.0
    return float(HV(ref_point=reference)(inside))


class ParetoSurvival(Survival):
    """NSGA-II survival; members without a usable evaluation come last."""

    def __init__(self, objectives: Sequence[Objective]) -> None:
        self.objectives = list(objectives)

    def survive(self, members: Sequence[Member], size: int) -> list[Member]:
        valid = [m for m in members if m.evaluation.ok]
        failed = [m for m in members if not m.evaluation.ok]
        order = nsga2_order(minimisation_matrix(valid, self.objectives))
        return ([valid[i] for i in order] + failed)[:size]
