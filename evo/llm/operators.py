"""Model-guided operators: diff mutation, full rewrite, crossover, reflective mutation.

Each asks the run's model client (``context.extras["llm"]``) and returns the proposed
genome, or nothing when the answer is truncated, cannot be parsed or applied, or fails
the problem's ``check_genome``; every rejection is recorded with its reason.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence

from evo.llm import prompts
from evo.llm.client import BudgetExhausted, Completion, LLMClient, ModelFailure
from evo.llm.edits import EditError, apply_diff, extract_code, parse_diff
from evo.problem import Problem
from evo.records import Genome, genome_id
from evo.selection.base import Member
from evo.variation.base import Operator, VariationContext, register


class LLMOperator(Operator):
    """Shared prompt building and answer checking; subclasses say what to ask."""

    instruction = "rewrite"

    def check(self, problem: Problem) -> str | None:
        return None

    def client(self, context: VariationContext) -> LLMClient:
        client = context.extras.get("llm")
        if client is None:
            raise RuntimeError(f"operator {self.name} needs an `llm:` section in the config")
        return client

    def messages(self, parents: Sequence[Member], context: VariationContext) -> list[dict]:
        problem = context.problem
        info = problem.prompt_context()
        language = info.get("language", "text")
        parent = parents[0]
        inspirations = self.inspirations(parents, context)
        system = prompts.render(
            "system",
            language=language,
            task=problem.describe(),
            cheatsheet=info.get("cheatsheet", ""),
        )
        body = prompts.render(
            "context",
            language=language,
            parent=prompts.genome_text(parent.candidate.genome),
            metrics=prompts.metrics_text(parent),
            feedback=parent.evaluation.feedback or "-",
            artifacts=prompts.artifacts_text(parent),
            inspirations=prompts.inspirations_text(inspirations, language),
            lessons=prompts.lessons_text(context.extras.get("lessons", [])),
        )
        body += "\n" + self.request(parents, language)
        return [{"role": "system", "content": system}, {"role": "user", "content": body}]

    @staticmethod
    def inspirations(parents: Sequence[Member], context: VariationContext) -> list[Member]:
        """The best other member and randomly chosen others (diversity)."""
        count = int(context.extras.get("inspirations", 2))
        others = [
            m for m in context.population if m.evaluation.ok and m.id not in {p.id for p in parents}
        ]
        if not others or count == 0:
            return []
        rest = [others[int(i)] for i in context.rng.permutation(len(others) - 1) + 1]
        return [others[0]] + rest[: count - 1]

    def request(self, parents: Sequence[Member], language: str) -> str:
        return prompts.render(self.instruction, language=language)

    def genome(self, answer: str, parents: Sequence[Member]) -> Genome:
        code = extract_code(answer)
        if isinstance(parents[0].candidate.genome, str):
            return code
        try:  # structured genomes (configs, skill libraries) travel as JSON
            return json.loads(code)
        except json.JSONDecodeError as exc:
            raise EditError(f"the answer is not valid JSON: {exc}") from None

    async def ask(
        self, messages: list[dict], parents: Sequence[Member], context: VariationContext
    ) -> Completion:
        return await self.client(context).complete(
            messages,
            operator=self.name,
            candidate=parents[0].id,
            generation=context.generation,
            rng=random.Random(int(context.rng.integers(2**32))),
        )

    async def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        messages = self.messages(parents, context)
        try:
            answer = await self.ask(messages, parents, context)
        except (BudgetExhausted, ModelFailure):
            return []
        return await self.accept(answer, messages, parents, context)

    async def accept(
        self,
        answer: Completion,
        messages: list[dict],
        parents: Sequence[Member],
        context: VariationContext,
    ) -> list[Genome]:
        try:
            if answer.finish_reason == "length":
                raise EditError("the answer was truncated (finish_reason=length)")
            genome = self.genome(answer.text, parents)
        except EditError as exc:
            return await self.rejected(str(exc), answer, messages, parents, context)
        reason = context.problem.check_genome(genome)
        if reason:
            return await self.rejected(
                f"unusable genome: {reason}", answer, messages, parents, context
            )
        if not self.client(context).record_child(answer, genome_id(genome)):
            return []  # nothing new: the row says which candidate it repeats
        return [genome]

    async def rejected(
        self,
        reason: str,
        answer: Completion,
        messages: list[dict],
        parents: Sequence[Member],
        context: VariationContext,
    ) -> list[Genome]:
        self.client(context).record_rejection(answer, reason)
        return []


@register("llm_rewrite")
class LLMRewrite(LLMOperator):
    """The model rewrites the whole parent."""

    arity = 1
    instruction = "rewrite"


@register("llm_reflect")
class LLMReflect(LLMOperator):
    """The model studies the parent's feedback and artifacts, then fixes the program."""

    arity = 1
    instruction = "reflect"


@register("llm_crossover")
class LLMCrossover(LLMOperator):
    """The model combines two parents."""

    arity = 2

    def request(self, parents: Sequence[Member], language: str) -> str:
        other = parents[1]
        return prompts.render(
            "crossover",
            language=language,
            other=prompts.genome_text(other.candidate.genome),
            other_metrics=prompts.metrics_text(other),
        )


@register("llm_diff")
class LLMDiff(LLMOperator):
    """The model answers with SEARCH/REPLACE edits; a failed apply gets one retry that
    tells the model what went wrong."""

    arity = 1
    instruction = "diff"

    def genome(self, answer: str, parents: Sequence[Member]) -> Genome:
        return apply_diff(parents[0].candidate.genome, parse_diff(answer))

    async def rejected(
        self,
        reason: str,
        answer: Completion,
        messages: list[dict],
        parents: Sequence[Member],
        context: VariationContext,
    ) -> list[Genome]:
        await super().rejected(reason, answer, messages, parents, context)
        if messages[-1].get("retry") or answer.finish_reason == "length":
            return []
        language = context.problem.prompt_context().get("language", "text")
        retry = messages + [
            {"role": "assistant", "content": answer.text},
            {
                "role": "user",
                "retry": True,
                "content": prompts.render(
                    "retry",
                    error=reason,
                    language=language,
                    parent=prompts.genome_text(parents[0].candidate.genome),
                ),
            },
        ]
        try:
            second = await self.ask(
                [{k: v for k, v in m.items() if k != "retry"} for m in retry], parents, context
            )
        except (BudgetExhausted, ModelFailure):
            return []
        return await self.accept(second, retry, parents, context)
