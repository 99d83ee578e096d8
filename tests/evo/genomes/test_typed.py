"""Typed config genomes: a pydantic schema read into a space that deap varies without
ever leaving the schema."""

import random
from enum import StrEnum
from typing import Annotated, Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field

from evo.genomes import ConfigSpace, SchemaError


class Tone(StrEnum):
    terse = "terse"
    chatty = "chatty"


class Agent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    temperature: float = Field(0.2, ge=0.0, le=1.5)
    top_p: float = Field(0.9, gt=0.0, lt=1.0)
    max_steps: int = Field(20, ge=1, le=50)
    mode: Literal["react", "plan", "reflect"] = "react"
    tone: Tone = Tone.terse
    verbose: bool = False
    prompt: str = Field("You are helpful.", min_length=5)
    model: str = "openai/gpt-4o-mini"
    tools: list[Literal["search", "open", "take", "put", "look"]] = Field(
        default_factory=lambda: ["search"], min_length=1, json_schema_extra={"unique": True}
    )
    weights: list[Annotated[float, Field(ge=0.0, le=2.0)]] = Field(
        default_factory=list, max_length=4
    )


SPACE = ConfigSpace(Agent, frozen=["model"])


def test_fields_are_read_with_their_kinds_and_ranges():
    kinds = {f.name: (f.gene.kind, f.gene.low, f.gene.high, f.is_list) for f in SPACE.fields}
    assert kinds["temperature"] == ("float", 0.0, 1.5, False)
    assert kinds["max_steps"] == ("int", 1, 50, False)
    assert kinds["mode"][0] == kinds["tone"][0] == "choice"
    assert kinds["weights"] == ("float", 0.0, 2.0, True)
    assert SPACE.fields[1].gene.low > 0.0 and SPACE.fields[1].gene.high < 1.0  # gt/lt are exclusive
    assert SPACE.text_fields() == ["prompt"]  # model is frozen
    assert (
        "- tools: list (1-5 items, unique) of one of search, open, take, put, look"
        in SPACE.describe()
    )


def test_defaults_and_samples_are_valid_and_reproducible():
    assert SPACE.check(SPACE.default()) is None
    first = [SPACE.sample(np.random.default_rng(5)) for _ in range(3)]
    again = [SPACE.sample(np.random.default_rng(5)) for _ in range(3)]
    assert first == again and all(SPACE.check(c) is None for c in first)
    assert all(
        c["prompt"] == "You are helpful." and c["model"] == "openai/gpt-4o-mini" for c in first
    )


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), numeric=st.sampled_from(["polynomial", "gaussian"]))
def test_variation_never_leaves_the_schema(seed, numeric):
    space = ConfigSpace(Agent, frozen=["model"], numeric=numeric)
    rng = np.random.default_rng(seed)
    a, b = space.sample(rng), space.sample(rng)
    for _ in range(20):
        child = space.mutate(a, rng) if rng.random() < 0.7 else space.crossover(a, b, rng)
        assert space.check(child) is None
        assert len(set(child["tools"])) == len(child["tools"])
        assert child["model"] == "openai/gpt-4o-mini" and child["prompt"] == "You are helpful."
        a, b = child, a


def test_a_mutation_changes_something_and_numbers_take_small_steps():
    rng = np.random.default_rng(0)
    base = SPACE.default()
    steps = []
    for _ in range(300):
        child = SPACE.mutate(base, rng)
        assert child != base
        if child["temperature"] != base["temperature"]:
            steps.append(abs(child["temperature"] - base["temperature"]))
    assert steps and np.median(steps) < 0.25 * 1.5  # polynomial mutation stays near the parent


def test_crossover_takes_each_field_from_a_parent():
    rng = np.random.default_rng(1)
    a = SPACE.default()
    b = SPACE.normalize(a | {"temperature": 1.4, "max_steps": 3, "mode": "plan", "verbose": True})
    for _ in range(30):
        child = SPACE.crossover(a, b, rng)
        assert all(child[k] in (a[k], b[k]) for k in a)


def test_deap_does_not_disturb_the_global_random_state():
    random.seed(9)
    expected = [random.random() for _ in range(3)]
    random.seed(9)
    SPACE.mutate(SPACE.default(), np.random.default_rng(2))
    assert [random.random() for _ in range(3)] == expected


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        (
            {"temperature": 5},
            "field 'temperature': Input should be less than or equal to 1.5 (got 5)",
        ),
        (
            {"mode": "dream"},
            "field 'mode': Input should be 'react', 'plan' or 'reflect' (got 'dream')",
        ),
        ({"tools": ["look", "look"]}, "field 'tools': items must not repeat"),
        ({"prompt": "hi"}, "field 'prompt': String should have at least 5 characters"),
        ({"colour": "red"}, "unknown field 'colour'"),
    ],
)
def test_violations_are_reported_with_the_field(config, reason):
    assert reason in SPACE.check(SPACE.default() | config)


def test_unsupported_schemas_are_refused_naming_the_field():
    class Nested(BaseModel):
        inner: Agent = Field(default_factory=Agent)

    with pytest.raises(SchemaError, match="Nested.inner: unsupported field type"):
        ConfigSpace(Nested)
    with pytest.raises(SchemaError, match="frozen fields not in Agent"):
        ConfigSpace(Agent, frozen=["nope"])
