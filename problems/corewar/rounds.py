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
    threads,
    core_dtype,
):
    """All rounds of one battle in parallel, each with a fresh P-space (for warriors
    that never touch P-space). Returns ``(alive, order, observations)``.

    Each of ``threads`` workers takes every ``threads``-th round and reuses one set of
    scratch."""
    rounds, n = positions.shape
    alive = np.zeros((rounds, n), dtype=np.bool_)
    order = np.full((rounds, n), -1, dtype=np.int64)
    observations = np.zeros((rounds, n, OBSERVATIONS), dtype=np.int64)
    workers = max(1, min(threads, rounds))
    for worker in prange(workers):
        core, queue, state, written = round_buffers(n, size, processes, track, core_dtype)
        pspace = np.empty((n, psize), dtype=np.int32)
        last_result = np.empty(n, dtype=np.int32)
        for r in range(worker, rounds, workers):  # one round each: a fresh P-space
            play_rounds(
                instr, a, b, offsets, lengths, starts, positions[r : r + 1],
                starters[r : r + 1], cycles, processes, pspace_index, track, alive[r : r + 1],
                order[r : r + 1], observations[r : r + 1], core, queue, state, written, pspace,
                last_result,
            )  # fmt: skip
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
    threads,
    core_dtype,
):
    """Battles of many ``(i, j)`` pairs, rounds in order within a pair. ``positions``
    ``(layouts, rounds, 2)`` and ``starters`` ``(layouts, rounds)``: pair ``p`` is placed
    by layout ``p % layouts`` (one layout: every pair meets the same placements). Each of
    ``threads`` workers takes every ``threads``-th pair and reuses one set of scratch."""
    count = pairs.shape[0]
    layouts = positions.shape[0]
    rounds = positions.shape[1]
    alive = np.zeros((count, rounds, 2), dtype=np.bool_)
    observations = np.zeros((count, rounds, 2, OBSERVATIONS), dtype=np.int64)
    workers = max(1, min(threads, count))
    for worker in prange(workers):
        core, queue, state, written = round_buffers(2, size, processes, track, core_dtype)
        pair = np.empty((4, 2), dtype=np.int64)  # offsets, lengths, starts, P-space rows
        order = np.empty((rounds, 2), dtype=np.int64)
        pspace = np.empty((2, psize), dtype=np.int32)
        last_result = np.empty(2, dtype=np.int32)
        for p in range(worker, count, workers):
            for k in range(2):
                w = pairs[p, k]
                pair[0, k] = offsets[w]
                pair[1, k] = lengths[w]
                pair[2, k] = starts[w]
            pair[3, 0] = 0
            pair[3, 1] = 0 if pspace_index[pairs[p, 0]] == pspace_index[pairs[p, 1]] else 1
            play_rounds(
                instr, a, b, pair[0], pair[1], pair[2], positions[p % layouts],
                starters[p % layouts], cycles, processes,
                pair[3], track, alive[p], order, observations[p], core, queue, state, written,
                pspace, last_result,
            )  # fmt: skip
    return alive, observations
