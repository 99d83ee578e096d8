"""What a ``run_agent`` returns for one task."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Outcome:
    """The result of one agent on one task.

    Attributes:
        score: task score in [0, 1] (1 = solved; partial credit below).
        success: whether the task was solved (``score == 1`` when not given).
        steps: actions taken.
        tokens: model tokens used (0 for agents without a model).
        cost: dollars spent (0 when unknown).
        trace: a transcript (quoted in feedback and prompts, clipped).
        note: one line on why the task failed (empty on success).
        unmet: conditions the agent needed but no skill achieved, in the skill
            language's variable form (hints for structural skill operators).
    """

    score: float
    success: bool | None = None
    steps: int = 0
    tokens: int = 0
    cost: float = 0.0
    trace: str = ""
    note: str = ""
    unmet: tuple[str, ...] = ()

    @property
    def solved(self) -> bool:
        """``success`` if given, else whether the score is 1."""
        return bool(self.success) if self.success is not None else self.score >= 1.0

    @classmethod
    def coerce(cls, value: Any) -> Outcome:
        """An ``Outcome`` from what a user's ``run_agent`` returned (an Outcome or a
        mapping with at least ``score``); raises ``ValueError`` with the reason."""
        if isinstance(value, Outcome):
            outcome = value
        elif isinstance(value, Mapping):
            if "score" not in value:
                raise ValueError("run_agent returned a mapping without 'score'")
            unknown = set(value) - set(cls.__dataclass_fields__)
            if unknown:
                raise ValueError(f"run_agent returned unknown field {sorted(unknown)[0]!r}")
            try:
                outcome = cls(**dict(value))
            except TypeError as exc:
                raise ValueError(f"run_agent returned a bad outcome: {exc}") from None
        else:
            raise ValueError(f"run_agent returned {type(value).__name__}, not an Outcome or dict")
        for name in ("score", "steps", "tokens", "cost"):
            number = getattr(outcome, name)
            if not isinstance(number, int | float) or not math.isfinite(number):
                raise ValueError(f"outcome {name} is not a finite number: {number!r}")
        if not 0.0 <= outcome.score <= 1.0:
            raise ValueError(f"outcome score {outcome.score!r} is outside [0, 1]")
        return outcome
