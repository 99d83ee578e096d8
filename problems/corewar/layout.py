"""How warriors enter the MARS kernels and what the kernels report, and the compiled
kernel's C entry point, without numba or numpy (``evo battle`` runs on these alone).

An instruction is one integer below 2**14 packing opcode, modifier and both modes
(``op << 9 | mod << 6 | amode << 3 | bmode``) beside its A and B numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

OBSERVATIONS = 4
"""Per warrior and round: instructions executed, peak processes, distinct cells written,
and the cycle (instructions executed by all) at which it died, or -1."""
EXECUTED, PEAK_PROCESSES, CELLS_WRITTEN, DIED_AT = range(OBSERVATIONS)
STATE_ROWS = 7
"""Rows of a round's per-warrior scratch state (``mars.round_buffers``)."""


def pack(
    codes: Iterable[Iterable[Sequence[int]]],
) -> tuple[list[int], list[int], list[int], list[int], list[int]]:
    """Warriors' rows ``(op, mod, amode, a, bmode, b)`` one after another, as the kernels
    take them: ``(instr, a, b, offsets, lengths)``, packed instructions and A and B numbers
    per cell, then where each warrior starts and how long it is."""
    instr, a, b, offsets, lengths = [], [], [], [], []
    for code in codes:
        offsets.append(len(instr))
        for op, mod, amode, a_value, bmode, b_value in code:
            instr.append((int(op) << 9) | (int(mod) << 6) | (int(amode) << 3) | int(bmode))
            a.append(int(a_value))
            b.append(int(b_value))
        lengths.append(len(instr) - offsets[-1])
    return instr, a, b, offsets, lengths


NARROW_CORE = 1 << 16
"""Cores of up to this many cells are uint16 arrays: every number in them fits, a cell
takes 8 bytes instead of 16, and duels run 10-13% faster. Larger cores are int32."""


def core_typecode(size: int) -> str:
    """The ``array`` typecode, also a numpy dtype, of the core of ``size`` cells."""
    return "H" if size <= NARROW_CORE else "i"


def queue_length(n: int, processes: int) -> int:
    """Process-queue slots a round of ``n`` warriors needs: the two-warrior loop's shared
    ring (a power of two of at least ``2 * processes``) or ``n`` queues of ``processes``."""
    return max(4, n) * processes


ENTRY = "evo_corewar_play_rounds"
"""The library's one exported symbol."""
ARGUMENTS = (
    ("instr", "i32*"),
    ("a", "i32*"),
    ("b", "i32*"),
    ("offsets", "i64*"),
    ("lengths", "i64*"),
    ("starts", "i64*"),
    ("positions", "i64*"),
    ("starters", "i64*"),
    ("pspace_index", "i64*"),
    ("alive", "bool*"),
    ("order", "i64*"),
    ("observations", "i64*"),
    ("core", "u16*"),
    ("queue", "i32*"),
    ("state", "i64*"),
    ("written", "u8*"),
    ("pspace", "i32*"),
    ("last_result", "i32*"),
    ("n", "i64"),
    ("rounds", "i64"),
    ("code_length", "i64"),
    ("size", "i64"),
    ("cycles", "i64"),
    ("processes", "i64"),
    ("psize", "i64"),
    ("queue_length", "i64"),
    ("track", "i64"),
)
"""The entry point's parameters in order: buffers (C arrays of the given element type)
first, then integers. Returns the number of rounds played."""
