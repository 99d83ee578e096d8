"""How warriors enter the MARS kernels and what the kernels report, without numba.

An instruction is one int32 packing opcode, modifier and both modes
(``op << 9 | mod << 6 | amode << 3 | bmode``) beside its A and B numbers.
"""

from __future__ import annotations

import numpy as np

OBSERVATIONS = 4
"""Per warrior and round: instructions executed, peak processes, distinct cells written,
and the cycle (instructions executed by all) at which it died, or -1."""
EXECUTED, PEAK_PROCESSES, CELLS_WRITTEN, DIED_AT = range(OBSERVATIONS)


def pack(code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ``(length, 6)`` code array as ``(instr, aval, bval)`` int32 arrays."""
    code = np.asarray(code, dtype=np.int64)
    instr = (code[:, 0] << 9) | (code[:, 1] << 6) | (code[:, 2] << 3) | code[:, 4]
    return instr.astype(np.int32), code[:, 3].astype(np.int32), code[:, 5].astype(np.int32)
