"""Task suites: training and held-out tasks are households generated from disjoint seeds.

A task is JSON data ``{"id", "seed", "kind", "goal"}``; its household is rebuilt from
the seed wherever it runs. Kinds rotate through the six task kinds so that every suite
(and every minibatch of six consecutive tasks) covers all of them.
"""

from __future__ import annotations

from typing import Any

from problems.household.catalog import TASK_KINDS
from problems.household.world import generate

TRAIN_START = 0
HELDOUT_START = 100_000


def task(seed: int, split: str = "train") -> dict[str, Any]:
    """The task of ``seed``; its kind is ``TASK_KINDS[seed % 6]`` when the house allows."""
    world = generate(seed, TASK_KINDS[seed % len(TASK_KINDS)])
    return {"id": f"{split}-{seed}", "seed": seed, "kind": world.goal.kind, "goal": world.goal.text}


def suite(
    n_train: int = 30,
    n_heldout: int = 30,
    train_start: int = TRAIN_START,
    heldout_start: int = HELDOUT_START,
) -> dict[str, list[dict[str, Any]]]:
    """``{"train": [...], "heldout": [...]}`` from disjoint seed ranges."""
    if n_train < 1 or n_heldout < 0:
        raise ValueError("n_train must be >= 1 and n_heldout >= 0")
    train = range(train_start, train_start + n_train)
    heldout = range(heldout_start, heldout_start + n_heldout)
    if set(train) & set(heldout):
        raise ValueError("the training and held-out seed ranges overlap")
    return {
        "train": [task(s, "train") for s in train],
        "heldout": [task(s, "heldout") for s in heldout],
    }
