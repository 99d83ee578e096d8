"""A gauntlet: a fixed set of opponents that candidates are scored against, in batches.

Every opponent is met at its own placements (pMARS's generator started from a seed of
its own), so a candidate's score does not hang on a few lucky or unlucky positions
shared by all opponents; every candidate meets the same placements, so scores compare.
The score is pMARS's, ``(3 wins + ties) / (3 rounds)`` per opponent, averaged over
opponents; its standard error is taken over opponents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from problems.corewar.opponents import Opponent
from problems.corewar.redcode import Settings, Warrior


@dataclass(frozen=True)
class Outcome:
    """One candidate's results against every opponent of a gauntlet.

    Attributes:
        wins, ties, losses: ``(opponents,)`` rounds won, tied and lost.
        observations: ``(opponents, rounds, 4)``: the candidate's executed instructions,
            peak processes, cells written and cycle of death (-1: survived) per round.
    """

    wins: np.ndarray
    ties: np.ndarray
    losses: np.ndarray
    observations: np.ndarray

    @property
    def per_opponent(self) -> np.ndarray:
        """pMARS score against each opponent, in [0, 1]."""
        rounds = self.wins + self.ties + self.losses
        return (3 * self.wins + self.ties) / (3 * rounds)

    @property
    def score(self) -> float:
        """Mean score over opponents."""
        return float(self.per_opponent.mean())

    @property
    def standard_error(self) -> float:
        """Standard error of ``score`` over opponents (0 with one opponent)."""
        scores = self.per_opponent
        if len(scores) < 2:
            return 0.0
        return float(scores.std(ddof=1) / math.sqrt(len(scores)))


@dataclass(frozen=True)
class Gauntlet:
    """Opponents, the settings battles are played under, and each opponent's placements.

    Attributes:
        opponents: the assembled opponents.
        settings: ``settings.rounds`` is the number of rounds against each opponent.
        seeds: the pMARS seed of each opponent's placements.
    """

    opponents: tuple[Opponent, ...]
    settings: Settings
    seeds: tuple[int, ...]

    @classmethod
    def of(cls, opponents: Sequence[Opponent], settings: Settings, seed: int) -> Gauntlet:
        """A gauntlet whose opponent ``k`` is placed from ``placement_seed(seed, k)``."""
        seeds = tuple(placement_seed(seed, k, settings) for k in range(len(opponents)))
        return cls(tuple(opponents), settings, seeds)

    def subset(self, count: int, rounds: int) -> Gauntlet:
        """A cheaper gauntlet: ``count`` opponents spread evenly over this one's, at
        ``rounds`` rounds each (each keeps its placements)."""
        count = min(count, len(self.opponents))
        picked = np.linspace(0, len(self.opponents), count, endpoint=False).astype(int)
        settings = Settings(**{**self.settings.__dict__, "rounds": rounds})
        return Gauntlet(
            tuple(self.opponents[i] for i in picked), settings, tuple(self.seeds[i] for i in picked)
        )

    def play(self, warriors: Sequence[Warrior], *, observe: bool = False) -> list[Outcome]:
        """Every warrior against every opponent, in one batch spread over the cores."""
        from problems.corewar.battle import run_pairs

        count, n = len(warriors), len(self.opponents)
        pool = list(warriors) + [o.warrior for o in self.opponents]
        pairs = [(i, count + k) for i in range(count) for k in range(n)]
        result = run_pairs(pool, pairs, self.settings, list(self.seeds) * count, observe=observe)
        wins = result.wins.reshape(count, n)
        losses = result.losses.reshape(count, n)
        ties = result.ties.reshape(count, n)
        observations = result.observations[:, :, 0, :].reshape(count, n, self.settings.rounds, -1)
        return [Outcome(wins[i], ties[i], losses[i], observations[i]) for i in range(count)]


def placement_seed(seed: int, opponent: int, settings: Settings) -> int:
    """The pMARS seed of opponent ``opponent``'s placements in a gauntlet seeded ``seed``."""
    positions = settings.coresize - 2 * settings.mindistance + 1
    return (seed * 1_000_003 + opponent * 7_919) % positions
