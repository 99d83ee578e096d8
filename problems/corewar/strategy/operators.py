"""Strategy-aware variation: fresh templates, constant tuning, component swaps.

Each operator reads a parent's ``;design`` line when it has one (see ``design``) and
works on the design's components and numbers; a parent without one (a warrior edited
instruction by instruction) is varied on its code instead. Every child assembles.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from evo.records import Genome
from evo.selection.base import Member
from evo.variation.base import Operator, VariationContext
from problems.corewar.redcode import A_VALUE, B_VALUE, IMMEDIATE, Settings, Warrior
from problems.corewar.strategy.design import (
    ROLE_ORDER,
    Design,
    DesignError,
    parse,
    random_design,
    random_part,
)
from problems.corewar.strategy.params import Param


class CoreWarLike(Protocol):
    """What these operators need of the Core War problem."""

    settings: Settings

    def assemble(self, genome: str) -> Warrior: ...

    def canonical(self, warrior: Warrior, parent: str | None = None) -> str: ...

    def crossover(self, a: str, b: str, rng: np.random.Generator) -> str: ...

    def render_design(self, design: Design) -> str: ...


TUNE_VARIANTS = 4
"""Children of one ``tune``: values of one constant tried side by side."""


def design_of(genome: Genome) -> Design | None:
    """The parent's design, or None (no ``;design`` line, or one that no longer parses)."""
    if not isinstance(genome, str):
        return None
    try:
        return parse(genome)
    except DesignError:
        return None


def _problem(context: VariationContext) -> CoreWarLike:
    return context.problem  # type: ignore[return-value]


class Template(Operator):
    """A new warrior from the templates: random components with random numbers."""

    arity = 1

    def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        problem = _problem(context)
        settings = problem.settings
        return [
            problem.render_design(random_design(context.rng, settings.coresize, settings.maxlength))
        ]


class Tune(Operator):
    """Several children that differ from the parent in one constant: a parameter of its
    design (a step from the good-step table, an offset, a count), or one number of its
    code. Selection keeps whichever value plays best."""

    arity = 1

    def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        problem, rng = _problem(context), context.rng
        genome = parents[0].candidate.genome
        design = design_of(genome)
        if design is None:
            return _tune_code(problem, genome, rng)
        part = design.parts[int(rng.integers(len(design.parts)))]
        param = part.component.params[int(rng.integers(len(part.component.params)))]
        coresize = problem.settings.coresize
        values = param.neighbours(part.values[param.name], rng, coresize, TUNE_VARIANTS)
        return [problem.render_design(design.with_value(part.role, param.name, v)) for v in values]


def _tune_code(problem: CoreWarLike, genome: str, rng: np.random.Generator) -> list[Genome]:
    """Variants of one number of the code: good steps for a large one, small moves and a
    few jumps for any."""
    warrior = problem.assemble(genome)
    code = warrior.code
    coresize = problem.settings.coresize
    row = int(rng.integers(len(code)))
    column = A_VALUE if rng.random() < 0.5 else B_VALUE
    value = int(code[row, column])
    span = min(value, coresize - value)
    kind = "step" if span > 100 and code[row, column - 1] == IMMEDIATE else "offset"
    param = Param("value", kind, -coresize // 2, coresize // 2, moduli=(1, 2, 4, 5, 8))
    signed = value - coresize if value > coresize // 2 else value
    children = []
    for v in param.neighbours(signed, rng, coresize, TUNE_VARIANTS):
        changed = np.array(code, copy=True)
        changed[row, column] = v % coresize
        children.append(problem.canonical(Warrior(code=changed, start=warrior.start), genome))
    return children


class Swap(Operator):
    """Component crossover: the first parent with one role filled by the second parent's
    component of that role (numbers included). Parents without designs exchange a
    segment of code instead."""

    arity = 2

    def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        problem, rng = _problem(context), context.rng
        first, second = (p.candidate.genome for p in parents)
        a, b = design_of(first), design_of(second)
        if a is None or b is None:
            return [problem.crossover(first, second, rng)]
        roles = [p.role for p in b.parts if p.role != "finisher" or _takes_finisher(a)]
        if not roles:
            return [problem.crossover(first, second, rng)]
        role = roles[int(rng.integers(len(roles)))]
        donor = b.part(role)
        assert donor is not None
        child = a.with_part(donor)
        if not _takes_finisher(child):
            child = child.without("finisher")
        return _rendered(problem, [child])


class Compose(Operator):
    """Composition: replace one component of the parent's design with a new random one,
    add a side or finisher component it lacks, or drop one."""

    arity = 1

    def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        problem, rng = _problem(context), context.rng
        coresize = problem.settings.coresize
        design = design_of(parents[0].candidate.genome) or random_design(
            rng, coresize, problem.settings.maxlength
        )
        role = ROLE_ORDER[int(rng.integers(len(ROLE_ORDER)))]
        present = design.part(role) is not None
        if role != "main" and present and rng.random() < 0.3:
            child = design.without(role)
        else:
            child = design.with_part(random_part(role, rng, coresize))
        if not _takes_finisher(child):
            child = child.without("finisher")
        return _rendered(problem, [child])


def _rendered(problem: CoreWarLike, designs: Sequence[Design]) -> list[Genome]:
    """The genomes of the designs that fit in the problem's maximum length."""
    settings = problem.settings
    return [
        problem.render_design(d)
        for d in designs
        if d.length(settings.coresize) <= settings.maxlength
    ]


def _takes_finisher(design: Design) -> bool:
    main = design.part("main")
    return main is not None and main.family in ("stone", "scanner")


OPERATORS: dict[str, type[Operator]] = {
    "template": Template,
    "tune": Tune,
    "swap": Swap,
    "compose": Compose,
}
"""The Core War problem's own operators, by their names in ``variation.operators``."""
