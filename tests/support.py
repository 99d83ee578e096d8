"""Helpers shared by the tests (importable because pytest puts tests/ on the path)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from evo.config import ExperimentConfig, validate

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVO = [sys.executable, "-c", "from evo.cli import console; console()"]
"""What the installed ``evo`` script runs."""


def make_config(**sections: Any) -> ExperimentConfig:
    """An experiment config: a small sequential sphere run unless sections say otherwise."""
    data: dict[str, Any] = {
        "name": "test",
        "seed": 0,
        "problem": {"name": "evo.testing.problems:Sphere"},
        "population": {"size": 10},
        "evaluation": {"backend": "sequential", "timeout": 5},
        "budget": {"evaluations": 50},
    }
    data.update(sections)
    return validate(data, "test")
