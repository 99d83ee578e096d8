"""A template warrior's design: which components fill which roles, with which numbers.

A design is written into the genome as one comment line, so a genome stays plain
Redcode that any MARS accepts, while strategy-aware operators can read the design back,
change a number or a component, and render the warrior again::

    ;design main=stone(step=3044,a=-12,b=1501,bomb=0,count=1200) finisher=clear(first=5,bomb=0)

Layout of a rendered warrior: the prologue (a quick scan), the launch (a ``spl`` to the
side component, then a jump to the main component), the main component, its finisher,
then the side component.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from problems.corewar.strategy.components import COMPONENTS, Component, Frame, Role

ROLE_ORDER: tuple[Role, ...] = ("prologue", "main", "finisher", "side")
PREFIX = {"prologue": "q", "main": "m", "finisher": "f", "side": "s"}
DESIGN_LINE = ";design "
_PART = re.compile(r"(\w+)=(\w+)\(([^)]*)\)")


class DesignError(ValueError):
    """A ``;design`` line that names an unknown component or parameter."""


@dataclass(frozen=True)
class Part:
    """One component in a role, with its parameter values."""

    role: Role
    family: str
    values: Mapping[str, int] = field(default_factory=dict)

    @property
    def component(self) -> Component:
        return COMPONENTS[self.family]

    def text(self) -> str:
        values = ",".join(f"{k}={v}" for k, v in self.values.items())
        return f"{self.role}={self.family}({values})"


@dataclass(frozen=True)
class Design:
    """The parts of a template warrior, in role order (at most one side part)."""

    parts: tuple[Part, ...]

    def part(self, role: Role) -> Part | None:
        """The part in ``role``, if any."""
        return next((p for p in self.parts if p.role == role), None)

    @property
    def family(self) -> str:
        """Short name of the strategy, e.g. ``qscan > stone+clear/imp``."""
        main = "+".join(p.family for p in self.parts if p.role in ("main", "finisher"))
        side = [p.family for p in self.parts if p.role == "side"]
        prologue = [f"{p.family} > " for p in self.parts if p.role == "prologue"]
        return "".join(prologue) + main + ("/" + "/".join(side) if side else "")

    def line(self) -> str:
        """The ``;design`` comment line."""
        return DESIGN_LINE + " ".join(p.text() for p in self.parts)

    def with_part(self, part: Part) -> Design:
        """This design with ``part`` in its role (replacing any part there)."""
        parts = [p for p in self.parts if p.role != part.role] + [part]
        return Design(tuple(sorted(parts, key=lambda p: ROLE_ORDER.index(p.role))))

    def without(self, role: Role) -> Design:
        """This design with nothing in ``role``."""
        return Design(tuple(p for p in self.parts if p.role != role))

    def with_value(self, role: Role, name: str, value: int) -> Design:
        """This design with one parameter changed."""
        part = self.part(role)
        assert part is not None
        return self.with_part(replace(part, values={**part.values, name: value}))

    def source(self, coresize: int) -> str:
        """The warrior as Redcode (labels, comments, ``;design`` line)."""
        if self.part("main") is None:
            raise DesignError("a design needs a main component")
        sized = self._body(Frame(coresize), {})
        offsets, at = {}, 0
        for role, lines in sized:
            offsets[role] = at
            at += len(lines)
        body = self._body(Frame(coresize, length=at), offsets)
        head = [";redcode-94", ";name evolved", ";author evo", f";strategy {self.family}"]
        entry = body[0][0] if body[0][0] == "launch" else f"{PREFIX[body[0][0]]}start"
        lines = head + [self.line()] + [line for _, block in body for line in block]
        return "\n".join(lines + [f"         end    {entry}"]) + "\n"

    def length(self, coresize: int) -> int:
        """Number of instructions of the rendered warrior."""
        return sum(len(lines) for _, lines in self._body(Frame(coresize), {}))

    def _body(self, frame: Frame, offsets: dict[str, int]) -> list[tuple[str, list[str]]]:
        """The blocks of code in order, each ``(role, lines)``; ``offsets`` place them."""
        blocks: list[tuple[str, list[str]]] = []
        side, finisher = self.part("side"), self.part("finisher")
        main_entry = f"{PREFIX['main']}start"
        after_prologue = "launch" if side else main_entry
        for part in self.parts:
            prefix = PREFIX[part.role]
            if part.role == "prologue":
                follow = after_prologue
            elif part.role == "main":
                follow = f"{PREFIX['finisher']}start" if finisher else main_entry
            else:
                follow = f"{prefix}start"
            if part.role == "main" and side:
                blocks.append(
                    (
                        "launch",
                        [
                            f"launch   spl.b  {PREFIX['side']}start, #0",
                            f"         jmp    {main_entry}",
                        ],
                    )
                )
            placed = replace(frame, offset=offsets.get(part.role, 0))
            blocks.append((part.role, part.component.render(part.values, prefix, follow, placed)))
        return blocks


def parse(text: str) -> Design | None:
    """The design written in a genome's ``;design`` line, or None when it has none."""
    for line in text.splitlines():
        if line.startswith(DESIGN_LINE):
            return _parse_line(line[len(DESIGN_LINE) :])
    return None


def _parse_line(body: str) -> Design:
    parts = []
    for role, family, values in _PART.findall(body):
        if role not in ROLE_ORDER or family not in COMPONENTS:
            raise DesignError(f"unknown part {role}={family}")
        known = {p.name for p in COMPONENTS[family].params}
        parsed = {}
        for item in filter(None, values.split(",")):
            name, _, number = item.partition("=")
            if name not in known:
                raise DesignError(f"{family} has no parameter {name!r}")
            parsed[name] = int(number)
        parts.append(Part(role, family, parsed))  # type: ignore[arg-type]
    if not parts:
        raise DesignError(f"empty design: {body!r}")
    return Design(tuple(sorted(parts, key=lambda p: ROLE_ORDER.index(p.role))))


def random_part(role: Role, rng: np.random.Generator, coresize: int) -> Part:
    """A component that can fill ``role``, with random parameter values."""
    families = [c.family for c in COMPONENTS.values() if role in c.roles]
    component = COMPONENTS[families[int(rng.integers(len(families)))]]
    values = {p.name: p.sample(rng, coresize) for p in component.params}
    return Part(role, component.family, values)


def random_design(rng: np.random.Generator, coresize: int, maxlength: int = 100) -> Design:
    """A random design that fits in ``maxlength`` instructions: a main component, often
    a finisher, sometimes a prologue or a side."""
    while True:
        design = _random_design(rng, coresize)
        if design.length(coresize) <= maxlength:
            return design


def _random_design(rng: np.random.Generator, coresize: int) -> Design:
    parts = [random_part("main", rng, coresize)]
    if rng.random() < 0.3:
        parts.append(random_part("prologue", rng, coresize))
    if parts[0].family in ("stone", "scanner") and rng.random() < 0.8:
        parts.append(random_part("finisher", rng, coresize))
    if rng.random() < 0.4:
        parts.append(random_part("side", rng, coresize))
    return Design(tuple(sorted(parts, key=lambda p: ROLE_ORDER.index(p.role))))
