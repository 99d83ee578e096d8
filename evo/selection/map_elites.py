"""MAP-Elites survival: a grid over behaviour descriptors keeps the best member per cell."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from evo.records import Objective
from evo.selection.base import Member, Survival


class GridArchive:
    """Maps descriptor values to grid cells (values outside the ranges go to edge cells)."""

    def __init__(
        self, descriptors: Sequence[str], bins: Sequence[int], ranges: Sequence[tuple[float, float]]
    ) -> None:
        self.descriptors = list(descriptors)
        self.bins = np.asarray(bins, dtype=int)
        self.low = np.array([r[0] for r in ranges], dtype=float)
        self.high = np.array([r[1] for r in ranges], dtype=float)

    @property
    def cells(self) -> int:
        """Number of cells in the grid."""
        return int(np.prod(self.bins))

    def cell(self, member: Member) -> tuple[int, ...] | None:
        """The cell of ``member``, or None when it lacks a descriptor."""
        values = member.evaluation.descriptors
        if any(name not in values for name in self.descriptors):
            return None
        x = np.array([values[name] for name in self.descriptors], dtype=float)
        if not np.all(np.isfinite(x)):
            return None
        index = np.floor((x - self.low) / (self.high - self.low) * self.bins).astype(int)
        return tuple(int(i) for i in np.clip(index, 0, self.bins - 1))


class MapElitesSurvival(Survival):
    """Keeps one elite per occupied cell, ranked by the first objective; the population is
    the archive, so ``size`` only caps how many elites are kept (the best ones)."""

    def __init__(self, archive: GridArchive, objective: Objective) -> None:
        self.archive = archive
        self.objective = objective

    def survive(self, members: Sequence[Member], size: int) -> list[Member]:
        sign = self.objective.sign()
        elites: dict[tuple[int, ...], Member] = {}
        for member in members:
            if not member.evaluation.ok:
                continue
            cell = self.archive.cell(member)
            if cell is None:
                continue
            quality = sign * member.evaluation.objectives[self.objective.name]
            held = elites.get(cell)
            if held is None or quality > sign * held.evaluation.objectives[self.objective.name]:
                elites[cell] = member
        ranked = sorted(
            elites.values(),
            key=lambda m: (-sign * m.evaluation.objectives[self.objective.name], m.id),
        )
        return ranked[:size]
