"""Writes ``duel.py``, the two-warrior MARS loop, as straight-line generated code.

    python -m problems.corewar.duel_codegen     # after changing this file

(``tests/problems/corewar/test_duel_codegen.py`` fails while ``duel.py`` is out of date.)
numba's cache does not notice that a function's callees in another module changed, so
writing ``duel.py`` also removes this package's numba cache files.

Nearly every round is a duel, so its loop is generated rather than written by hand:

- the step is written out once per warrior, so each warrior's queue head and tail are
  locals; both queues share one ring (the first mover at even slots, the other at odd
  ones, counters step by 2, a process count is ``(tail - head) / 2``), and the round ends
  when the second mover's head reaches ``2 * cycles + 1``;
- the core is used flat (index ``address * 4 + column``) with unsigned indices, so numba
  adds no negative-index fix-ups; an address wraps by one conditional subtraction; every
  number read from it is widened to int64 (``I``), as the core may be uint16 (``layout``);
- every (opcode, modifier) pair is a straight-line case of a single switch, and the six
  indirect modes share one path without branches;
- MUL/DIV/MOD and LDP/STP are out-of-line calls (``rare_ops``); executed counts and peak
  processes come from the queue counters at the end.

The tracking variant (``duel_tracking``: cells written, for behaviour descriptors, which
evolution always asks for) is the same loop with a mark after each write. Written out per
warrior like the other, it is 12-16% faster than one step that swaps the warriors' state
each turn, at the cost of about 5 s more (30 s) in the first, once-per-machine build.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from problems.corewar.redcode import M_A, M_AB, M_B, M_BA, M_F, M_I, M_X, OPCODE

TARGET = Path(__file__).with_name("duel.py")
MODIFIERS = range(7)


def indent(code: str, spaces: int) -> str:
    return textwrap.indent(textwrap.dedent(code).strip("\n") + "\n", " " * spaces)


def wrap(var: str) -> str:
    """``var`` (below twice the core size) brought into the core."""
    return f"wt = {var} - size\nif wt >= 0:\n    {var} = wt\n"


def operand(x: str) -> str:
    """Evaluate the A (``x == "a"``) or B operand: sets ``{x}p4`` (the target's flat index)
    and ``{x}a``, ``{x}b`` (its numbers), with the pre/post increments done."""
    raw, mode = ("ra", "amode") if x == "a" else ("rb", "bmode")
    indirect = f"""
col = {x}p4 + 1 + ({mode} & 1)
off = I(c[U(col)])
k = {mode} >> 1
dk = 1 if k == 2 else 0
off = off - dk
if off < 0:
    off += size
c[U(col)] = off
tg = {x}p + off
{wrap("tg")}tg4 = tg << 2
{x}a = I(c[U(tg4 + 1)])
{x}b = I(c[U(tg4 + 2)])
ik = 1 if k == 3 else 0
inc = off + ik
if inc == size:
    inc = 0
c[U(col)] = inc
{x}p4 = tg4
"""
    direct = f"""
{x}p = pc + {raw}
{wrap(f"{x}p")}{x}p4 = {x}p << 2
if {mode} == 1:
    {x}a = I(c[U({x}p4 + 1)])
    {x}b = I(c[U({x}p4 + 2)])
else:
{indent(indirect, 4)}"""
    return indent(
        f"""
if {mode} == 0:
    {x}p4 = p4
    {x}a = ra
    {x}b = rb
else:
{indent(direct, 4)}""",
        0,
    )


def condition(kind: str, mod: int) -> str:
    """The test of JMZ/JMN (``zero``), DJN after its decrement (``djzero``), SLT, SEQ."""
    if kind in ("zero", "djzero"):
        value = "0" if kind == "zero" else "1"
        if mod in (M_A, M_BA):
            return f"ba == {value}"
        if mod in (M_B, M_AB):
            return f"bb == {value}"
        return f"ba == {value} and bb == {value}"
    if kind == "less":
        return {
            M_A: "aa < ba",
            M_B: "ab < bb",
            M_AB: "aa < bb",
            M_BA: "ab < ba",
            M_X: "aa < bb and ab < ba",
        }.get(mod, "aa < ba and ab < bb")
    return {
        M_A: "aa == ba",
        M_B: "ab == bb",
        M_AB: "aa == bb",
        M_BA: "ab == ba",
        M_X: "aa == bb and ab == ba",
        M_F: "aa == ba and ab == bb",
        M_I: "aa == ba and ab == bb and c[U(ap4)] == c[U(bp4)]",
    }[mod]


def cases(slot: int, track: bool) -> list[tuple[list[int], str]]:
    """``(switch keys, body)`` of every (opcode, modifier) pair for warrior ``slot``;
    pairs whose code is the same share a case."""
    head, tail, warrior, peak, written = (
        f"h{slot}",
        f"t{slot}",
        f"w{slot}",
        f"peak{slot}",
        f"cw{slot}",
    )

    def key(op: str, mod: int) -> int:
        return OPCODE[op] * 8 + mod

    def push(x: str) -> str:
        return f"q[U({tail} & mask)] = {x}\n{tail} += 2\n"

    def branch(test: str, then: str, otherwise: str) -> str:
        return f"if {test}:\n" + indent(then, 4) + "else:\n" + indent(otherwise, 4)

    mark = (
        f"if written[{warrior}, bp4 >> 2] == 0:\n    written[{warrior}, bp4 >> 2] = 1\n"
        f"    {written} += 1\n"
        if track
        else ""
    )
    death = f"if {tail} == {head}:\n    dead = {slot}\n    break\n"
    skip = "n2 = nxt + 1\nif n2 == size:\n    n2 = 0\n" + push("n2")
    jump, proceed = push("ap4 >> 2"), push("nxt")
    found: list[tuple[list[int], str]] = []

    def add(keys: list[int], body: str) -> None:
        for known, code in found:
            if code == body:
                known.extend(keys)
                return
        found.append((list(keys), body))

    add([key("DAT", m) for m in MODIFIERS], death)
    moves = {
        M_A: "c[U(bp4 + 1)] = aa\n",
        M_B: "c[U(bp4 + 2)] = ab\n",
        M_AB: "c[U(bp4 + 2)] = aa\n",
        M_BA: "c[U(bp4 + 1)] = ab\n",
        M_F: "c[U(bp4 + 1)] = aa\nc[U(bp4 + 2)] = ab\n",
        M_X: "c[U(bp4 + 2)] = aa\nc[U(bp4 + 1)] = ab\n",
        M_I: "c[U(bp4)] = c[U(ap4)]\nc[U(bp4 + 1)] = aa\nc[U(bp4 + 2)] = ab\n",
    }
    for m in MODIFIERS:
        add([key("MOV", m)], moves[m] + mark + proceed)
    for op in ("ADD", "SUB"):

        def combine(column: int, x: str, y: str, op: str = op) -> str:
            if op == "ADD":
                return f"r = {x} + {y}\nc[U(bp4 + {column})] = r - size if r >= size else r\n"
            return f"r = {x} - {y}\nc[U(bp4 + {column})] = r + size if r < 0 else r\n"

        both = combine(1, "ba", "aa") + combine(2, "bb", "ab")
        bodies = {
            M_A: combine(1, "ba", "aa"),
            M_B: combine(2, "bb", "ab"),
            M_AB: combine(2, "bb", "aa"),
            M_BA: combine(1, "ba", "ab"),
            M_X: combine(2, "bb", "aa") + combine(1, "ba", "ab"),
        }
        for m in MODIFIERS:
            add([key(op, m)], bodies.get(m, both) + mark + proceed)
    add(
        [key(op, m) for op in ("MUL", "DIV", "MOD") for m in MODIFIERS],
        branch(
            "mul_div_mod(c, bp4, word >> 6, aa, ab, ba, bb, size)", mark + death, mark + proceed
        ),
    )
    add([key("JMP", m) for m in MODIFIERS], jump)
    for m in MODIFIERS:
        add([key("JMZ", m)], branch(condition("zero", m), jump, proceed))
        add([key("JMN", m)], branch(condition("zero", m), proceed, jump))
        decrement = ""
        if m in (M_A, M_BA, M_F, M_X, M_I):
            decrement += "x = I(c[U(bp4 + 1)])\nc[U(bp4 + 1)] = x - 1 if x > 0 else size - 1\n"
        if m in (M_B, M_AB, M_F, M_X, M_I):
            decrement += "x = I(c[U(bp4 + 2)])\nc[U(bp4 + 2)] = x - 1 if x > 0 else size - 1\n"
        add([key("DJN", m)], decrement + mark + branch(condition("djzero", m), proceed, jump))
        add([key("SLT", m)], branch(condition("less", m), skip, proceed))
        add([key("SEQ", m), key("CMP", m)], branch(condition("equal", m), skip, proceed))
        add([key("SNE", m)], branch(condition("equal", m), proceed, skip))
    room = f"if {tail} - {head} > {peak}:\n    {peak} = {tail} - {head}\n"
    add(
        [key("SPL", m) for m in MODIFIERS],
        proceed + f"if {tail} - {head} < p2:\n" + indent(jump + room, 4),
    )
    add([key("NOP", m) for m in MODIFIERS], proceed)
    pspace = (
        "pspace_op(c, bp4, word >> 6, aa, ab, ba, bb, pspace, pspace_index, last_result,"
        f" {warrior})\n"
    )
    add([key("LDP", m) for m in MODIFIERS], pspace + mark + proceed)
    add([key("STP", m) for m in MODIFIERS], pspace + proceed)
    return found


def step(slot: int, track: bool) -> str:
    """One instruction of warrior ``slot`` (0: first mover, 1: the other)."""
    fetch = f"""
pc = q[U(h{slot} & mask)]
h{slot} += 2
p4 = pc << 2
word = I(c[U(p4)])
ra = I(c[U(p4 + 1)])
rb = I(c[U(p4 + 2)])
amode = (word >> 3) & 7
bmode = word & 7
"""
    code = indent(fetch, 0) + operand("a") + operand("b")
    code += "nxt = pc + 1\nif nxt == size:\n    nxt = 0\nkey = word >> 6\n"
    for i, (keys, body) in enumerate(cases(slot, track)):
        test = " or ".join(f"key == {k}" for k in keys)
        code += ("if " if i == 0 else "elif ") + test + ":\n" + indent(body, 4)
    return code


SIGNATURE = """
@njit(cache=True, error_model="numpy")
def {name}(core, queue, processes, cycles, starter, pspace, pspace_index, last_result,
           alive, death_order, observations, written, starts0, starts1):
    size = core.shape[0] >> 2
    c = core
    qn = 2
    while qn < 2 * processes:
        qn <<= 1
    mask = qn - 1
    p2 = 2 * processes
    q = queue
    q[0] = starts0
    q[1] = starts1
    w0 = starter
    w1 = 1 - starter
    h0 = 0
    t0 = 2
    h1 = 1
    t1 = 3
    peak0 = 2
    peak1 = 2
    cw0 = 0
    cw1 = 0
    hend = 2 * cycles + 1
    dead = -1
    while True:
"""

FINISH = """
    executed = (h0 >> 1) + (h1 >> 1)
    observations[w0, EXECUTED] = h0 >> 1
    observations[w1, EXECUTED] = h1 >> 1
    observations[w0, PEAK_PROCESSES] = peak0 >> 1
    observations[w1, PEAK_PROCESSES] = peak1 >> 1
    observations[w0, CELLS_WRITTEN] = cw0
    observations[w1, CELLS_WRITTEN] = cw1
    observations[w0, DIED_AT] = -1
    observations[w1, DIED_AT] = -1
    alive[w0] = True
    alive[w1] = True
    death_order[0] = -1
    death_order[1] = -1
    left = 2
    if dead >= 0:
        dead = w0 if dead == 0 else w1
        alive[dead] = False
        death_order[0] = dead
        observations[dead, DIED_AT] = executed
        left = 1
    for i in range(2):
        last_result[i] = left if alive[i] else 0
    return left
"""


def duel(track: bool) -> str:
    """The loop with both warriors' steps written out; ``track`` records cells written."""
    name = "duel_tracking" if track else "duel"
    body = step(0, track) + step(1, track) + "if h1 == hend:\n    break\n"
    return indent(SIGNATURE.format(name=name), 0) + indent(body, 8) + indent(FINISH, 4)


HEADER = '''"""The two-warrior MARS loop. Generated by ``duel_codegen.py``: do not edit."""

import numpy as np
from numba import njit

from problems.corewar.layout import CELLS_WRITTEN, DIED_AT, EXECUTED, PEAK_PROCESSES
from problems.corewar.rare_ops import mul_div_mod, pspace_op

U = np.uint64
I = np.int64
'''


def generate() -> str:
    """The text of ``duel.py``."""
    return HEADER + "\n\n" + duel(False) + "\n\n" + duel(True)


def main() -> None:
    TARGET.write_text(generate(), encoding="utf-8")
    for stale in TARGET.parent.glob("__pycache__/*.nb[ic]"):
        stale.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
