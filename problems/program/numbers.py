"""Numbers from untrusted places (a program's answer, an evaluator's metrics)."""

from __future__ import annotations

import math


def finite(value: object) -> float | None:
    """``value`` as a finite float, or None: not a number (booleans included), NaN,
    infinite, or an integer too large for a float (10**400)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None
