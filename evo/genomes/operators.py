"""Engine operators for genomes made of a typed config and/or a skill library.

Such a genome is ``{"config": {...}, "skills": [...]}`` (either part may be absent). A
problem opts in by setting ``config_space`` (a ``ConfigSpace``) and/or
``skill_grammar`` (a ``SkillGrammar``); the operators below then work on it by name in
``variation.operators``: ``config_mutation``, ``config_crossover``, ``skill_add``,
``skill_refine``, ``skill_merge``, ``skill_delete``, ``skill_crossover``.

An evaluation may list, in its artifact ``unmet_conditions`` (one per line, most
frequent first), conditions the agent needed but no skill achieved; ``skill_add`` then
aims half its new skills at them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from evo.genomes import skill_ops
from evo.genomes.skills import SkillGrammar
from evo.genomes.typed import ConfigSpace
from evo.problem import Problem
from evo.records import Genome
from evo.selection.base import Member
from evo.variation.base import Operator, VariationContext, register


def config_space(problem: Problem) -> ConfigSpace | None:
    """The problem's typed config space, if it has one."""
    space = getattr(problem, "config_space", None)
    return space if isinstance(space, ConfigSpace) else None


def skill_grammar(problem: Problem) -> SkillGrammar | None:
    """The problem's skill grammar, if it has one."""
    grammar = getattr(problem, "skill_grammar", None)
    return grammar if isinstance(grammar, SkillGrammar) else None


HINTS_ARTIFACT = "unmet_conditions"


def with_part(genome: Mapping[str, Any], key: str, value: Any) -> dict[str, Any]:
    """A copy of ``genome`` with ``key`` replaced."""
    return dict(genome) | {key: value}


def mutate_config(problem: Problem, genome: Genome, rng: np.random.Generator) -> Genome:
    """``genome`` with its config mutated."""
    space = config_space(problem)
    assert space is not None
    return with_part(genome, "config", space.mutate(genome.get("config", {}), rng))


def cross_configs(problem: Problem, a: Genome, b: Genome, rng: np.random.Generator) -> Genome:
    """``a`` with its config crossed with ``b``'s."""
    space = config_space(problem)
    assert space is not None
    return with_part(a, "config", space.crossover(a.get("config", {}), b.get("config", {}), rng))


def edit_skills(
    problem: Problem,
    genome: Genome,
    edit: str,
    rng: np.random.Generator,
    hints: Sequence[str] = (),
) -> Genome:
    """``genome`` with one structural edit (add, refine, merge, delete) of its library;
    ``hints`` are conditions new skills may aim at."""
    grammar = skill_grammar(problem)
    assert grammar is not None
    library = list(genome.get("skills", []))
    if edit == "add":
        return with_part(genome, "skills", skill_ops.add_skill(library, grammar, rng, hints))
    return with_part(genome, "skills", skill_ops.EDITS[edit](library, grammar, rng))


def cross_skills(problem: Problem, a: Genome, b: Genome, rng: np.random.Generator) -> Genome:
    """``a`` with its library recombined with ``b``'s."""
    grammar = skill_grammar(problem)
    assert grammar is not None
    library = skill_ops.crossover_libraries(a.get("skills", []), b.get("skills", []), grammar, rng)
    return with_part(a, "skills", library)


class _PartOperator(Operator):
    part = "config"

    def check(self, problem: Problem) -> str | None:
        if self.part == "config" and config_space(problem) is None:
            return "the problem has no typed config (set its config_space)"
        if self.part == "skills" and skill_grammar(problem) is None:
            return "the problem has no skill library (set its skill_grammar)"
        return None

    def _genomes(self, parents: Sequence[Member]) -> list[Genome]:
        genomes = [p.candidate.genome for p in parents]
        if not all(isinstance(g, Mapping) for g in genomes):
            raise TypeError(
                f"{self.name} needs genomes that are mappings with a {self.part!r} part"
            )
        return genomes


@register("config_mutation")
class ConfigMutation(_PartOperator):
    """Mutate the typed config (numbers, categories, booleans, lists)."""

    arity = 1

    def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        (genome,) = self._genomes(parents)
        return [mutate_config(context.problem, genome, context.rng)]


@register("config_crossover")
class ConfigCrossover(_PartOperator):
    """Uniform crossover of two typed configs (the first parent's other parts)."""

    arity = 2

    def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        a, b = self._genomes(parents)
        return [cross_configs(context.problem, a, b, context.rng)]


class _SkillEdit(_PartOperator):
    part = "skills"
    arity = 1
    edit = "refine"

    def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        (genome,) = self._genomes(parents)
        hints = parents[0].evaluation.artifacts.get(HINTS_ARTIFACT, "").splitlines()
        child = edit_skills(context.problem, genome, self.edit, context.rng, hints)
        return [] if child == genome else [child]


@register("skill_add")
class SkillAdd(_SkillEdit):
    """Add a skill assembled from the grammar's action templates (aimed, half the time,
    at a condition the parent's evaluation reports unmet)."""

    edit = "add"


@register("skill_refine")
class SkillRefine(_SkillEdit):
    """Refine one skill: a step, a slot value, its precondition, check or position."""

    edit = "refine"


@register("skill_merge")
class SkillMerge(_SkillEdit):
    """Merge two skills into one."""

    edit = "merge"


@register("skill_delete")
class SkillDelete(_SkillEdit):
    """Delete one skill."""

    edit = "delete"


@register("skill_crossover")
class SkillCrossover(_PartOperator):
    """Recombine two skill libraries skill by skill."""

    part = "skills"
    arity = 2

    def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        a, b = self._genomes(parents)
        return [cross_skills(context.problem, a, b, context.rng)]
