"""A non-transitive game: mixed strategies of a weighted rock-paper-scissors (ELO demo)."""

from __future__ import annotations

import numpy as np

from evo.problem import Problem
from evo.records import Evaluation, Objective, Status

ACTIONS = ("rock", "paper", "scissors")

PAYOFF = np.array(
    [
        [0.0, -0.5, 1.0],  # rock: loses a little to paper, beats scissors soundly
        [0.5, 0.0, -0.5],  # paper
        [-1.0, 0.5, 0.0],  # scissors
    ]
)
"""Row player's payoff; antisymmetric, so the game is zero-sum and non-transitive."""

NASH = np.array([0.25, 0.5, 0.25])
"""The unique equilibrium of ``PAYOFF`` (its exploitability is zero)."""


class WeightedRPS(Problem):
    """Genome: a mixed strategy (three probabilities). Matches are scored exactly.

    ``match(a, b)`` is the expected score of ``a`` against ``b`` in [0, 1]
    (``0.5 + payoff / 2``), so ratings can be checked against the true expected score.
    Exploitability is the best pure response's payoff against the strategy (0 at the
    equilibrium ``NASH``). Given ``opponents``, the first objective is the mean score
    against them (what a Red Queen round maximises).
    """

    name = "rps"
    description = "weighted rock-paper-scissors mixed strategies: a non-transitive game (ELO demo)"

    def __init__(self, sigma: float = 0.3, opponents: list[list[float]] | None = None) -> None:
        if sigma <= 0:
            raise ValueError(f"sigma must be positive, got {sigma}")
        self.sigma = sigma
        self.fixed = [self.strategy(o) for o in opponents or []]
        exploitability = Objective("exploitability", "min")
        self.objectives = (Objective("score"), exploitability) if self.fixed else (exploitability,)

    @staticmethod
    def strategy(genome: list[float]) -> np.ndarray:
        """The genome as a probability vector (raises ValueError if it is not one)."""
        p = np.asarray(genome, dtype=float)
        if p.shape != (3,) or not np.all(np.isfinite(p)) or np.any(p < 0) or p.sum() <= 0:
            raise ValueError(f"not a mixed strategy over {ACTIONS}: {genome!r}")
        return p / p.sum()

    def seeds(self, rng: np.random.Generator, n: int) -> list[list[float]]:
        return [[round(float(v), 6) for v in rng.dirichlet([0.3, 0.3, 0.3])] for _ in range(n)]

    def evaluate(self, genome: list[float]) -> Evaluation:
        try:
            p = self.strategy(genome)
        except ValueError as exc:
            return Evaluation.failure(Status.INVALID, str(exc))
        objectives = {"exploitability": float(np.max(PAYOFF @ p))}
        if self.fixed:
            objectives["score"] = float(np.mean([0.5 + 0.5 * p @ PAYOFF @ o for o in self.fixed]))
        return Evaluation(objectives=objectives)

    def mutate(self, genome: list[float], rng: np.random.Generator) -> list[float]:
        logits = np.log(self.strategy(genome) + 1e-6) + rng.normal(0.0, self.sigma, 3)
        p = np.exp(logits - logits.max())
        return [round(float(v), 6) for v in p / p.sum()]

    def crossover(self, a: list[float], b: list[float], rng: np.random.Generator) -> list[float]:
        w = float(rng.random())
        p = w * self.strategy(a) + (1 - w) * self.strategy(b)
        return [round(float(v), 6) for v in p]

    def match(self, a: list[float], b: list[float]) -> float:
        return float(0.5 + 0.5 * self.strategy(a) @ PAYOFF @ self.strategy(b))

    def opponents(self) -> list[list[float]]:
        """The three pure strategies, fixed reference points for ratings."""
        return [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
