"""Scores a circle-packing program: run it in the sandbox, then check its answer.

The program's claimed sum is never trusted: the validator requires exactly 26 finite
circles with non-negative radii, each inside the unit square and no two overlapping
by more than 1e-9, and recomputes the sum of radii itself.
"""

from __future__ import annotations

import math

from evo.sandbox import Limits, call
from problems.program.numbers import finite

N = 26
TOLERANCE = 1e-9
BEST_KNOWN = 2.635983


def validate(answer: object) -> tuple[float | None, str]:
    """``(sum of radii, "")`` for a valid packing, else ``(None, reason)``."""
    if not isinstance(answer, dict):
        return None, f"run_packing returned {type(answer).__name__}, not a dict"
    centres, radii = answer.get("centres"), answer.get("radii")
    if not isinstance(centres, list) or not isinstance(radii, list):
        return None, "centres and radii must be lists"
    if len(centres) != N or len(radii) != N:
        return None, f"need exactly {N} circles, got {len(centres)} centres and {len(radii)} radii"
    points = []
    for k, (c, r) in enumerate(zip(centres, radii, strict=True)):
        if not (isinstance(c, list | tuple) and len(c) == 2):
            return None, f"centre {k} is not a pair"
        x, y, r = (finite(v) for v in (*c, r))
        if x is None or y is None or r is None:
            return None, f"circle {k} has a value that is not a finite number (or too large)"
        if r < 0:
            return None, f"circle {k} has a negative radius"
        if (
            x - r < -TOLERANCE
            or y - r < -TOLERANCE
            or x + r > 1 + TOLERANCE
            or y + r > 1 + TOLERANCE
        ):
            return None, f"circle {k} sticks out of the unit square"
        points.append((x, y, r))
    for i in range(N):
        for j in range(i + 1, N):
            (xi, yi, ri), (xj, yj, rj) = points[i], points[j]
            if ri + rj - math.hypot(xi - xj, yi - yj) > TOLERANCE:
                return None, f"circles {i} and {j} overlap"
    return sum(p[2] for p in points), ""


class CirclePackingEvaluator:
    """Evaluator for ``ProgramProblem``: maximise the validated sum of radii."""

    objectives = [("sum_radii", "max")]
    description = (
        "Place 26 circles in the unit square so that they do not overlap and the sum of "
        f"their radii is as large as possible (best known: {BEST_KNOWN}). The program "
        "defines run_packing() returning {'centres': [[x, y], ...], 'radii': [...]}; "
        "radii may be anything that fits, so computing them well matters as much as the "
        "centres."
    )

    def __init__(self, time_limit: float = 10.0) -> None:
        self.limits = Limits(wall_time=time_limit, memory=1 << 30)

    def _score(self, program_path: str, limits: Limits) -> dict:
        outcome = call(program_path, "run_packing", limits=limits)
        if outcome.status != "ok":
            return {
                "error": outcome.reason,
                "timeout": outcome.status == "timeout",
                "stderr": outcome.stderr[-2000:],
                **outcome.artifacts,
            }
        total, reason = validate(outcome.value)
        if total is None:
            return {"sum_radii": float("nan"), "feedback": f"invalid packing: {reason}"}
        claimed = finite(outcome.value.get("sum")) if isinstance(outcome.value, dict) else None
        note = ""
        if claimed is not None and abs(claimed - total) > 1e-6:
            note = f" (the program claimed {claimed:.6f})"
        return {
            "sum_radii": total,
            "runtime": outcome.wall_time,
            "feedback": f"valid packing, sum of radii {total:.6f} of best known {BEST_KNOWN}{note}",
        }

    def evaluate_stage1(self, program_path: str) -> dict:
        """A quick run with a short time limit."""
        return self._score(program_path, Limits(wall_time=2.0, memory=self.limits.memory))

    def evaluate(self, program_path: str) -> dict:
        return self._score(program_path, self.limits)
