"""The built-in skill agent: its competence comes only from its skills and its config."""

import pytest

from evo.genomes import SkillError
from problems.agent_config.skill_agent import run_agent
from problems.household.language import GRAMMAR, library
from problems.household.tasks import suite

TRAIN = suite(n_train=36, n_heldout=0)["train"]
TUNED = {
    "max_steps": 60,
    "search_order": ["countertop", "cabinet", "fridge", "drawer", "diningtable", "shelf", "sidetable",
                     "desk", "stoveburner", "coffeemachine", "sofa", "bed", "dresser", "armchair", "safe",
                     "sinkbasin", "garbagecan"],
    "open_containers": True,
    "plan_depth": 2,
}  # fmt: skip


def solved(config, skills, tasks=TRAIN):
    outcomes = [run_agent(config | {"skills": skills}, t) for t in tasks]
    return sum(o.solved for o in outcomes) / len(outcomes), outcomes


def test_the_handwritten_library_with_a_tuned_config_solves_every_kind():
    share, outcomes = solved(TUNED, library("handwritten"))
    assert share == 1.0
    assert all(o.score == 1.0 and o.note == "" and 0 < o.steps <= 60 for o in outcomes)


def test_without_skills_the_agent_does_nothing():
    share, outcomes = solved(TUNED, [])
    assert share == 0.0 and all(o.steps == 0 for o in outcomes)
    assert outcomes[0].note == "no skill achieves 'holding " + TRAIN[0]["goal"].split()[2] + "'"
    assert outcomes[0].unmet == ("holding {obj}",)


@pytest.mark.parametrize(
    ("change", "worse"),
    [
        ({"open_containers": False}, "cannot look inside closed receptacles"),
        ({"max_steps": 12}, "runs out of steps"),
        ({"search_order": ["countertop"]}, "searches too little"),
    ],
)
def test_config_knobs_matter(change, worse):
    full, _ = solved(TUNED, library("handwritten"))
    less, _ = solved(TUNED | change, library("handwritten"))
    assert less < full - 0.1, worse


def test_exploration_finds_what_the_search_order_misses_at_a_price_in_steps():
    narrow = TUNED | {"search_order": ["countertop"]}
    plain, plain_out = solved(narrow, library("handwritten"))
    explored, explored_out = solved(narrow | {"exploration": 1.0}, library("handwritten"))
    assert explored > plain + 0.2
    assert sum(o.steps for o in explored_out) > sum(o.steps for o in plain_out)
    again, _ = solved(narrow | {"exploration": 1.0}, library("handwritten"))
    assert again == explored  # exploration is seeded by the task


PLACE = {"name": "place", "body": ["put {obj} {target}"], "check": "placed {obj} {target}"}
GOTO = {"name": "go", "body": ["goto {target}", "?open {target}"], "check": "at {target}"}
FIND = library("handwritten")[0]


def test_step_requirements_are_achieved_with_other_skills_within_the_plan_depth():
    tasks = [t for t in TRAIN if t["kind"] == "place"]
    shallow, outcomes = solved(TUNED | {"plan_depth": 1}, [FIND, PLACE, GOTO], tasks)
    assert shallow == 0.0
    assert "at {target}" in outcomes[0].unmet  # what the place skill was missing
    deep, _ = solved(TUNED | {"plan_depth": 2}, [FIND, PLACE, GOTO], tasks)
    assert deep == 1.0


def test_a_failing_skill_is_reported_with_its_step():
    broken = dict(FIND, body=["search {obj} in bed", "take {obj}"])
    outcome = run_agent(TUNED | {"skills": [broken]}, TRAIN[0])
    assert not outcome.solved
    assert outcome.note.startswith("skill 'find' failed at step 'search ")
    assert "[find] search" in outcome.trace and outcome.trace.startswith("Task: ")


def test_a_broken_library_raises_a_reason_naming_the_skill_and_step():
    broken = [FIND, {"name": "x", "body": ["goto {target}", "fly away"], "check": "at {target}"}]
    with pytest.raises(SkillError, match=r"skill 2 \('x'\): body step 2: unknown action 'fly'"):
        run_agent(TUNED | {"skills": broken}, TRAIN[0])
    assert GRAMMAR.check_library(library("minimal")) is None
