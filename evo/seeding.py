"""Bridges to libraries that draw from Python's global ``random`` module (deap)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


@contextmanager
def global_random_from(rng: np.random.Generator) -> Iterator[None]:
    """Seed Python's ``random`` from ``rng`` for the block, then restore its state.

    deap's operators use the global ``random`` module; this keeps them reproducible
    under the engine's seeded generator without leaking state to other code.
    """
    saved = random.getstate()
    random.seed(int(rng.integers(2**63)))
    try:
        yield
    finally:
        random.setstate(saved)
