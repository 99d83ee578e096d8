"""ZDT1: the classic two-objective benchmark, a demo of Pareto survival."""

from __future__ import annotations

import math

import numpy as np

from evo.problem import Problem
from evo.records import Objective
from evo.seeding import global_random_from


class ZDT1(Problem):
    """ZDT1 with ``n_var`` variables in [0, 1]; both objectives minimised.

    The true front is ``f2 = 1 - sqrt(f1)`` for ``f1`` in [0, 1]; its hypervolume at
    the reference point (1.1, 1.1) is ``0.1 + 2/3 + 0.11``.
    """

    name = "zdt1"
    description = "ZDT1 benchmark: 30 reals in [0, 1], minimise f1 and f2 (Pareto demo)"
    objectives = (Objective("f1", "min"), Objective("f2", "min"))
    hypervolume_reference = (1.1, 1.1)
    optimal_hypervolume = 0.1 + 2.0 / 3.0 + 0.11

    def __init__(self, n_var: int = 30, eta_crossover: float = 15.0, eta_mutation: float = 20.0):
        if n_var < 2:
            raise ValueError(f"n_var must be at least 2, got {n_var}")
        self.n_var = n_var
        self.eta_crossover = eta_crossover
        self.eta_mutation = eta_mutation

    def seeds(self, rng: np.random.Generator, n: int) -> list[list[float]]:
        return rng.random((n, self.n_var)).tolist()

    def evaluate(self, genome: list[float]) -> dict[str, float]:
        x = np.asarray(genome, dtype=float)
        if x.shape != (self.n_var,) or np.any((x < 0) | (x > 1)):
            raise ValueError(f"genome must be {self.n_var} numbers in [0, 1]")
        g = 1.0 + 9.0 * float(np.mean(x[1:]))
        f1 = float(x[0])
        return {"f1": f1, "f2": g * (1.0 - math.sqrt(f1 / g))}

    def mutate(self, genome: list[float], rng: np.random.Generator) -> list[float]:
        from deap import tools

        with global_random_from(rng):
            (child,) = tools.mutPolynomialBounded(
                list(genome), eta=self.eta_mutation, low=0.0, up=1.0, indpb=1.0 / self.n_var
            )
        return [float(v) for v in child]

    def crossover(self, a: list[float], b: list[float], rng: np.random.Generator) -> list[float]:
        from deap import tools

        with global_random_from(rng):
            child, _ = tools.cxSimulatedBinaryBounded(
                list(a), list(b), eta=self.eta_crossover, low=0.0, up=1.0
            )
        return [float(v) for v in child]
