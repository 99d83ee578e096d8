"""Parameters of strategy components: what kind of number each is and how to vary it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from problems.corewar.strategy.steps import step_table

Kind = Literal["step", "offset", "count", "choice"]


@dataclass(frozen=True)
class Param:
    """One tunable number of a component.

    Attributes:
        name: the placeholder in the component's template.
        kind: ``step`` (drawn from the good-step table, of modulus ``moduli``), ``offset``
            (a distance in core, perturbed by small and large moves), ``count`` (a small
            integer in ``[low, high]``) or ``choice`` (an index into ``low..high``).
        low, high: the range (for ``step``: the moduli allowed).
        moduli: for ``step``: the residue classes a step may work in.
    """

    name: str
    kind: Kind
    low: int = 0
    high: int = 0
    moduli: tuple[int, ...] = ()

    def sample(self, rng: np.random.Generator, coresize: int) -> int:
        """A random value."""
        if self.kind == "step":
            table = step_table(coresize)
            moduli = [m for m in self.moduli if table.get(m)] or [1]
            steps = table[moduli[int(rng.integers(len(moduli)))]]
            return int(steps[int(rng.integers(len(steps)))])
        return int(rng.integers(self.low, self.high + 1))

    def neighbours(self, value: int, rng: np.random.Generator, coresize: int, k: int) -> list[int]:
        """Up to ``k`` other values near ``value`` (and a few far ones), for tuning."""
        if self.kind == "choice" or (self.kind == "count" and self.high - self.low < k):
            options = [v for v in range(self.low, self.high + 1) if v != value]
            rng.shuffle(options)
            return options[:k]
        out: set[int] = set()
        for _ in range(8 * k):
            if len(out) >= k:
                break
            candidate = self._move(value, rng, coresize)
            if candidate != value:
                out.add(candidate)
        return sorted(out)

    def _move(self, value: int, rng: np.random.Generator, coresize: int) -> int:
        roll = rng.random()
        if self.kind == "step":
            if roll < 0.5:  # another good step of the same kind
                return self.sample(rng, coresize)
            return int((value + rng.integers(-40, 41)) % coresize) or value
        if self.kind == "offset":
            if roll < 0.6:
                return int(np.clip(value + rng.integers(-8, 9), self.low, self.high))
            return int(rng.integers(self.low, self.high + 1))
        spread = max(1, (self.high - self.low) // 8)
        if roll < 0.7:
            return int(np.clip(value + rng.integers(-spread, spread + 1), self.low, self.high))
        return int(rng.integers(self.low, self.high + 1))

    def clip(self, value: int, coresize: int) -> int:
        """``value`` brought into this parameter's range."""
        if self.kind == "step":
            return int(value) % coresize or 1
        return int(min(max(int(value), self.low), self.high))
