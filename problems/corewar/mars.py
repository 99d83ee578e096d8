"""The numba MARS: the same semantics as ``mars_reference``, compiled.

The core is one flat array of four numbers per cell (``4 * size``), so that an
instruction and its numbers share a cache line: the packed instruction (``layout``), the
A and B numbers and one unused. It is uint16 where the core size allows
(``layout.core_typecode``), so every number read from it is widened to int64 first.

One call plays one round; ``rounds`` drives rounds and batches. Two-warrior rounds, nearly
all of them, run in the generated loops of ``duel``; one warrior or a melee runs in the
general loop here.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from problems.corewar.duel import duel, duel_tracking
from problems.corewar.layout import (
    CELLS_WRITTEN,
    DIED_AT,
    EXECUTED,
    PEAK_PROCESSES,
    STATE_ROWS,
    queue_length,
)
from problems.corewar.rare_ops import mul_div_mod, pspace_op
from problems.corewar.redcode import (
    A_INDIRECT,
    A_POSTINC,
    A_PREDEC,
    ADD,
    B_POSTINC,
    B_PREDEC,
    CMP,
    DAT,
    DIRECT,
    DIV,
    DJN,
    IMMEDIATE,
    JMN,
    JMP,
    JMZ,
    LDP,
    M_A,
    M_AB,
    M_B,
    M_BA,
    M_F,
    M_I,
    M_X,
    MOD,
    MOV,
    MUL,
    SEQ,
    SLT,
    SNE,
    SPL,
    STP,
    SUB,
)


@njit(cache=True, inline="always")
def _combine(x: int, y: int, size: int, kind: int) -> int:
    if kind == 0:
        r = x + y
        return r - size if r >= size else r
    r = x - y
    return r + size if r < 0 else r


@njit(cache=True, inline="always")
def _arithmetic(core, addr, mod, aa, ab, ba, bb, size, kind) -> None:  # noqa: ANN001
    """ADD (kind 0), SUB (1): B-target <- B-target op A-target."""
    if mod == M_A:
        core[4 * addr + 1] = _combine(ba, aa, size, kind)
    elif mod == M_B:
        core[4 * addr + 2] = _combine(bb, ab, size, kind)
    elif mod == M_AB:
        core[4 * addr + 2] = _combine(bb, aa, size, kind)
    elif mod == M_BA:
        core[4 * addr + 1] = _combine(ba, ab, size, kind)
    elif mod == M_X:
        core[4 * addr + 2] = _combine(bb, aa, size, kind)
        core[4 * addr + 1] = _combine(ba, ab, size, kind)
    else:
        core[4 * addr + 1] = _combine(ba, aa, size, kind)
        core[4 * addr + 2] = _combine(bb, ab, size, kind)


@njit(cache=True, inline="always")
def _zero(mod: int, a: int, b: int) -> bool:
    """The test of JMZ (and, negated, JMN and DJN) on the B-target's numbers."""
    if mod == M_A or mod == M_BA:
        return a == 0
    if mod == M_B or mod == M_AB:
        return b == 0
    return a == 0 and b == 0


@njit(cache=True, inline="always")
def _equal(mod: int, aa: int, ab: int, ba: int, bb: int) -> bool:
    if mod == M_A:
        return aa == ba
    if mod == M_B:
        return ab == bb
    if mod == M_AB:
        return aa == bb
    if mod == M_BA:
        return ab == ba
    if mod == M_X:
        return aa == bb and ab == ba
    return aa == ba and ab == bb


@njit(cache=True, inline="always")
def _less(mod: int, aa: int, ab: int, ba: int, bb: int) -> bool:
    if mod == M_A:
        return aa < ba
    if mod == M_B:
        return ab < bb
    if mod == M_AB:
        return aa < bb
    if mod == M_BA:
        return ab < ba
    if mod == M_X:
        return aa < bb and ab < ba
    return aa < ba and ab < bb


@njit(cache=True, error_model="numpy")
def _play_general(
    core: np.ndarray,
    queue: np.ndarray,
    state: np.ndarray,
    lengths: np.ndarray,
    entries: np.ndarray,
    starter: int,
    cycles: int,
    processes: int,
    pspace: np.ndarray,
    pspace_index: np.ndarray,
    last_result: np.ndarray,
    alive: np.ndarray,
    death_order: np.ndarray,
    observations: np.ndarray,
    written: np.ndarray,
    track: bool,
) -> int:
    """Any number of warriors on a loaded core: the general loop (one warrior, melee)."""
    n = lengths.shape[0]
    size = core.shape[0] >> 2
    head = state[0]
    tail = state[1]
    count = state[2]
    executed_by = state[3]
    following = state[4]
    previous = state[5]
    for i in range(n):
        w = (starter + i) % n
        queue[w * processes] = entries[w]
        head[w] = 0
        tail[w] = 1 if processes > 1 else 0
        count[w] = 1
        executed_by[w] = 0
        following[w] = (w + 1) % n
        previous[w] = (w - 1) % n
        alive[w] = True
        death_order[i] = -1
        observations[w, EXECUTED] = 0
        observations[w, PEAK_PROCESSES] = 1
        observations[w, CELLS_WRITTEN] = 0
        observations[w, DIED_AT] = -1
    left = n
    cycle = cycles * n
    limit = -cycles * n
    w = starter
    executed = 0
    deaths = 0
    while True:
        pc = queue[w * processes + head[w]]
        head[w] += 1
        if head[w] == processes:
            head[w] = 0
        count[w] -= 1
        executed += 1
        executed_by[w] += 1
        word = np.int64(core[4 * pc])
        op = word >> 9
        mod = (word >> 6) & 7
        amode = (word >> 3) & 7
        bmode = word & 7
        ra_a = np.int64(core[4 * pc + 1])
        ra_b = np.int64(core[4 * pc + 2])
        # Operands (written out twice: numba's inlining costs a third of the speed here).
        if amode == IMMEDIATE:
            addr_a = pc
            aa = ra_a
            ab = ra_b
        else:
            addr_a = pc + ra_a
            if addr_a >= size:
                addr_a -= size
            if amode == DIRECT:
                aa = np.int64(core[4 * addr_a + 1])
                ab = np.int64(core[4 * addr_a + 2])
            else:
                column = 1 if amode == A_INDIRECT or amode == A_PREDEC or amode == A_POSTINC else 2
                offset = np.int64(core[4 * addr_a + column])
                if amode == A_PREDEC or amode == B_PREDEC:
                    offset = offset - 1 if offset > 0 else size - 1
                    core[4 * addr_a + column] = offset
                target = addr_a + offset
                if target >= size:
                    target -= size
                aa = np.int64(core[4 * target + 1])
                ab = np.int64(core[4 * target + 2])
                if amode == A_POSTINC or amode == B_POSTINC:
                    core[4 * addr_a + column] = offset + 1 if offset + 1 < size else 0
                addr_a = target
        if bmode == IMMEDIATE:
            addr_b = pc
            ba = ra_a
            bb = ra_b
        else:
            addr_b = pc + ra_b
            if addr_b >= size:
                addr_b -= size
            if bmode == DIRECT:
                ba = np.int64(core[4 * addr_b + 1])
                bb = np.int64(core[4 * addr_b + 2])
            else:
                column = 1 if bmode == A_INDIRECT or bmode == A_PREDEC or bmode == A_POSTINC else 2
                offset = np.int64(core[4 * addr_b + column])
                if bmode == A_PREDEC or bmode == B_PREDEC:
                    offset = offset - 1 if offset > 0 else size - 1
                    core[4 * addr_b + column] = offset
                target = addr_b + offset
                if target >= size:
                    target -= size
                ba = np.int64(core[4 * target + 1])
                bb = np.int64(core[4 * target + 2])
                if bmode == A_POSTINC or bmode == B_POSTINC:
                    core[4 * addr_b + column] = offset + 1 if offset + 1 < size else 0
                addr_b = target
        nxt = pc + 1
        if nxt == size:
            nxt = 0
        die = False
        push = nxt
        write = False
        if op == DAT:
            die = True
        elif op == MOV:
            write = True
            if mod == M_I:
                core[4 * addr_b] = core[4 * addr_a]
                core[4 * addr_b + 1] = aa
                core[4 * addr_b + 2] = ab
            elif mod == M_A:
                core[4 * addr_b + 1] = aa
            elif mod == M_B:
                core[4 * addr_b + 2] = ab
            elif mod == M_AB:
                core[4 * addr_b + 2] = aa
            elif mod == M_BA:
                core[4 * addr_b + 1] = ab
            elif mod == M_X:
                core[4 * addr_b + 2] = aa
                core[4 * addr_b + 1] = ab
            else:
                core[4 * addr_b + 1] = aa
                core[4 * addr_b + 2] = ab
        elif op == ADD:
            write = True
            _arithmetic(core, addr_b, mod, aa, ab, ba, bb, size, 0)
        elif op == SUB:
            write = True
            _arithmetic(core, addr_b, mod, aa, ab, ba, bb, size, 1)
        elif op == MUL or op == DIV or op == MOD:
            write = True
            die = mul_div_mod(core, addr_b * 4, word >> 6, aa, ab, ba, bb, size)
        elif op == JMP:
            push = addr_a
        elif op == JMZ:
            if _zero(mod, ba, bb):
                push = addr_a
        elif op == JMN:
            if not _zero(mod, ba, bb):
                push = addr_a
        elif op == DJN:
            write = True
            if mod == M_A or mod == M_BA or mod == M_F or mod == M_X or mod == M_I:
                core[4 * addr_b + 1] = (
                    core[4 * addr_b + 1] - 1 if core[4 * addr_b + 1] > 0 else size - 1
                )
            if mod == M_B or mod == M_AB or mod == M_F or mod == M_X or mod == M_I:
                core[4 * addr_b + 2] = (
                    core[4 * addr_b + 2] - 1 if core[4 * addr_b + 2] > 0 else size - 1
                )
            if not _zero(mod, ba - 1, bb - 1):
                push = addr_a
        elif op == SPL:
            t = tail[w]
            queue[w * processes + t] = nxt
            t += 1
            if t == processes:
                t = 0
            count[w] += 1
            if count[w] < processes:
                queue[w * processes + t] = addr_a
                t += 1
                if t == processes:
                    t = 0
                count[w] += 1
            tail[w] = t
            if count[w] > observations[w, PEAK_PROCESSES]:
                observations[w, PEAK_PROCESSES] = count[w]
            push = -1
        elif op == SLT:
            if _less(mod, aa, ab, ba, bb):
                push = nxt + 1 if nxt + 1 < size else 0
        elif op == SEQ or op == CMP:
            if _equal(mod, aa, ab, ba, bb) and (mod != M_I or core[4 * addr_a] == core[4 * addr_b]):
                push = nxt + 1 if nxt + 1 < size else 0
        elif op == SNE:
            if not (
                _equal(mod, aa, ab, ba, bb) and (mod != M_I or core[4 * addr_a] == core[4 * addr_b])
            ):
                push = nxt + 1 if nxt + 1 < size else 0
        elif op == LDP or op == STP:
            write = op == LDP
            pspace_op(
                core, addr_b * 4, word >> 6, aa, ab, ba, bb, pspace, pspace_index, last_result, w
            )
        if track and write and written[w, addr_b] == 0:
            written[w, addr_b] = 1
            observations[w, CELLS_WRITTEN] += 1
        if not die and push >= 0:
            t = tail[w]
            queue[w * processes + t] = push
            t += 1
            tail[w] = 0 if t == processes else t
            count[w] += 1
        if die and count[w] == 0:
            alive[w] = False
            death_order[deaths] = w
            deaths += 1
            observations[w, DIED_AT] = executed
            cycle = cycle - 1 - (cycle - 1) // left
            left -= 1
            if left < 2:
                break
            following[previous[w]] = following[w]
            previous[following[w]] = previous[w]
        w = following[w]
        cycle -= 1
        if cycle == 0 or cycle < limit:
            break
    for i in range(n):
        last_result[i] = left if alive[i] else 0
        observations[i, EXECUTED] = executed_by[i]
    return left


@njit(cache=True, inline="always")
def load_core(core, code_instr, code_a, code_b, offsets, lengths, positions) -> None:  # noqa: ANN001
    """Fill the core with DAT.F $0, $0 and place each warrior's code at its position."""
    size = core.shape[0] >> 2
    for i in range(size):
        core[4 * i] = (DAT << 9) | (M_F << 6) | (DIRECT << 3) | DIRECT
        core[4 * i + 1] = 0
        core[4 * i + 2] = 0
    for w in range(lengths.shape[0]):
        for k in range(lengths[w]):
            cell = (positions[w] + k) % size
            core[4 * cell] = code_instr[offsets[w] + k]
            core[4 * cell + 1] = code_a[offsets[w] + k]
            core[4 * cell + 2] = code_b[offsets[w] + k]


_queue_length = njit(cache=True, inline="always")(queue_length)


@njit(cache=True)
def round_buffers(n: int, size: int, processes: int, track: bool, dtype) -> tuple:  # noqa: ANN001
    """The scratch ``play_round`` fills: the core, of ``dtype`` (``layout.core_typecode``),
    process queues, per-warrior state and the map of cells written (``(n, size)`` when
    tracked, else ``(1, 1)``)."""
    core = np.empty(4 * size, dtype=dtype)
    queue = np.empty(_queue_length(n, processes), dtype=np.int32)
    state = np.empty((STATE_ROWS, n), dtype=np.int64)
    written = np.zeros((n, size) if track else (1, 1), dtype=np.uint8)
    return core, queue, state, written


@njit(cache=True, error_model="numpy")
def play_round(
    core: np.ndarray,
    queue: np.ndarray,
    state: np.ndarray,
    written: np.ndarray,
    code_instr: np.ndarray,
    code_a: np.ndarray,
    code_b: np.ndarray,
    offsets: np.ndarray,
    lengths: np.ndarray,
    starts: np.ndarray,
    positions: np.ndarray,
    starter: int,
    cycles: int,
    processes: int,
    pspace: np.ndarray,
    pspace_index: np.ndarray,
    last_result: np.ndarray,
    alive: np.ndarray,
    death_order: np.ndarray,
    observations: np.ndarray,
    track: bool,
) -> int:
    """Play one round in the scratch of ``round_buffers``; fills ``alive``,
    ``death_order`` (-1 padded), ``observations`` and updates ``last_result``. With
    ``track``, ``written`` records the cells each warrior wrote. Returns the number of
    warriors left. Allocates nothing, so that ``compiled`` can build it into a library."""
    n = lengths.shape[0]
    size = core.shape[0] >> 2
    load_core(core, code_instr, code_a, code_b, offsets, lengths, positions)
    if track:
        written[:, :] = 0
    if n != 2 or cycles < 1:
        entries = state[STATE_ROWS - 1]
        for w in range(n):
            entries[w] = (positions[w] + starts[w]) % size
        return _play_general(
            core, queue, state, lengths, entries, starter, cycles, processes, pspace,
            pspace_index, last_result, alive, death_order, observations, written, track,
        )  # fmt: skip
    first, second = starter, 1 - starter
    entry_first = (positions[first] + starts[first]) % size
    entry_second = (positions[second] + starts[second]) % size
    if track:
        return duel_tracking(
            core, queue, processes, cycles, starter, pspace, pspace_index, last_result, alive,
            death_order, observations, written, entry_first, entry_second,
        )  # fmt: skip
    return duel(
        core, queue, processes, cycles, starter, pspace, pspace_index, last_result, alive,
        death_order, observations, written, entry_first, entry_second,
    )  # fmt: skip
