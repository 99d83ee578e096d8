"""The numba MARS: the same semantics as ``mars_reference``, compiled.

The core is three int32 arrays: ``instr`` packs opcode, modifier and both modes
(``op << 9 | mod << 6 | amode << 3 | bmode``), ``aval`` and ``bval`` hold the numbers.
One call plays one round; ``battle`` drives rounds and batches.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Opcodes, modifiers and modes (duplicated from ``redcode`` as literals numba can fold).
DAT, MOV, ADD, SUB, MUL, DIV, MOD, JMP, JMZ, JMN, DJN, SPL, SLT, SEQ, SNE, NOP, LDP, STP, CMP = (
    range(19)
)
M_A, M_B, M_AB, M_BA, M_F, M_X, M_I = range(7)
IMMEDIATE, DIRECT, A_INDIRECT, B_INDIRECT, A_PREDEC, B_PREDEC, A_POSTINC, B_POSTINC = range(8)

OBSERVATIONS = 4
"""Per warrior and round: instructions executed, peak processes, distinct cells written,
and the cycle (instructions executed by all) at which it died, or -1."""
EXECUTED, PEAK_PROCESSES, CELLS_WRITTEN, DIED_AT = range(OBSERVATIONS)


def pack(code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ``(length, 6)`` code array as ``(instr, aval, bval)`` int32 arrays."""
    code = np.asarray(code, dtype=np.int64)
    instr = (code[:, 0] << 9) | (code[:, 1] << 6) | (code[:, 2] << 3) | code[:, 4]
    return instr.astype(np.int32), code[:, 3].astype(np.int32), code[:, 5].astype(np.int32)


@njit(cache=True, inline="always")
def _pointer_field(mode: int) -> int:
    """1 when the mode indirects through the A-number, 0 for the B-number."""
    return 1 if mode == A_INDIRECT or mode == A_PREDEC or mode == A_POSTINC else 0


@njit(cache=True)
def play_round(
    instr: np.ndarray, aval: np.ndarray, bval: np.ndarray,
    code_instr: np.ndarray, code_a: np.ndarray, code_b: np.ndarray,
    offsets: np.ndarray, lengths: np.ndarray, starts: np.ndarray,
    positions: np.ndarray, starter: int, cycles: int, processes: int,
    pspace: np.ndarray, pspace_index: np.ndarray, last_result: np.ndarray,
    alive: np.ndarray, death_order: np.ndarray, observations: np.ndarray,
    written: np.ndarray, track: bool,
) -> int:  # fmt: skip
    """Play one round; fills ``alive``, ``death_order`` (-1 padded), ``observations``
    and updates ``last_result``. With ``track``, ``written`` (``(n, size)``) records the
    cells each warrior wrote. Returns the number of warriors left."""
    n = lengths.shape[0]
    size = instr.shape[0]
    psize = pspace.shape[1]
    for i in range(size):
        instr[i] = (DAT << 9) | (M_F << 6) | (DIRECT << 3) | DIRECT
        aval[i] = 0
        bval[i] = 0
    queue = np.empty((n, processes), dtype=np.int32)
    head = np.zeros(n, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    following = np.empty(n, dtype=np.int64)
    previous = np.empty(n, dtype=np.int64)
    for i in range(n):
        w = (starter + i) % n
        queue[w, 0] = (positions[w] + starts[w]) % size
        count[w] = 1
        for k in range(lengths[w]):
            cell = (positions[w] + k) % size
            instr[cell] = code_instr[offsets[w] + k]
            aval[cell] = code_a[offsets[w] + k]
            bval[cell] = code_b[offsets[w] + k]
        following[w] = (w + 1) % n
        previous[w] = (w - 1) % n
        alive[w] = True
        death_order[i] = -1
        observations[w, EXECUTED] = 0
        observations[w, PEAK_PROCESSES] = 1
        observations[w, CELLS_WRITTEN] = 0
        observations[w, DIED_AT] = -1
    if track:
        written[:, :] = 0
    left = n
    cycle = cycles * n
    limit = -cycles * n
    w = starter
    executed = 0
    deaths = 0
    while True:
        pc = queue[w, head[w]]
        head[w] += 1
        if head[w] == processes:
            head[w] = 0
        count[w] -= 1
        executed += 1
        observations[w, EXECUTED] += 1
        word = instr[pc]
        op = word >> 9
        mod = (word >> 6) & 7
        amode = (word >> 3) & 7
        bmode = word & 7
        ra_a = aval[pc]
        ra_b = bval[pc]
        # A operand -> addr_a, aa (A-number), ab (B-number)
        if amode == IMMEDIATE:
            addr_a = pc
            aa = ra_a
            ab = ra_b
        else:
            pointer = pc + ra_a
            if pointer >= size:
                pointer -= size
            if amode == DIRECT:
                addr_a = pointer
            else:
                use_a = _pointer_field(amode)
                offset = aval[pointer] if use_a else bval[pointer]
                if amode == A_PREDEC or amode == B_PREDEC:
                    offset = offset - 1 if offset > 0 else size - 1
                    if use_a:
                        aval[pointer] = offset
                    else:
                        bval[pointer] = offset
                addr_a = pointer + offset
                if addr_a >= size:
                    addr_a -= size
                if amode == A_POSTINC or amode == B_POSTINC:
                    aa = aval[addr_a]
                    ab = bval[addr_a]
                    bumped = offset + 1 if offset + 1 < size else 0
                    if use_a:
                        aval[pointer] = bumped
                    else:
                        bval[pointer] = bumped
            if amode != A_POSTINC and amode != B_POSTINC:
                aa = aval[addr_a]
                ab = bval[addr_a]
        # B operand -> addr_b, ba, bb
        if bmode == IMMEDIATE:
            addr_b = pc
            ba = ra_a
            bb = ra_b
        else:
            pointer = pc + ra_b
            if pointer >= size:
                pointer -= size
            if bmode == DIRECT:
                addr_b = pointer
            else:
                use_a = _pointer_field(bmode)
                offset = aval[pointer] if use_a else bval[pointer]
                if bmode == A_PREDEC or bmode == B_PREDEC:
                    offset = offset - 1 if offset > 0 else size - 1
                    if use_a:
                        aval[pointer] = offset
                    else:
                        bval[pointer] = offset
                addr_b = pointer + offset
                if addr_b >= size:
                    addr_b -= size
                if bmode == A_POSTINC or bmode == B_POSTINC:
                    ba = aval[addr_b]
                    bb = bval[addr_b]
                    bumped = offset + 1 if offset + 1 < size else 0
                    if use_a:
                        aval[pointer] = bumped
                    else:
                        bval[pointer] = bumped
            if bmode != A_POSTINC and bmode != B_POSTINC:
                ba = aval[addr_b]
                bb = bval[addr_b]
        nxt = pc + 1
        if nxt == size:
            nxt = 0
        die = False
        push_next = True
        jump_to = -1
        write = False
        if op == DAT:
            die = True
        elif op == MOV:
            write = True
            if mod == M_I:
                instr[addr_b] = instr[addr_a]
                aval[addr_b] = aa
                bval[addr_b] = ab
            elif mod == M_A:
                aval[addr_b] = aa
            elif mod == M_B:
                bval[addr_b] = ab
            elif mod == M_AB:
                bval[addr_b] = aa
            elif mod == M_BA:
                aval[addr_b] = ab
            elif mod == M_X:
                bval[addr_b] = aa
                aval[addr_b] = ab
            else:
                aval[addr_b] = aa
                bval[addr_b] = ab
        elif op == ADD or op == SUB or op == MUL:
            write = True
            if mod == M_A:
                x, y, z, t = ba, aa, 0, 0
            elif mod == M_B:
                x, y, z, t = bb, ab, 0, 0
            elif mod == M_AB:
                x, y, z, t = bb, aa, 0, 0
            elif mod == M_BA:
                x, y, z, t = ba, ab, 0, 0
            elif mod == M_X:
                x, y, z, t = ba, ab, bb, aa
            else:
                x, y, z, t = ba, aa, bb, ab
            if op == ADD:
                r1 = x + y
                if r1 >= size:
                    r1 -= size
                r2 = z + t
                if r2 >= size:
                    r2 -= size
            elif op == SUB:
                r1 = x - y
                if r1 < 0:
                    r1 += size
                r2 = z - t
                if r2 < 0:
                    r2 += size
            else:
                r1 = (x * y) % size
                r2 = (z * t) % size
            if mod == M_A or mod == M_BA:
                aval[addr_b] = r1
            elif mod == M_B or mod == M_AB:
                bval[addr_b] = r1
            else:
                aval[addr_b] = r1
                bval[addr_b] = r2
        elif op == DIV or op == MOD:
            write = True
            if mod == M_A:
                x, y, z, t, two = ba, aa, 0, 1, False
            elif mod == M_B:
                x, y, z, t, two = bb, ab, 0, 1, False
            elif mod == M_AB:
                x, y, z, t, two = bb, aa, 0, 1, False
            elif mod == M_BA:
                x, y, z, t, two = ba, ab, 0, 1, False
            elif mod == M_X:
                x, y, z, t, two = ba, ab, bb, aa, True
            else:
                x, y, z, t, two = ba, aa, bb, ab, True
            to_a = mod == M_A or mod == M_BA or two
            if y == 0:
                die = True
            else:
                r1 = x // y if op == DIV else x % y
                if to_a:
                    aval[addr_b] = r1
                else:
                    bval[addr_b] = r1
            if two:
                if t == 0:
                    die = True
                else:
                    bval[addr_b] = z // t if op == DIV else z % t
        elif op == JMZ or op == JMN or op == DJN:
            if op == DJN:
                write = True
                if mod == M_A or mod == M_BA or mod == M_F or mod == M_X or mod == M_I:
                    aval[addr_b] = aval[addr_b] - 1 if aval[addr_b] > 0 else size - 1
                if mod == M_B or mod == M_AB or mod == M_F or mod == M_X or mod == M_I:
                    bval[addr_b] = bval[addr_b] - 1 if bval[addr_b] > 0 else size - 1
                ba -= 1
                bb -= 1
            if mod == M_A or mod == M_BA:
                zero = ba == 0
            elif mod == M_B or mod == M_AB:
                zero = bb == 0
            else:
                zero = ba == 0 and bb == 0
            if zero == (op == JMZ):
                jump_to = addr_a
        elif op == SEQ or op == CMP or op == SNE or op == SLT:
            if op == SLT:
                if mod == M_A:
                    hit = aa < ba
                elif mod == M_B:
                    hit = ab < bb
                elif mod == M_AB:
                    hit = aa < bb
                elif mod == M_BA:
                    hit = ab < ba
                elif mod == M_X:
                    hit = aa < bb and ab < ba
                else:
                    hit = aa < ba and ab < bb
            else:
                if mod == M_A:
                    hit = aa == ba
                elif mod == M_B:
                    hit = ab == bb
                elif mod == M_AB:
                    hit = aa == bb
                elif mod == M_BA:
                    hit = ab == ba
                elif mod == M_X:
                    hit = aa == bb and ab == ba
                else:
                    hit = aa == ba and ab == bb
                    if mod == M_I:
                        hit = hit and instr[addr_a] == instr[addr_b]
                if op == SNE:
                    hit = not hit
            if hit:
                jump_to = nxt + 1 if nxt + 1 < size else 0
        elif op == JMP:
            jump_to = addr_a
        elif op == SPL:
            queue[w, (head[w] + count[w]) % processes] = nxt
            count[w] += 1
            if count[w] < processes:
                queue[w, (head[w] + count[w]) % processes] = addr_a
                count[w] += 1
            if count[w] > observations[w, PEAK_PROCESSES]:
                observations[w, PEAK_PROCESSES] = count[w]
            push_next = False
        elif op == LDP:
            write = True
            source = aa if mod == M_A or mod == M_AB else ab
            index = source % psize
            value = pspace[pspace_index[w], index] if index else last_result[w]
            if mod == M_A or mod == M_BA:
                aval[addr_b] = value
            else:
                bval[addr_b] = value
        elif op == STP:
            if mod == M_A:
                index, value = ba, aa
            elif mod == M_AB:
                index, value = bb, aa
            elif mod == M_BA:
                index, value = ba, ab
            else:
                index, value = bb, ab
            index = index % psize
            if index:
                pspace[pspace_index[w], index] = value
            else:
                last_result[w] = value
        if track and write and written[w, addr_b] == 0:
            written[w, addr_b] = 1
            observations[w, CELLS_WRITTEN] += 1
        if not die and push_next:
            queue[w, (head[w] + count[w]) % processes] = jump_to if jump_to >= 0 else nxt
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
    return left
