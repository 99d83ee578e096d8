"""The selection extension points: ``Survival`` and ``Selector``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evo.records import Candidate, Evaluation


@dataclass(frozen=True)
class Member:
    """A population member: a candidate and its evaluation."""

    candidate: Candidate
    evaluation: Evaluation

    @property
    def id(self) -> str:
        return self.candidate.id


class Survival:
    """Chooses who stays: returns at most ``size`` members, best first."""

    def survive(self, members: Sequence[Member], size: int) -> list[Member]:
        raise NotImplementedError


class Selector:
    """Chooses parents from a population ordered best first."""

    def select(
        self, population: Sequence[Member], k: int, rng: np.random.Generator
    ) -> list[Member]:
        raise NotImplementedError
