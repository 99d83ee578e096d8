"""Classical variation of assembled warriors: instruction edits and segment crossover.

Operators work on code arrays (``(length, 6)``, see ``redcode``), never on text, so a
child always assembles. Inserting or deleting a line shifts the relative references
that cross the edit (as a programmer editing the source would), so a warrior's own
pointers keep pointing where they did.
"""

from __future__ import annotations

import numpy as np

from problems.corewar.redcode import (
    A_MODE,
    A_VALUE,
    B_MODE,
    B_VALUE,
    IMMEDIATE,
    MODES,
    MODIFIER_COL,
    MODIFIERS,
    OP,
    OPCODES,
)

EDITS = {
    "opcode": 0.15,
    "modifier": 0.10,
    "mode": 0.15,
    "value": 0.30,
    "insert": 0.10,
    "delete": 0.10,
    "duplicate": 0.05,
    "start": 0.05,
}
"""Relative frequency of each kind of single edit."""


def signed(values: np.ndarray | int, coresize: int) -> np.ndarray | int:
    """Field values in ``(-coresize/2, coresize/2]``."""
    values = np.asarray(values) % coresize
    return np.where(values > coresize // 2, values - coresize, values)


def random_instruction(rng: np.random.Generator, coresize: int, span: int) -> np.ndarray:
    """One random instruction; fields are mostly local offsets (within ``span``)."""
    fields = [
        rng.integers(-span, span + 1) if rng.random() < 0.8 else rng.integers(coresize)
        for _ in range(2)
    ]
    return np.array(
        [
            rng.integers(len(OPCODES)),
            rng.integers(len(MODIFIERS)),
            rng.integers(len(MODES)),
            fields[0] % coresize,
            rng.integers(len(MODES)),
            fields[1] % coresize,
        ],
        dtype=np.int64,
    )


def _shift_references(code: np.ndarray, at: int, delta: int, coresize: int) -> np.ndarray:
    """Adjust non-immediate fields whose target lies across an insertion (+1) or deletion
    (-1) at line ``at``; ``code`` is the array before the edit."""
    code = code.copy()
    n = len(code)
    rows = np.arange(n)
    for mode_col, value_col in ((A_MODE, A_VALUE), (B_MODE, B_VALUE)):
        offset = signed(code[:, value_col], coresize)
        target = rows + offset
        inside = (target >= 0) & (target <= n) & (code[:, mode_col] != IMMEDIATE)
        forward = inside & (rows < at) & (target >= at + (delta < 0))
        backward = inside & (rows >= at + (delta < 0)) & (target < at)
        if delta < 0:
            forward &= target != at  # references to the deleted line keep their offset
        offset = offset + delta * forward - delta * backward
        code[:, value_col] = offset % coresize
    return code


def insert_line(code: np.ndarray, at: int, line: np.ndarray, coresize: int) -> np.ndarray:
    """``code`` with ``line`` inserted before index ``at``."""
    shifted = _shift_references(code, at, +1, coresize)
    return np.insert(shifted, at, line, axis=0)


def delete_line(code: np.ndarray, at: int, coresize: int) -> np.ndarray:
    """``code`` without line ``at``."""
    shifted = _shift_references(code, at, -1, coresize)
    return np.delete(shifted, at, axis=0)


def _perturb_value(value: int, rng: np.random.Generator, coresize: int) -> int:
    roll = rng.random()
    if roll < 0.6:
        step = int(rng.geometric(0.35)) * (1 if rng.random() < 0.5 else -1)
        return (value + step) % coresize
    if roll < 0.8:
        return int(rng.integers(-100, 101)) % coresize
    return int(rng.integers(coresize))


def mutate_code(
    code: np.ndarray, start: int, rng: np.random.Generator, coresize: int, maxlength: int
) -> tuple[np.ndarray, int]:
    """Apply one random edit; returns the new code and start offset."""
    code = np.array(code, dtype=np.int64, copy=True)
    n = len(code)
    kinds = list(EDITS)
    weights = np.array([EDITS[k] for k in kinds])
    if n >= maxlength:
        weights[kinds.index("insert")] = weights[kinds.index("duplicate")] = 0
    if n <= 1:
        weights[kinds.index("delete")] = 0
    kind = kinds[int(rng.choice(len(kinds), p=weights / weights.sum()))]
    line = int(rng.integers(n))
    span = max(n, 10)
    if kind == "opcode":
        code[line, OP] = rng.integers(len(OPCODES))
    elif kind == "modifier":
        code[line, MODIFIER_COL] = rng.integers(len(MODIFIERS))
    elif kind == "mode":
        code[line, A_MODE if rng.random() < 0.5 else B_MODE] = rng.integers(len(MODES))
    elif kind == "value":
        column = A_VALUE if rng.random() < 0.5 else B_VALUE
        code[line, column] = _perturb_value(int(code[line, column]), rng, coresize)
    elif kind == "insert":
        at = int(rng.integers(n + 1))
        code = insert_line(code, at, random_instruction(rng, coresize, span), coresize)
        start += at <= start
    elif kind == "duplicate":
        code = insert_line(code, line + 1, code[line], coresize)
        start += line + 1 <= start
    elif kind == "delete":
        code = delete_line(code, line, coresize)
        start -= line < start
    else:
        start = int(rng.integers(n))
    return code, int(min(max(start, 0), len(code) - 1))


def crossover_code(
    a: np.ndarray, start: int, b: np.ndarray, rng: np.random.Generator, maxlength: int
) -> tuple[np.ndarray, int]:
    """Replace a segment of ``a`` by a segment of ``b`` (two-point, lengths may differ)."""
    i, j = sorted(int(x) for x in rng.integers(0, len(a) + 1, 2))
    k, m = sorted(int(x) for x in rng.integers(0, len(b) + 1, 2))
    child = np.concatenate([a[:i], b[k:m], a[j:]])[:maxlength]
    if len(child) == 0:
        child = a[:1].copy()
    return child.astype(np.int64), int(min(start, len(child) - 1))
