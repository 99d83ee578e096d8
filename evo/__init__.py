"""evo: evolutionary search for programs, Core War warriors and agent configurations.

The public names a problem adapter needs live here; the engine, stores and runners are
in their own modules. They load on first use, so ``evo battle`` and other light commands
do not pay for them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evo.problem import Problem
    from evo.records import Candidate, Evaluation, Match, Objective, Status

_HOMES = {
    "Candidate": "evo.records",
    "Evaluation": "evo.records",
    "Match": "evo.records",
    "Objective": "evo.records",
    "Status": "evo.records",
    "Problem": "evo.problem",
}
__all__ = ["Candidate", "Evaluation", "Match", "Objective", "Problem", "Status"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'evo' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
