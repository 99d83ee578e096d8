"""Rounds on the numba MARS: the rounds of one battle in order or in parallel, and
batches of two-warrior battles across cores.

``play_rounds`` (rounds in order, P-space carried over) works in buffers its caller
provides, so that ``compiled`` can build it into a library that needs neither numba nor
numpy at run time.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from problems.corewar.layout import OBSERVATIONS
from problems.corewar.mars import play_round, round_buffers


@njit(cache=True, error_model="numpy")
def play_rounds(
    instr,
    a,
    b,
    offsets,
    lengths,
    starts,
    positions,
    starters,
    cycles,
    processes,
    pspace_index,
    track,
    alive,
    order,
    observations,
    core,
    queue,
    state,
    written,
    pspace,
    last_result,
):
    """All rounds of one battle in order, P-space and results carried from round to
    round; fills ``alive`` ``(rounds, n)``, ``order`` and ``observations``, using the
    scratch of ``mars.round_buffers`` and ``pspace`` ``(n, psize)``, ``last_result``
    ``(n,)``. Returns the number of rounds played."""
    rounds = positions.shape[0]
    pspace[:, :] = 0
    last_result[:] = (core.shape[0] >> 2) - 1
    for r in range(rounds):
        play_round(
            core,
            queue,
            state,
            written,
            instr,
            a,
            b,
            offsets,
            lengths,
            starts,
            positions[r],
            starters[r],
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
        core, queue, state, written = round_buffers(n, size, processes, track)
        play_round(
            core,
            queue,
            state,
            written,
            instr,
            a,
            b,
            offsets,
            lengths,
            starts,
            positions[r],
            starters[r],
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
    alive = np.zeros((count, positions.shape[0], 2), dtype=np.bool_)
    observations = np.zeros((count, positions.shape[0], 2, OBSERVATIONS), dtype=np.int64)
    for p in prange(count):
        i, j = pairs[p, 0], pairs[p, 1]
        core, queue, state, written = round_buffers(2, size, processes, track)
        play_rounds(
            instr,
            a,
            b,
            np.array([offsets[i], offsets[j]]),
            np.array([lengths[i], lengths[j]]),
            np.array([starts[i], starts[j]]),
            positions,
            starters,
            cycles,
            processes,
            np.array([0, 0 if pspace_index[i] == pspace_index[j] else 1]),
            track,
            alive[p],
            np.empty((positions.shape[0], 2), dtype=np.int64),
            observations[p],
            core,
            queue,
            state,
            written,
            np.zeros((2, psize), dtype=np.int32),
            np.empty(2, dtype=np.int32),
        )
    return alive, observations
