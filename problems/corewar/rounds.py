"""Rounds on the numba MARS: the rounds of one battle in order or in parallel, and
batches of two-warrior battles across cores.

``play_rounds`` (rounds in order, P-space carried over) is also what ``compiled`` builds
ahead of time, so its arguments are all arrays and integers of fixed types.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from problems.corewar.layout import OBSERVATIONS
from problems.corewar.mars import play_round


@njit(cache=True)
def _one_round(
    instr,
    a,
    b,
    offsets,
    lengths,
    starts,
    positions,
    starter,
    size,
    cycles,
    processes,
    pspace,
    pspace_index,
    last_result,
    alive,
    order,
    observations,
    track,
):
    n = lengths.shape[0]
    core = np.empty((size, 4), dtype=np.int32)
    written = np.zeros((n, size) if track else (1, 1), dtype=np.uint8)
    return play_round(
        core,
        instr,
        a,
        b,
        offsets,
        lengths,
        starts,
        positions,
        starter,
        cycles,
        processes,
        pspace,
        pspace_index,
        last_result,
        alive,
        order,
        observations,
        written,
        track,
    )


@njit(cache=True)
def play_rounds(
    instr,
    a,
    b,
    offsets,
    lengths,
    starts,
    positions,
    starters,
    size,
    cycles,
    processes,
    psize,
    pspace_index,
    track,
    alive,
    order,
    observations,
):
    """All rounds of one battle in order, P-space and results carried from round to
    round; fills ``alive`` ``(rounds, n)``, ``order`` and ``observations``. Returns the
    number of rounds played."""
    rounds, n = positions.shape
    pspace = np.zeros((n, psize), dtype=np.int32)
    last_result = np.full(n, size - 1, dtype=np.int32)
    for r in range(rounds):
        _one_round(
            instr,
            a,
            b,
            offsets,
            lengths,
            starts,
            positions[r],
            starters[r],
            size,
            cycles,
            processes,
            pspace,
            pspace_index,
            last_result,
            alive[r],
            order[r],
            observations[r],
            track,
        )
    return rounds


@njit(cache=True, parallel=True)
def independent_rounds(
    instr,
    a,
    b,
    offsets,
    lengths,
    starts,
    positions,
    starters,
    size,
    cycles,
    processes,
    psize,
    pspace_index,
    track,
):
    """All rounds of one battle in parallel, each with a fresh P-space (for warriors
    that never touch P-space). Returns ``(alive, order, observations)``."""
    rounds, n = positions.shape
    alive = np.zeros((rounds, n), dtype=np.bool_)
    order = np.full((rounds, n), -1, dtype=np.int64)
    observations = np.zeros((rounds, n, OBSERVATIONS), dtype=np.int64)
    for r in prange(rounds):
        _one_round(
            instr,
            a,
            b,
            offsets,
            lengths,
            starts,
            positions[r],
            starters[r],
            size,
            cycles,
            processes,
            np.zeros((n, psize), dtype=np.int32),
            pspace_index,
            np.full(n, size - 1, dtype=np.int32),
            alive[r],
            order[r],
            observations[r],
            track,
        )
    return alive, order, observations


@njit(cache=True, parallel=True)
def pair_battles(
    instr,
    a,
    b,
    offsets,
    lengths,
    starts,
    pairs,
    pspace_index,
    positions,
    starters,
    size,
    cycles,
    processes,
    psize,
    track,
):
    """Battles of many ``(i, j)`` pairs, one pair per thread, rounds in order."""
    count = pairs.shape[0]
    rounds = positions.shape[0]
    alive = np.zeros((count, rounds, 2), dtype=np.bool_)
    observations = np.zeros((count, rounds, 2, OBSERVATIONS), dtype=np.int64)
    for p in prange(count):
        i, j = pairs[p, 0], pairs[p, 1]
        pair_offsets = np.array([offsets[i], offsets[j]])
        pair_lengths = np.array([lengths[i], lengths[j]])
        pair_starts = np.array([starts[i], starts[j]])
        same = pspace_index[i] == pspace_index[j]
        pair_index = np.array([0, 0 if same else 1])
        pspace = np.zeros((2, psize), dtype=np.int32)
        last_result = np.full(2, size - 1, dtype=np.int32)
        order = np.empty(2, dtype=np.int64)
        for r in range(rounds):
            _one_round(
                instr,
                a,
                b,
                pair_offsets,
                pair_lengths,
                pair_starts,
                positions[r],
                starters[r],
                size,
                cycles,
                processes,
                pspace,
                pair_index,
                last_result,
                alive[p, r],
                order,
                observations[p, r],
                track,
            )
    return alive, observations
