"""The rare opcodes, out of line: MUL, DIV, MOD and LDP, STP on the flat core.

Both MARS loops (``mars`` and the generated ``duel``) call these, so that the hot loops
stay small. ``c`` is the flat core (four numbers per cell); ``bp4`` is the B-target's
flat index (``address * 4``); ``key`` is ``opcode << 3 | modifier``.
"""

import numpy as np
from numba import njit

from problems.corewar.redcode import DIV, LDP, M_A, M_AB, M_B, M_BA, M_X, MUL


@njit(cache=True, error_model="numpy")
def mul_div_mod(c, bp4, key, aa, ab, ba, bb, size):
    """MUL, DIV, MOD; True when the process dies (a zero divisor)."""
    op = key >> 3
    mod = key & 7
    b1 = np.uint64(bp4 + 1)
    b2 = np.uint64(bp4 + 2)
    if op == MUL:
        if mod == M_A:
            c[b1] = (ba * aa) % size
        elif mod == M_B:
            c[b2] = (bb * ab) % size
        elif mod == M_AB:
            c[b2] = (bb * aa) % size
        elif mod == M_BA:
            c[b1] = (ba * ab) % size
        elif mod == M_X:
            c[b2] = (bb * aa) % size
            c[b1] = (ba * ab) % size
        else:
            c[b1] = (ba * aa) % size
            c[b2] = (bb * ab) % size
        return False
    quotient = op == DIV
    if mod == M_A:
        return _divide(c, b1, ba, aa, quotient)
    if mod == M_B:
        return _divide(c, b2, bb, ab, quotient)
    if mod == M_AB:
        return _divide(c, b2, bb, aa, quotient)
    if mod == M_BA:
        return _divide(c, b1, ba, ab, quotient)
    if mod == M_X:
        first = _divide(c, b1, ba, ab, quotient)
        return _divide(c, b2, bb, aa, quotient) or first
    first = _divide(c, b1, ba, aa, quotient)
    return _divide(c, b2, bb, ab, quotient) or first


@njit(cache=True, inline="always")
def _divide(c, i, x, y, quotient):
    if y == 0:
        return True
    c[i] = x // y if quotient else x % y
    return False


@njit(cache=True, error_model="numpy")
def pspace_op(c, bp4, key, aa, ab, ba, bb, pspace, pspace_index, last_result, w):
    """LDP and STP."""
    op = key >> 3
    mod = key & 7
    psize = pspace.shape[1]
    if op == LDP:
        source = aa if mod == M_A or mod == M_AB else ab
        index = source % psize
        value = pspace[pspace_index[w], index] if index else last_result[w]
        if mod == M_A or mod == M_BA:
            c[np.uint64(bp4 + 1)] = value
        else:
            c[np.uint64(bp4 + 2)] = value
    else:
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
