"""Parent choice from a population ordered best first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from evo.selection.base import Member, Selector


class TournamentSelector(Selector):
    """Each parent is the best of ``size`` members drawn at random."""

    def __init__(self, size: int = 2) -> None:
        self.size = size

    def select(
        self, population: Sequence[Member], k: int, rng: np.random.Generator
    ) -> list[Member]:
        n = len(population)
        draws = rng.integers(0, n, size=(k, min(self.size, n)))
        return [population[int(row.min())] for row in draws]


class RankWeightedSelector(Selector):
    """Samples parents with weight ``exp(-pressure * rank / n) / (1 + children) ** penalty``.

    Good members are preferred; members that already have many children are
    down-weighted so that the search does not collapse onto one lineage.
    """

    def __init__(
        self, children: Mapping[str, int], pressure: float = 3.0, penalty: float = 1.0
    ) -> None:
        self.children = children
        self.pressure = pressure
        self.penalty = penalty

    def weights(self, population: Sequence[Member]) -> np.ndarray:
        """Selection probability of each member."""
        n = len(population)
        rank = np.arange(n, dtype=float)
        kids = np.array([self.children.get(m.id, 0) for m in population], dtype=float)
        w = np.exp(-self.pressure * rank / max(n, 1)) / (1.0 + kids) ** self.penalty
        return w / w.sum()

    def select(
        self, population: Sequence[Member], k: int, rng: np.random.Generator
    ) -> list[Member]:
        picks = rng.choice(len(population), size=k, p=self.weights(population))
        return [population[int(i)] for i in picks]
