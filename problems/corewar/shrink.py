"""Shrinking a warrior: drop the instructions that never execute and never matter.

Execution traces (the reference MARS, a few rounds against some opponents) tell which of
the warrior's lines ever run where it was loaded. A line that never runs may still
matter as data (a pointer, a bomb, a step), so each is only dropped when the warrior
without it plays at least as well on the gauntlet, give or take ``tolerance``. Removing a
line shifts the warrior's references across it, as an editor would.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from problems.corewar.gauntlet import Gauntlet
from problems.corewar.mars_reference import Mars
from problems.corewar.operators import delete_line
from problems.corewar.placement import schedule
from problems.corewar.redcode import Settings, Warrior


@dataclass(frozen=True)
class Shrunk:
    """A shrunk warrior, the lines removed (indices in the original) and both scores."""

    warrior: Warrior
    removed: tuple[int, ...]
    score_before: float
    score_after: float


def executed_lines(
    warrior: Warrior, opponents: Sequence[Warrior], settings: Settings, seed: int = 1
) -> set[int]:
    """Lines of ``warrior`` that run at least once where it was loaded, in one round
    against each opponent (and one round alone)."""
    seen: set[int] = set()
    length = len(warrior)

    def play(rivals: list[Warrior], positions: list[int]) -> None:
        def trace(who: int, address: int, cell: list[int]) -> None:
            if who == 0:
                seen.add((address - positions[0]) % settings.coresize)

        run = Settings(**{**settings.__dict__, "warriors": 1 + len(rivals)})
        Mars([warrior, *rivals], run).round(positions, 0, trace)

    play([], [0])
    for k, rival in enumerate(opponents):
        positions, _ = schedule(2, settings, 1, seed + k)[0]
        play([rival], positions)
    return {line for line in seen if line < length}


def shrink(
    warrior: Warrior,
    gauntlet: Gauntlet,
    *,
    tolerance: float = 0.02,
    min_rounds: int = 800,
    traced_opponents: int = 4,
) -> Shrunk:
    """Remove, one at a time, the never-executed line whose removal plays best, while
    the score stays within ``tolerance`` of the original's; stops when none does.

    The lines are traced once, on the original warrior."""
    settings = gauntlet.settings
    rounds = math.ceil(min_rounds / len(gauntlet.opponents))
    if rounds > settings.rounds:
        gauntlet = replace(gauntlet, settings=replace(settings, rounds=rounds))
    rivals = [o.warrior for o in gauntlet.opponents[:traced_opponents]]
    idle = sorted(set(range(len(warrior))) - executed_lines(warrior, rivals, settings))
    base = gauntlet.play([warrior])[0].score
    current, score, origin = warrior, base, list(range(len(warrior)))
    removed: list[int] = []
    while idle and len(current) > 1:
        trials = [_without(current, line, settings.coresize) for line in idle]
        scores = [o.score for o in gauntlet.play(trials)]
        best = int(np.argmax(scores))
        if scores[best] < base - tolerance:
            break
        line = idle.pop(best)
        removed.append(origin.pop(line))
        idle = [i - (i > line) for i in idle]
        current, score = trials[best], scores[best]
    return Shrunk(current, tuple(sorted(removed)), base, score)


def _without(warrior: Warrior, line: int, coresize: int) -> Warrior:
    code = delete_line(np.asarray(warrior.code), line, coresize)
    start = warrior.start - (line < warrior.start)
    return Warrior(code=code, start=int(min(max(start, 0), len(code) - 1)), name=warrior.name)
