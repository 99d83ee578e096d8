"""Small problems for tests and examples, including one that misbehaves on purpose."""

from __future__ import annotations

import hashlib
import os
import signal
import time

import numpy as np

from evo.problem import Problem
from evo.records import Evaluation, Objective


class Sphere(Problem):
    """Minimise the sum of squares of ``n_var`` reals in [-1, 1], optionally slowly."""

    name = "sphere"
    description = "sum of squares (test problem)"
    objectives = (Objective("loss", "min"),)

    def __init__(self, n_var: int = 5, delay: float = 0.0) -> None:
        self.n_var = n_var
        self.delay = delay

    def seeds(self, rng: np.random.Generator, n: int) -> list[list[float]]:
        return np.round(rng.uniform(-1, 1, (n, self.n_var)), 6).tolist()

    def evaluate(self, genome: list[float]) -> dict[str, float]:
        if self.delay:
            time.sleep(self.delay)
        return {"loss": float(np.sum(np.square(genome)))}

    def mutate(self, genome: list[float], rng: np.random.Generator) -> list[float]:
        x = np.asarray(genome) + rng.normal(0, 0.1, self.n_var)
        return np.round(np.clip(x, -1, 1), 6).tolist()

    def crossover(self, a: list[float], b: list[float], rng: np.random.Generator) -> list[float]:
        mask = rng.random(self.n_var) < 0.5
        return np.where(mask, a, b).tolist()


class Described(Sphere):
    """A sphere whose first two coordinates are reported as behaviour descriptors."""

    name = "described"
    description = "sum of squares with descriptors x0, x1 (MAP-Elites test problem)"

    def evaluate(self, genome: list[float]) -> Evaluation:
        loss = super().evaluate(genome)
        return Evaluation(objectives=loss, descriptors={"x0": genome[0], "x1": genome[1]})


def _bucket(salt: str, genome: list[float], modulus: int) -> int:
    digest = hashlib.sha256(f"{salt}{genome!r}".encode()).digest()
    return int.from_bytes(digest[:4], "little") % modulus


class Faulty(Sphere):
    """A sphere whose evaluate misbehaves for some genomes (chosen by a hash of the genome).

    Args:
        hang: one genome in ``hang`` sleeps forever (0 = never).
        raise_: one in ``raise_`` raises an exception.
        stuck: one in ``stuck`` ignores the alarm signal and spins: only a runner that
            kills its workers (loky) can stop it; never use it with the sequential runner.
        crash: one in ``crash`` kills its own process.
        nan: one in ``nan`` returns NaN.
    """

    name = "faulty"
    description = "a sphere that hangs, raises, crashes or returns NaN for some genomes"

    def __init__(
        self,
        n_var: int = 5,
        hang: int = 0,
        raise_: int = 0,
        stuck: int = 0,
        crash: int = 0,
        nan: int = 0,
    ) -> None:
        super().__init__(n_var)
        self.faults = {"hang": hang, "raise": raise_, "stuck": stuck, "crash": crash, "nan": nan}

    def fault(self, genome: list[float]) -> str | None:
        """Which fault, if any, ``genome`` triggers."""
        for kind, every in self.faults.items():
            if every and _bucket(kind, genome, every) == 0:
                return kind
        return None

    def evaluate(self, genome: list[float]) -> dict[str, float]:
        kind = self.fault(genome)
        if kind == "hang":
            time.sleep(10**6)
        elif kind == "raise":
            raise RuntimeError("deliberate failure")
        elif kind == "stuck":
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            while True:
                pass
        elif kind == "crash":
            os._exit(3)
        elif kind == "nan":
            return {"loss": float("nan")}
        return super().evaluate(genome)
