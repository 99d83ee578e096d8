"""Redcode instruction encoding shared by the assembler and the simulators.

A warrior's code is an ``int64`` array of shape ``(length, 6)``; each row is
``(opcode, modifier, a_mode, a_value, b_mode, b_value)`` with the values already
normalised to ``[0, coresize)``. The integer codes below are the interchange
format: the assembler produces them, both simulators consume them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

OPCODES: tuple[str, ...] = (
    "DAT",
    "MOV",
    "ADD",
    "SUB",
    "MUL",
    "DIV",
    "MOD",
    "JMP",
    "JMZ",
    "JMN",
    "DJN",
    "SPL",
    "SLT",
    "SEQ",
    "SNE",
    "NOP",
    "LDP",
    "STP",
    "CMP",
)
"""Opcode names by code. ``CMP`` behaves as ``SEQ`` but keeps its own code, as in
pMARS, where ``SEQ.I`` tells a ``CMP`` instruction from a ``SEQ`` one."""

MODIFIERS: tuple[str, ...] = ("A", "B", "AB", "BA", "F", "X", "I")
"""Modifier names by code."""

MODES: tuple[str, ...] = ("#", "$", "*", "@", "{", "<", "}", ">")
"""Addressing-mode symbols by code."""

OPCODE = {name: code for code, name in enumerate(OPCODES)}
MODIFIER = {name: code for code, name in enumerate(MODIFIERS)}
MODE = {symbol: code for code, symbol in enumerate(MODES)}

(DAT, MOV, ADD, SUB, MUL, DIV, MOD, JMP, JMZ, JMN, DJN, SPL, SLT, SEQ, SNE, NOP, LDP, STP, CMP) = (
    range(19)
)
(M_A, M_B, M_AB, M_BA, M_F, M_X, M_I) = range(7)
(IMMEDIATE, DIRECT, A_INDIRECT, B_INDIRECT, A_PREDEC, B_PREDEC, A_POSTINC, B_POSTINC) = range(8)

OP, MODIFIER_COL, A_MODE, A_VALUE, B_MODE, B_VALUE = range(6)
"""Column indices of a code array row."""


@dataclass(frozen=True)
class Warrior:
    """An assembled warrior.

    Attributes:
        code: ``(length, 6)`` int64 array of encoded instructions.
        start: offset of the first instruction to execute (pMARS allows, with a warning,
        a start outside the code).
        name: the ``;name`` line, or ``"Unknown"``.
        author: the ``;author`` line, or ``"Anonymous"``.
        strategy: the ``;strategy`` lines joined by newlines.
        pin: the ``PIN`` value (P-space sharing id), or ``None``.
    """

    code: np.ndarray
    start: int = 0
    name: str = "Unknown"
    author: str = "Anonymous"
    strategy: str = ""
    pin: int | None = None
    source: str = field(default="", repr=False, compare=False)
    warnings: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def __len__(self) -> int:
        return int(self.code.shape[0])


@dataclass(frozen=True)
class Settings:
    """Simulator and assembler parameters; the defaults are pMARS's ICWS'94 defaults.

    Attributes mirror pMARS's flags: ``coresize`` (-s), ``cycles`` (-c),
    ``processes`` (-p), ``maxlength`` (-l), ``mindistance`` (-d), ``rounds`` (-r),
    ``pspacesize`` (-S, ``0`` means ``coresize // 16``), ``warriors`` (number loaded).
    """

    coresize: int = 8000
    cycles: int = 80000
    processes: int = 8000
    maxlength: int = 100
    mindistance: int = 100
    rounds: int = 1
    pspacesize: int = 0
    warriors: int = 2

    @property
    def pspace(self) -> int:
        """Effective P-space size: as pMARS, the largest ``coresize / k`` for k <= 16."""
        if self.pspacesize:
            return self.pspacesize
        return next(self.coresize // k for k in range(16, 0, -1) if self.coresize % k == 0)
