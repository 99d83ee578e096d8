"""Skill libraries: the grammar checks them with reasons, and every structural edit gives
a library the grammar accepts."""

import numpy as np
import pytest

from evo.genomes import (
    SkillError,
    SkillGrammar,
    add_skill,
    crossover_libraries,
    delete_skill,
    merge_skills,
    refine_skill,
)
from evo.genomes.skill_ops import new_skill, related_step

GRAMMAR = SkillGrammar(
    actions=("walk <room>", "grab <thing>", "drop <thing> <room>", "wash <thing>", "wait"),
    conditions=("in <room>", "has <thing>", "washed <thing>", "dropped <thing> <room>", "hands free"),
    slots={"room": ("{goal_room}", "kitchen", "hall"), "thing": ("{item}", "cup")},
    effects={"walk <room>": "in <room>", "grab <thing>": "has <thing>", "wash <thing>": "washed <thing>",
             "drop <thing> <room>": "dropped <thing> <room>"},
    requires={"wash <thing>": ("has <thing>", "in kitchen"), "drop <thing> <room>": ("has <thing>", "in <room>")},
    max_skills=5,
    max_steps=4,
)  # fmt: skip
WASH = {"name": "wash", "description": "wash it", "precondition": "has {item}",
        "body": ["walk kitchen", "?wash {item}"], "check": "washed {item}"}  # fmt: skip


def test_a_good_skill_parses():
    assert GRAMMAR.check_library([WASH]) is None
    step = GRAMMAR.parse_step("?wash {item}")
    assert step.flag and step.values == {"thing": "{item}"} and step.verb == "wash"
    atoms = GRAMMAR.parse_condition("not in hall and has cup")
    assert [(a.flag, a.template.text) for a in atoms] == [
        (True, "in <room>"),
        (False, "has <thing>"),
    ]
    assert GRAMMAR.parse_condition("") == []
    assert GRAMMAR.requirements(GRAMMAR.parse_step("drop cup hall")) == ["has cup", "in hall"]


@pytest.mark.parametrize(
    ("library", "reason"),
    [
        (
            [WASH | {"body": ["walk kitchen", "fly {item}"]}],
            "skill 1 ('wash'): body step 2: unknown action 'fly' (known: walk, grab, drop, wash, wait)",
        ),
        (
            [WASH | {"body": ["walk garden"]}],
            "skill 1 ('wash'): body step 1: 'walk garden' does not fit walk <room>; <room> is one of {goal_room}, kitchen, hall",
        ),
        ([WASH | {"check": ""}], "check must not be empty"),
        ([WASH | {"precondition": "sleepy"}], "precondition: unknown condition 'sleepy'"),
        ([WASH | {"body": ["wait"] * 5}], "body has 5 steps (at most 4)"),
        ([WASH | {"body": "wash it somehow"}], "body must be a non-empty list of steps"),
        ([WASH | {"colour": "red"}], "unknown field 'colour'"),
        ([WASH, WASH], "skill 2 ('wash'): duplicate name"),
        ([WASH | {"name": ""}], "name must be non-empty text"),
        ([dict(WASH, name=f"s{i}") for i in range(6)], "the library has 6 skills (at most 5)"),
        ({"wash": WASH}, "a skill library must be a list, not dict"),
        ([["walk kitchen"]], "a skill must be a mapping, not list"),
    ],
)
def test_broken_libraries_are_explained(library, reason):
    assert reason in GRAMMAR.check_library(library)


def test_text_bodies_only_where_the_grammar_allows_them():
    from dataclasses import replace

    text = replace(GRAMMAR, text_bodies=True)
    assert text.check_library([WASH | {"body": "take it to the sink and wash it"}]) is None


def test_a_grammar_with_inconsistent_templates_is_refused():
    with pytest.raises(SkillError, match="no values for slot <place>"):
        SkillGrammar(actions=("go <place>",), conditions=(), slots={})
    with pytest.raises(SkillError, match="effects"):
        SkillGrammar(
            actions=("wait",), conditions=("done",), slots={}, effects={"wait": "finished"}
        )
    with pytest.raises(SkillError, match="uses slots"):
        SkillGrammar(
            actions=("wait",),
            conditions=("in <room>",),
            slots={"room": ("a",)},
            requires={"wait": ("in <room>",)},
        )


EDITS = {"add": add_skill, "refine": refine_skill, "merge": merge_skills, "delete": delete_skill}


@pytest.mark.parametrize("edit", list(EDITS))
def test_every_edit_keeps_the_library_valid(edit):
    rng = np.random.default_rng(7)
    library = [WASH]
    for _ in range(400):
        child = (
            EDITS[edit](library, GRAMMAR, rng)
            if rng.random() < 0.6
            else add_skill(library, GRAMMAR, rng)
        )
        assert GRAMMAR.check_library(child) is None, child
        library = child if child else [WASH]


def test_edits_do_what_they_say():
    rng = np.random.default_rng(3)
    library = [WASH]
    grown = add_skill(library, GRAMMAR, rng)
    assert len(grown) == 2 and WASH in grown and library == [WASH]  # parents are not touched
    assert delete_skill(grown, GRAMMAR, rng) in ([WASH], [s for s in grown if s != WASH])
    merged = merge_skills(
        [WASH, WASH | {"name": "other", "body": ["wait"], "check": "hands free"}], GRAMMAR, rng
    )
    assert len(merged) == 1 and len(merged[0]["body"]) == 3
    refined = refine_skill(library, GRAMMAR, rng)
    assert len(refined) == 1 and refined != library


def test_merge_prefers_skills_that_chain():
    grab = {
        "name": "grab",
        "description": "",
        "precondition": "",
        "body": ["grab {item}"],
        "check": "has {item}",
    }
    rng = np.random.default_rng(0)
    merges = [merge_skills([WASH, grab], GRAMMAR, rng)[0] for _ in range(200)]
    chained = sum(m["body"] == ["grab {item}", "walk kitchen", "?wash {item}"] for m in merges)
    assert chained > 120  # grab establishes what wash needs: mostly merged in that order


def test_new_skills_end_in_an_action_that_establishes_their_check_and_follow_hints():
    rng = np.random.default_rng(1)
    skills = [
        new_skill([], GRAMMAR, rng, hints=["washed {item}", "not a condition"]) for _ in range(400)
    ]
    for skill in skills:
        check = GRAMMAR.parse_condition(skill["check"])[0]
        last = GRAMMAR.parse_step(skill["body"][-1])
        if check.template.text in GRAMMAR.effects.values():
            assert GRAMMAR.effects[last.template.text] == check.template.text
    hinted = sum(s["check"] == "washed {item}" for s in skills)
    assert 0.45 * 400 < hinted < 0.65 * 400  # half aim at the hint (plus chance)
    chained = [s for s in skills if s["check"] == "washed {item}" and "walk kitchen" in s["body"]]
    assert len(chained) > 0.3 * hinted  # wash needs "in kitchen": often walked there first


def test_related_steps_reuse_the_skills_own_values():
    rng = np.random.default_rng(2)
    skill = {"name": "s", "precondition": "", "body": ["walk hall"], "check": "in hall"}
    steps = [related_step(skill, GRAMMAR, rng) for _ in range(300)]
    rooms = [GRAMMAR.parse_step(s).values.get("room") for s in steps]
    assert rooms.count("hall") > rooms.count("kitchen") + 30


def test_library_crossover_takes_each_check_from_a_parent():
    rng = np.random.default_rng(4)
    a = [
        WASH,
        {
            "name": "go",
            "description": "",
            "precondition": "",
            "body": ["walk hall"],
            "check": "in hall",
        },
    ]
    b = [
        WASH | {"body": ["wash {item}"]},
        {
            "name": "grab",
            "description": "",
            "precondition": "",
            "body": ["grab cup"],
            "check": "has cup",
        },
    ]
    for _ in range(100):
        child = crossover_libraries(a, b, GRAMMAR, rng)
        assert GRAMMAR.check_library(child) is None and child
        bodies = [s["body"] for s in child]
        assert (
            sum(body in (["walk kitchen", "?wash {item}"], ["wash {item}"]) for body in bodies) == 1
        )
        assert all(any(s["body"] == c["body"] for s in a + b) for c in child)
