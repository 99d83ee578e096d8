"""Classical operators that delegate to the problem's own ``mutate`` and ``crossover``."""

from __future__ import annotations

from collections.abc import Sequence

from evo.problem import Problem, implements
from evo.records import Genome
from evo.selection.base import Member
from evo.variation.base import Operator, VariationContext, register


@register("mutation")
class Mutation(Operator):
    """One parent, mutated by ``problem.mutate``."""

    arity = 1

    def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        return [context.problem.mutate(parents[0].candidate.genome, context.rng)]

    def check(self, problem: Problem) -> str | None:
        return None if implements(problem, "mutate") else "the problem defines no mutate()"


@register("crossover")
class Crossover(Operator):
    """Two parents recombined by ``problem.crossover``, then mutated when possible."""

    arity = 2

    def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        problem, rng = context.problem, context.rng
        child = problem.crossover(parents[0].candidate.genome, parents[1].candidate.genome, rng)
        if implements(problem, "mutate"):
            child = problem.mutate(child, rng)
        return [child]

    def check(self, problem: Problem) -> str | None:
        return None if implements(problem, "crossover") else "the problem defines no crossover()"
