"""Where warriors go each round and who moves first: pMARS's generator and placement."""

from __future__ import annotations

from problems.corewar.redcode import Settings

RETRIES1, RETRIES2 = 20, 4


def rng(seed: int) -> int:
    """pMARS's Park-Miller generator (Schrage's method, 32-bit signed arithmetic)."""
    temp = 16807 * _c_mod(seed, 127773) - 2836 * _c_div(seed, 127773)
    return temp + 2147483647 if temp < 0 else temp


def _c_div(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


def _c_mod(a: int, b: int) -> int:
    return a - b * _c_div(a, b)


def _posit(count: int, settings: Settings, seed: int) -> tuple[list[int] | None, int]:
    """Random positions for warriors 1.. at least ``mindistance`` apart (may fail)."""
    sep, size = settings.mindistance, settings.coresize
    positions = [0] * count
    pos, retries1, retries2 = 1, RETRIES1, RETRIES2
    while pos < count:
        seed = rng(seed)
        positions[pos] = seed % (size - 2 * sep + 1) + sep
        clash = next((i for i in range(1, pos) if abs(positions[pos] - positions[i]) < sep), pos)
        if clash == pos:
            pos += 1
        elif not retries2:
            return None, seed
        elif not retries1:
            pos, retries2, retries1 = clash, retries2 - 1, RETRIES1
        else:
            retries1 -= 1
    return positions, seed


def _npos(count: int, settings: Settings, seed: int) -> tuple[list[int], int]:
    """Fallback placement: sorted gaps, then a shuffle."""
    sep = settings.mindistance
    room = settings.coresize - sep * count + 1
    positions = [0] * count
    for i in range(1, count):
        seed = rng(seed)
        temp = seed % room
        j = i - 1
        while j > 0 and temp <= positions[j]:
            positions[j + 1] = positions[j]
            j -= 1
        positions[j + 1] = temp
    for i in range(1, count):
        positions[i] += sep * i
    for i in range(1, count):
        seed = rng(seed)
        j = seed % (count - i) + i
        positions[i], positions[j] = positions[j], positions[i]
    return positions, seed


def schedule(count: int, settings: Settings, rounds: int, seed: int) -> list[tuple[list[int], int]]:
    """``(positions, first mover)`` for each round, exactly as pMARS draws them.

    ``seed`` is pMARS's initial seed: ``F - mindistance`` for ``-F F``.
    """
    plan = []
    for round_index in range(rounds):
        if count == 1:
            positions = [0]
        elif count == 2:
            positions = [
                0,
                settings.mindistance + seed % (settings.coresize + 1 - 2 * settings.mindistance),
            ]
            seed = rng(seed)
        else:
            placed, seed = _posit(count, settings, seed)
            if placed is None:
                placed, seed = _npos(count, settings, seed)
            positions = placed
        plan.append((positions, round_index % count))
    return plan
