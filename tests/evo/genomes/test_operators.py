"""The genome operators inside the engine: configured by name, refusing problems that lack
the genome part they edit, and evolving a typed config to its optimum."""

from typing import Literal

import numpy as np
import pytest
from pydantic import BaseModel, Field

from evo import Objective, Problem
from evo.engine import Engine
from evo.errors import ConfigError
from evo.genomes import ConfigSpace, SkillGrammar
from evo.genomes.llm import LLMFields, LLMSkills
from evo.genomes.operators import HINTS_ARTIFACT
from evo.llm.edits import EditError
from evo.records import Candidate, Evaluation
from evo.selection.base import Member
from evo.store import Store
from evo.variation import VariationContext, build_operator

from support import make_config


class Knobs(BaseModel):
    x: float = Field(0.0, ge=0.0, le=1.0)
    n: int = Field(0, ge=0, le=10)
    mode: Literal["a", "b", "c"] = "a"
    note: str = "hello there"


GRAMMAR = SkillGrammar(
    actions=("walk <room>", "wait"), conditions=("in <room>",), slots={"room": ("hall", "kitchen")},
    effects={"walk <room>": "in <room>"},
)  # fmt: skip


class Tuning(Problem):
    """Maximise a function of a typed config; the best is x=0.7, n=3, mode=b."""

    name = "tuning"
    description = "typed-config test problem"
    objectives = (Objective("score", "max"),)
    config_space = ConfigSpace(Knobs)
    skill_grammar = GRAMMAR

    def seeds(self, rng, n):
        return [{"config": self.config_space.default(), "skills": []}]

    def evaluate(self, genome):
        c = genome["config"]
        score = (
            -((c["x"] - 0.7) ** 2)
            - (c["n"] - 3) ** 2 / 100
            + (c["mode"] == "b")
            + 0.01 * len(genome["skills"])
        )
        return {"score": score}


class Plain(Problem):
    name = "plain"
    description = "no genome parts"
    objectives = (Objective("score", "max"),)


def test_typed_config_evolves_to_the_optimum(tmp_path):
    config = make_config(
        problem={"name": "tuning"},  # the engine gets the instance
        population={"size": 16},
        variation={"operators": {"config_mutation": 3, "config_crossover": 1, "skill_add": 1}},
        budget={"evaluations": 600},
    )
    engine = Engine(Tuning(), config, Store.in_dir(tmp_path, create=True))
    engine.run()
    best = max(engine.members(), key=lambda m: m.evaluation.objectives["score"])
    knobs = best.candidate.genome["config"]
    assert knobs["mode"] == "b" and knobs["n"] == 3 and abs(knobs["x"] - 0.7) < 0.05
    assert knobs["note"] == "hello there"  # text is left to model-guided operators
    assert best.candidate.genome["skills"]  # the skill part evolved too


@pytest.mark.parametrize(
    "name", ["config_mutation", "skill_add", "skill_crossover", "llm_fields", "llm_skills"]
)
def test_operators_refuse_problems_without_their_part(name):
    reason = build_operator(name).check(Plain())
    assert reason and ("typed config" in reason or "skill library" in reason)
    assert build_operator(name).check(Tuning()) is None


def test_a_config_naming_an_operator_the_problem_cannot_use_stops_early(tmp_path):
    config = make_config(
        problem={"name": "evo.testing.problems:Sphere"},
        variation={"operators": {"skill_refine": 1}},
    )
    from evo.testing.problems import Sphere

    with pytest.raises(
        ConfigError, match="variation.operators.skill_refine: the problem has no skill library"
    ):
        Engine(Sphere(), config, Store.in_dir(tmp_path, create=True))


def member(genome, artifacts=None):
    return Member(
        Candidate.new(genome), Evaluation(objectives={"score": 0.0}, artifacts=artifacts or {})
    )


def test_skill_add_aims_at_the_parents_unmet_conditions():
    parent = member({"config": Knobs().model_dump(), "skills": []}, {HINTS_ARTIFACT: "in kitchen"})
    operator = build_operator("skill_add")
    checks = []
    for seed in range(200):
        context = VariationContext(Tuning(), np.random.default_rng(seed), 1)
        (child,) = operator.propose([parent], context)
        checks.append(child["skills"][0]["check"])
    assert checks.count("in kitchen") > 0.65 * len(checks)  # half aimed, half by chance of two


def test_model_answers_become_genomes_or_reasons():
    parent = member({"config": Knobs().model_dump(), "skills": []})
    fields = build_operator("llm_fields")
    assert isinstance(fields, LLMFields)
    child = fields.genome('```json\n{"note": "a better note"}\n```', [parent])
    assert child["config"]["note"] == "a better note" and child["skills"] == []
    with pytest.raises(EditError, match="not valid JSON"):
        fields.genome("```json\n{note: x}\n```", [parent])
    with pytest.raises(EditError, match="non-empty JSON object"):
        fields.genome("```json\n[1]\n```", [parent])
    skills = build_operator("llm_skills")
    assert isinstance(skills, LLMSkills)
    lib = skills.genome(
        '```json\n[{"name": "go", "body": ["walk hall"], "check": "in hall"}]\n```', [parent]
    )
    assert lib["skills"][0]["name"] == "go"
    with pytest.raises(EditError, match="JSON list"):
        skills.genome('```json\n{"name": "go"}\n```', [parent])
