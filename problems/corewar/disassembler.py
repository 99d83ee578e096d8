"""Canonical Redcode text of a warrior: explicit modifiers and modes, signed numbers, ORG.

The output re-assembles to the same code and start (under the same core size), and is
what evolved genomes look like.
"""

from __future__ import annotations

from problems.corewar.redcode import MODES, MODIFIERS, OPCODES, Warrior


def signed(value: int, coresize: int) -> int:
    """A core number shown as pMARS shows it: above half the core size, negative."""
    value = int(value) % coresize
    return value - coresize if value > coresize // 2 else value


def instruction_text(row: object, coresize: int = 8000) -> str:
    """One instruction, e.g. ``MOV.I  $0, $1``."""
    op, mod, amode, a, bmode, b = (int(x) for x in row)  # type: ignore[attr-defined]
    head = f"{OPCODES[op]}.{MODIFIERS[mod]}"
    return f"{head:<7}{MODES[amode]}{signed(a, coresize)}, {MODES[bmode]}{signed(b, coresize)}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def disassemble(warrior: Warrior, coresize: int = 8000) -> str:
    """Redcode source for ``warrior`` (with its name, author and strategy comments)."""
    lines = [
        ";redcode-94",
        f";name {_one_line(warrior.name)}",
        f";author {_one_line(warrior.author)}",
    ]
    lines += [f";strategy {_one_line(s)}" for s in warrior.strategy.splitlines() if s.strip()]
    if warrior.pin is not None:
        lines.append(f"        PIN     {warrior.pin}")
    lines.append(f"        ORG     {warrior.start}")
    lines += [f"        {instruction_text(row, coresize)}" for row in warrior.code]
    return "\n".join(lines) + "\n"
