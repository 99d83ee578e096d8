"""Step sizes chosen with modular arithmetic.

A bomber or scanner that adds ``step`` to its pointer each time visits the cells
``start + k * step (mod coresize)``. With ``g = gcd(step, coresize)`` it only ever visits
one residue class mod ``g`` (a "mod-g" pattern: its own code is safe when it fits between
two visited cells), and the visits spread over that class the more evenly, the better the
step. The spread is measured by the largest gap between visited cells after ``k`` visits,
relative to the ideal ``n / k`` (``n = coresize / g`` cells in the class), averaged over
``k`` up to the full cycle. Good steps keep that ratio close to 1 all along.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

MODULI = (1, 2, 4, 5, 8, 10, 16)
"""Residue classes a step may work in (``gcd(step, coresize)``)."""


def spread_cost(step: int, coresize: int, checkpoints: int = 24) -> float:
    """Mean over checkpoints of (largest gap after ``k`` visits) / (ideal gap ``n / k``)."""
    g = math.gcd(step, coresize)
    n = coresize // g
    unit = (step // g) % n
    visits = (np.arange(1, n + 1, dtype=np.int64) * unit) % n
    ks = np.unique(np.geomspace(4, n, checkpoints).astype(int))
    ratios = []
    for k in ks:
        seen = np.sort(visits[:k])
        gaps = np.diff(np.concatenate([seen, [seen[0] + n]]))
        ratios.append(gaps.max() / (n / k))
    return float(np.mean(ratios))


@lru_cache(maxsize=64)
def good_steps(coresize: int, modulus: int, keep: int = 48) -> tuple[int, ...]:
    """The ``keep`` steps with the most even spread among those with
    ``gcd(step, coresize) == modulus``, best first (empty when ``modulus`` does not
    divide ``coresize``)."""
    if coresize % modulus:
        return ()
    n = coresize // modulus
    candidates = [modulus * u for u in range(2, n // 2 + 1) if math.gcd(u, n) == 1]
    if len(candidates) > 1500:  # a fixed, even thinning keeps the table quick to build
        candidates = candidates[:: math.ceil(len(candidates) / 1500)]
    ranked = sorted(candidates, key=lambda s: (spread_cost(s, coresize), s))
    return tuple(ranked[:keep])


def step_table(coresize: int) -> dict[int, tuple[int, ...]]:
    """Good steps by modulus, for every modulus in ``MODULI`` that divides ``coresize``."""
    return {m: good_steps(coresize, m) for m in MODULI if coresize % m == 0}


def imp_step(coresize: int, points: int) -> int | None:
    """The step of an ``points``-point imp ring: ``points * step == 1 (mod coresize)``,
    or None when ``points`` shares a factor with the core size."""
    if math.gcd(points, coresize) != 1:
        return None
    return pow(points, -1, coresize)
