"""Model-guided operators for typed configs and skill libraries.

``llm_fields`` asks the model to rewrite the config's free-text fields (prompts) from
the parent's evaluation feedback; ``llm_skills`` asks it to add, refine, merge or delete
skills. Answers are JSON; the child is validated by the problem's ``check_genome`` (the
schema and the skill grammar), and an invalid one is rejected with its reason, recorded
with the model call.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from string import Template

from evo.genomes.operators import config_space, skill_grammar, with_part
from evo.llm.edits import EditError, extract_code
from evo.llm.operators import LLMOperator
from evo.problem import Problem
from evo.records import Genome
from evo.selection.base import Member
from evo.variation.base import VariationContext, register

PROMPTS = Path(__file__).with_name("prompts")
SKILL_EDITS = (
    "add one new skill for a condition the agent could not achieve",
    "refine one skill (a step, its precondition or its check) that fails",
    "merge two skills that are always used one after the other",
    "delete a skill that never helps, or fix its order in the library",
)


class _Closing(LLMOperator):
    """Operators whose closing instruction is built in ``messages``."""

    def request(self, parents: Sequence[Member], language: str) -> str:
        return ""


def _render(name: str, **fields: str) -> str:
    return Template((PROMPTS / f"{name}.txt").read_text()).safe_substitute(fields)


def _ending(messages: list[dict], request: str) -> list[dict]:
    """The prompt with ``request`` as its closing instruction."""
    messages[-1]["content"] = messages[-1]["content"].rstrip() + "\n" + request
    return messages


def _json(answer: str) -> object:
    try:
        return json.loads(extract_code(answer))
    except json.JSONDecodeError as exc:
        raise EditError(f"the answer is not valid JSON: {exc}") from None


@register("llm_fields")
class LLMFields(_Closing):
    """The model rewrites the text fields of the parent's typed config."""

    arity = 1

    def check(self, problem: Problem) -> str | None:
        space = config_space(problem)
        if space is None:
            return "the problem has no typed config (set its config_space)"
        return None if space.text_fields() else "the config schema has no free-text fields"

    def messages(self, parents: Sequence[Member], context: VariationContext) -> list[dict]:
        space = config_space(context.problem)
        fields = space.text_fields() if space else []
        ask = _render("fields", fields=", ".join(fields), first=fields[0] if fields else "")
        return _ending(super().messages(parents, context), ask)

    def genome(self, answer: str, parents: Sequence[Member]) -> Genome:
        changes = _json(answer)
        if not isinstance(changes, dict) or not changes:
            raise EditError("the answer must be a non-empty JSON object of field values")
        parent = parents[0].candidate.genome
        return with_part(parent, "config", dict(parent.get("config", {})) | changes)


@register("llm_skills")
class LLMSkills(_Closing):
    """The model edits the parent's skill library (add, refine, merge or delete)."""

    arity = 1

    def check(self, problem: Problem) -> str | None:
        if skill_grammar(problem) is None:
            return "the problem has no skill library (set its skill_grammar)"
        return None

    def messages(self, parents: Sequence[Member], context: VariationContext) -> list[dict]:
        edit = SKILL_EDITS[int(context.rng.integers(len(SKILL_EDITS)))]
        return _ending(super().messages(parents, context), _render("skills", edit=edit))

    def genome(self, answer: str, parents: Sequence[Member]) -> Genome:
        library = _json(answer)
        if not isinstance(library, list):
            raise EditError("the answer must be a JSON list of skills")
        return with_part(parents[0].candidate.genome, "skills", library)
