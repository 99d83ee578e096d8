"""Parameterized strategy components: the building blocks of template warriors.

Each component is Redcode written for this project from the textbook ideas of its
family, with its numbers left as parameters. Its labels carry a prefix so that several
components live in one warrior. A component is entered at ``<prefix>start``; a
component that finishes a phase (a stone that has dropped its bombs, a scanner whose
count ran out) jumps to ``next``, the entry of the component that follows it (its own
loop when none does).

Roles: ``prologue`` runs first (a quick scan), ``main`` is the body entered after the
launch, ``finisher`` is what ``main`` turns into (a core clear), and ``side`` components
run beside ``main`` from the start (an imp spiral, a paper).

Bombers and scanners stop by themselves: their pass count is worked out from their step
(``self_hit``) so that they hand over to the finisher just before they would bomb or
find their own warrior.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from problems.corewar.strategy.params import Param
from problems.corewar.strategy.steps import imp_step

Role = Literal["prologue", "main", "finisher", "side"]


@dataclass(frozen=True)
class Frame:
    """Where a component sits: the core size, the index of its first line in the warrior
    and the warrior's length."""

    coresize: int
    offset: int = 0
    length: int = 0

    def self_hit(self, line: int, offsets: Sequence[int], step: int, margin: int = 2) -> int:
        """The first pass ``k >= 1`` at which a pointer kept at line ``line`` of the
        component, aiming at ``offsets + k * step`` from that line, lands on the warrior
        (give or take ``margin`` cells); ``coresize`` when it never does."""
        low = -(self.offset + line) - margin
        high = self.length - self.offset - line - 1 + margin
        k = np.arange(1, self.coresize + 1, dtype=np.int64)
        hits = np.zeros(self.coresize, dtype=bool)
        for offset in offsets:
            x = (offset + k * step) % self.coresize
            x = np.where(x > self.coresize // 2, x - self.coresize, x)
            hits |= (x >= low) & (x <= high)
        found = np.flatnonzero(hits)
        return int(k[found[0]]) if len(found) else self.coresize


Render = Callable[[Mapping[str, int], str, str, Frame], list[str]]
"""``(values, prefix, next_label, frame) -> lines``."""


@dataclass(frozen=True)
class Component:
    """A family's template: its roles, parameters and renderer."""

    family: str
    roles: tuple[Role, ...]
    params: tuple[Param, ...]
    render: Render
    summary: str

    def param(self, name: str) -> Param:
        """The parameter called ``name``."""
        return next(p for p in self.params if p.name == name)


BOMBS = ("dat.f  #0, #0", "spl.b  #0, #0", "dat.f  >1, >1", "mov.i  #1, 1")
"""Bombs a component may drop, by choice index: a plain kill, a stun (processes caught
in ``spl #0`` waste the enemy's cycles), a kill that also decrements, and an imp-like
cell that misleads scanners."""


def _stone(v: Mapping[str, int], p: str, next_label: str, frame: Frame) -> list[str]:
    passes = frame.self_hit(0, (v["a"], v["b"]), v["step"]) - 1 + v["slack"]
    return [
        f"{p}ptr    dat.f  #{v['a']}, #{v['b']}",
        f"{p}inc    dat.f  #{v['step']}, #{v['step']}",
        f"{p}bomb   {BOMBS[v['bomb']]}",
        f"{p}start  add.f  {p}inc, {p}ptr",
        f"         mov.i  {p}bomb, @{p}ptr",
        f"         mov.i  {p}bomb, *{p}ptr",
        f"         djn.b  {p}start, #{max(1, passes)}",
        f"         jmp    {next_label}",
    ]


def _scanner(v: Mapping[str, int], p: str, next_label: str, frame: Frame) -> list[str]:
    carpet = [f"         mov.i  {p}bomb, >{p}ptr"] * v["carpet"]
    first, second = v["first"], v["first"] + v["gap"]
    passes = frame.self_hit(3, (first, second), v["step"]) - 1 + v["slack"]
    return [
        f"{p}inc    dat.f  #{v['step']}, #{v['step']}",
        f"{p}bomb   {BOMBS[v['bomb']]}",
        f"{p}start  add.f  {p}inc, {p}ptr",
        f"{p}ptr    seq.i  {first}, {second}",
        f"         jmp    {p}hit",
        f"         djn.b  {p}start, #{max(1, passes)}",
        f"         jmp    {next_label}",
        f"{p}hit    mov.i  {p}bomb, *{p}ptr",
        f"         mov.i  {p}bomb, @{p}ptr",
        *carpet,
        f"         jmp    {p}start",
    ]


def _clear(v: Mapping[str, int], p: str, next_label: str, frame: Frame) -> list[str]:
    return [
        f"{p}ptr    dat.f  #0, #{v['first']}",
        f"{p}bomb   {BOMBS[v['bomb']]}",
        f"{p}start  spl.b  #0, #0",
        f"{p}loop   mov.i  {p}bomb, >{p}ptr",
        f"         djn.f  {p}loop, >{p}ptr",
    ]


def _imp(v: Mapping[str, int], p: str, next_label: str, frame: Frame) -> list[str]:
    coresize = frame.coresize
    points = IMP_POINTS[v["points"]]
    step = imp_step(coresize, points) or 1
    leaves = min(16, (1 << (points - 1).bit_length()) << v["extra"])  # one or more a point
    lines: list[str] = []

    def tree(low: int, high: int, label: str) -> None:
        if high - low == 1:
            lines.append(f"{label:<8} jmp    {p}imp+{low * step % coresize}")
            return
        middle = (low + high) // 2
        right = f"{p}n{middle}_{high}"
        lines.append(f"{label:<8} spl.b  {right}, #0")
        tree(low, middle, "")
        tree(middle, high, right)

    tree(0, leaves, f"{p}start")
    lines.append(f"{p}imp    mov.i  #{v['decoy']}, {step}")
    return lines


def _paper(v: Mapping[str, int], p: str, next_label: str, frame: Frame) -> list[str]:
    spawn = [f"{p}start  spl.b  1, #0"] + ["         spl.b  1, #0"] * (v["procs"] - 1)
    modes = BOMB_MODES[v.get("mode", 0)], BOMB_MODES[(v.get("mode", 0) + 1) % len(BOMB_MODES)]
    targets = (v["target"], v.get("target2", v["target"]))[: v.get("bombs", 1)]
    bomb = [f"         mov.i  {p}bomb, {m}{t}" for m, t in zip(modes, targets, strict=False)]
    bomb = bomb if v["bomb"] < len(BOMBS) else []
    second = (
        [f"         spl.b  @0, {v['dest2']}", "         mov.i  }-1, >-1"] if v["stages"] > 1 else []
    )
    return [
        *spawn,
        f"{p}silk   spl.b  @0, {v['dest']}",
        "         mov.i  }-1, >-1",
        *second,
        *bomb,
        f"         jmp    {p}silk",
        f"{p}bomb   {BOMBS[min(v['bomb'], len(BOMBS) - 1)]}",
    ]


BOMB_MODES = (">", "}", "<", "{")
"""How a paper's bombing line walks its pointer, by choice index (the second bombing
line, when there is one, takes the next mode)."""


IMP_POINTS = (3, 7)
"""Points of the imp ring, by choice index."""


def _qscan(v: Mapping[str, int], p: str, next_label: str, frame: Frame) -> list[str]:
    probes, handlers = [], []
    for k in range(v["probes"]):
        near = (v["first"] + k * v["spacing"]) % frame.coresize
        label = f"{p}start" if k == 0 else ""
        probes += [f"{label:<8} seq.i  {near}, {near + v['gap']}", f"         jmp    {p}f{k}"]
        # the probe sits at line 2 + 2k; its target, seen from tptr (line 0):
        handlers += [f"{p}f{k:<6}mov.ab #{2 + 2 * k + near}, {p}tptr", f"         jmp    {p}hit"]
    return [
        f"{p}tptr   dat.f  #0, #0",
        f"{p}bomb   {BOMBS[v['bomb']]}",
        *probes,
        f"         jmp    {next_label}",
        *handlers,
        f"{p}hit    mov.i  {p}bomb, >{p}tptr",
        *[f"         mov.i  {p}bomb, >{p}tptr"] * (v["burst"] - 1),
        f"         jmp    {next_label}",
    ]


CLEAR_LOOPS = ("djn.f  {p}loop, >{p}ptr", "djn.f  {p}loop, <{stream}", "jmp    {p}loop")
"""How a d-clear's loop ends, by choice index: a ``djn`` that also decrements the cell
after each bomb (two cells a loop), a ``djn`` whose decrement stream runs backwards from
``stream`` (elsewhere in core), or a plain jump."""


def _dclear_lines(v: Mapping[str, int], p: str, ptr: str) -> tuple[list[str], list[str]]:
    """The loop and the bombs of a two-pass d-clear driven by the B-field of ``ptr``.

    ``{p}sel`` (placed before ``ptr``) points at the bomb being laid. The first pass lays
    ``spl #0`` (a stun; skipped when ``stun`` is 0) and its last write, onto ``sel``, turns
    ``sel`` to the ``dat`` bombs; every bomb's B-field is the distance from ``sel`` to the
    last bomb, so when the clear comes round and writes onto ``ptr`` the pointer starts
    over just past the warrior's code, and the clear never ends. Two ``dat`` bombs side
    by side keep ``sel`` on a ``dat`` when a decrement hits it too.
    """
    loop = CLEAR_LOOPS[v["loop"]].format(p=p, stream=v["stream"])
    writes = [f"{p}loop   mov.i  @{p}sel, >{ptr}"]
    writes += [f"         mov.i  @{p}sel, >{ptr}"] * (v["writes"] - 1)
    bombs = [
        f"{p}sbomb  spl.b  #{p}last-{p}sel, #{p}last-{p}sel",
        f"{p}dbomb  dat.f  #{p}last-{p}sel, #{p}last-{p}sel",
        f"{p}last   dat.f  #{p}last-{p}sel, #{p}last-{p}sel",
    ]
    return [*writes, f"         {loop}"], bombs


def _dclear(v: Mapping[str, int], p: str, next_label: str, frame: Frame) -> list[str]:
    loop, bombs = _dclear_lines(v, p, f"{p}ptr")
    first_bomb = f"{p}sbomb" if v["stun"] else f"{p}dbomb"
    # the pointer starts past the clear's own code (lines 0..len-1 from sel; ptr is line 1)
    first = len(loop) + len(bombs) + v["first"]
    return [
        f"{p}sel    dat.f  #0, #{first_bomb}-{p}sel",
        f"{p}ptr    dat.f  #0, #{first}",
        f"{p}start  spl.b  #0, #0",
        *loop,
        *bombs,
    ]


def _oneshot(v: Mapping[str, int], p: str, next_label: str, frame: Frame) -> list[str]:
    """Scan two cells a gap apart each step until they differ (or the passes run out),
    then d-clear the core starting at the cell found."""
    first, second = v["first"], v["first"] + v["gap"]
    passes = frame.self_hit(3, (first, second), v["step"]) - 1 + v["slack"]
    loop, bombs = _dclear_lines(v, p, f"{p}ptr")
    first_bomb = f"{p}sbomb" if v["stun"] else f"{p}dbomb"
    return [
        f"{p}sel    dat.f  #0, #{first_bomb}-{p}sel",
        f"{p}inc    dat.f  #{v['step']}, #{v['step']}",
        f"{p}start  add.f  {p}inc, {p}ptr",
        f"{p}ptr    sne.i  {first}, {second}",
        f"         djn.b  {p}start, #{max(1, passes)}",
        f"         mov.ab {p}ptr, {p}ptr",
        *([f"         sub.b  #{v['back']}, {p}ptr"] if v["back"] else []),
        "         spl.b  #0, #0",
        *loop,
        *bombs,
    ]


COMPONENTS: dict[str, Component] = {}


def _add(component: Component) -> None:
    COMPONENTS[component.family] = component


_add(
    Component(
        "stone",
        ("main", "side"),
        (
            Param("step", "step", moduli=(4, 5, 8, 2, 10, 16)),
            Param("a", "offset", -200, 200),
            Param("b", "offset", -3999, 4000),
            Param("bomb", "choice", 0, 3),
            Param("slack", "count", -100, 0),
        ),
        _stone,
        "stone: drops two bombs a step apart each pass, then turns into what follows",
    )
)
_add(
    Component(
        "scanner",
        ("main",),
        (
            Param("step", "step", moduli=(1, 2, 4, 5, 8, 10, 16)),
            Param("first", "offset", 4, 400),
            Param("gap", "offset", 1, 40),
            Param("bomb", "choice", 0, 3),
            Param("carpet", "count", 0, 4),
            Param("slack", "count", -100, 0),
        ),
        _scanner,
        "scanner: compares two cells a gap apart; on a difference bombs both and lays a carpet",
    )
)
_add(
    Component(
        "clear",
        ("main", "finisher"),
        (Param("first", "offset", 2, 60), Param("bomb", "choice", 0, 2)),
        _clear,
        "core clear: many processes wipe the core forward from a pointer",
    )
)
_add(
    Component(
        "imp",
        ("side", "main"),
        (
            Param("points", "choice", 0, 1),
            Param("extra", "count", 0, 2),
            Param("decoy", "offset", 0, 100),
        ),
        _imp,
        "imp spiral: processes launched in order onto the points of an imp ring",
    )
)
_add(
    Component(
        "paper",
        ("main", "side"),
        (
            Param("procs", "count", 2, 4),
            Param("dest", "offset", 100, 7900),
            Param("dest2", "offset", 100, 7900),
            Param("stages", "count", 1, 2),
            Param("target", "offset", 100, 7900),
            Param("bomb", "choice", 0, 4),
            Param("bombs", "count", 1, 2),
            Param("mode", "choice", 0, 3),
            Param("target2", "offset", 100, 7900),
        ),
        _paper,
        "paper: a replicator that copies itself with all its processes and splits into the copy",
    )
)
_add(
    Component(
        "qscan",
        ("prologue",),
        (
            Param("probes", "count", 1, 6),
            Param("first", "offset", 100, 7900),
            Param("spacing", "offset", 100, 4000),
            Param("gap", "offset", 1, 20),
            Param("bomb", "choice", 0, 3),
            Param("burst", "count", 1, 8),
        ),
        _qscan,
        "quick scan: looks at a few far cells at once and bombs what it finds, then starts",
    )
)
_add(
    Component(
        "dclear",
        ("finisher", "main"),
        (
            Param("first", "offset", 0, 60),
            Param("stun", "choice", 0, 1),
            Param("writes", "count", 1, 2),
            Param("loop", "choice", 0, 2),
            Param("stream", "offset", -4000, 4000),
        ),
        _dclear,
        "d-clear: a stun pass of spl bombs, then dat bombs over and over, never hitting itself",
    )
)
_add(
    Component(
        "oneshot",
        ("main",),
        (
            Param("step", "step", moduli=(1, 2, 4, 5, 8, 10, 16)),
            Param("first", "offset", 4, 400),
            Param("gap", "offset", 1, 4000),
            Param("slack", "count", -100, 0),
            Param("back", "count", 0, 20),
            Param("stun", "choice", 0, 1),
            Param("writes", "count", 1, 2),
            Param("loop", "choice", 0, 2),
            Param("stream", "offset", -4000, 4000),
        ),
        _oneshot,
        "one-shot: scans until it sees something, then d-clears the core from there",
    )
)
