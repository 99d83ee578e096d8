"""The action language of household skills, and the goals as conditions.

Skills use two variables bound from the task: ``{obj}`` (the object type the goal
names) and ``{target}`` (the receptacle type it names). The meaning of each action and
condition is implemented by the built-in agent (``problems.agent_config.skill_agent``);
this module only says what is well-formed.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from evo.genomes import SkillGrammar
from problems.household.catalog import CATEGORIES, RECEPTACLE_TYPES

LIBRARIES = Path(__file__).with_name("libraries")

REFERENCE = """Household skills. {obj} is the object the task names, {target} the receptacle.
search X: visit receptacles in the config's search order (then explore) until an X
  not yet where the goal wants it is in sight; 'search X in P' only looks at P.
goto P: go to the first P. take X: pick up an X in sight. put X P: put the held X in
  the P you stand at. clean/heat/cool X: treat the held X at the sinkbasin/microwave/
  fridge you stand at. use desklamp: switch on the desklamp you stand at.
Before a step whose requirement is unmet (put needs 'at P', clean needs 'at sinkbasin',
  take needs 'seen X', ...), the agent runs a skill whose check achieves it, if any.
The agent pursues the task's subgoals in order (holding {obj}, then clean/hot/cool/
examined {obj} if asked, then placed {obj} {target}), each with a skill whose check
achieves it, first achieving the skill's precondition with other skills (up to the
config's plan depth)."""

GRAMMAR = SkillGrammar(
    actions=(
        "search <item>",
        "search <item> in <place>",
        "search desklamp",
        "goto <place>",
        "open <place>",
        "take <item>",
        "put <item> <place>",
        "clean <item>",
        "heat <item>",
        "cool <item>",
        "use desklamp",
        "look",
    ),
    conditions=(
        "holding <item>",
        "holding nothing",
        "seen <item>",
        "seen desklamp",
        "at <place>",
        "clean <item>",
        "hot <item>",
        "cool <item>",
        "examined <item>",
        "placed <item> <place>",
        "kind <item> <category>",
    ),
    slots={
        "item": ("{obj}",),
        "place": ("{target}", *RECEPTACLE_TYPES),
        "category": CATEGORIES,
    },
    effects={
        "search <item>": "seen <item>",
        "search <item> in <place>": "seen <item>",
        "search desklamp": "seen desklamp",
        "goto <place>": "at <place>",
        "take <item>": "holding <item>",
        "put <item> <place>": "placed <item> <place>",
        "clean <item>": "clean <item>",
        "heat <item>": "hot <item>",
        "cool <item>": "cool <item>",
        "use desklamp": "examined <item>",
    },
    requires={
        "open <place>": ("at <place>",),
        "take <item>": ("holding nothing", "seen <item>"),
        "put <item> <place>": ("holding <item>", "at <place>"),
        "clean <item>": ("holding <item>", "at sinkbasin"),
        "heat <item>": ("holding <item>", "at microwave"),
        "cool <item>": ("holding <item>", "at fridge"),
        "use desklamp": ("seen desklamp",),
    },
    max_skills=12,
    max_steps=8,
    max_atoms=3,
    reference=REFERENCE,
)
"""Skills of the built-in agent: bodies are steps of the action language."""

TEXT_REFERENCE = """Household skills given as advice to a model-driven agent. {obj} is the object
the task names, {target} the receptacle. A body is either steps of the language below
or free text; the precondition says when the skill applies, the check when it is done."""

TEXT_GRAMMAR = replace(GRAMMAR, text_bodies=True, reference=TEXT_REFERENCE)
"""Skills as advice for a model-driven agent: a body may also be free text."""

GOAL = re.compile(
    r"put (?:a |two )?(?P<adj>clean |hot |cool )?(?P<obj>\w+) (?:in|on) (?P<target>\w+)"
    r"|look at (?P<lamp_obj>\w+) under the desklamp"
)


def goal_conditions(goal: str) -> tuple[dict[str, str], list[str]]:
    """Variable bindings and the subgoals to achieve, in order, for a goal text.

    ``put a clean mug in cabinet`` gives ``{obj: mug, target: cabinet}`` and
    ``["holding {obj}", "clean {obj}", "placed {obj} {target}"]`` (the task's structure:
    which conditions, not how to reach them); ``put two ...`` asks for ``placed`` twice.
    """
    match = GOAL.fullmatch(goal.strip().rstrip("."))
    if match is None:
        raise ValueError(f"not a household goal: {goal!r}")
    if match["lamp_obj"]:
        return {"obj": match["lamp_obj"]}, ["holding {obj}", "examined {obj}"]
    bindings = {"obj": match["obj"], "target": match["target"]}
    adjective = (match["adj"] or "").strip()
    conditions = ["holding {obj}"] + ([f"{adjective} {{obj}}"] if adjective else [])
    conditions.append("placed {obj} {target}")
    if goal.startswith("put two"):
        conditions.append("placed {obj} {target}")
    return bindings, conditions


def library(name: str) -> list[dict[str, Any]]:
    """A skill library shipped with the world: ``empty``, ``minimal`` or ``handwritten``."""
    if name == "empty":
        return []
    path = LIBRARIES / f"{name}.json"
    if not path.is_file():
        known = ", ".join(["empty"] + sorted(p.stem for p in LIBRARIES.glob("*.json")))
        raise ValueError(f"no skill library {name!r} (known: {known})")
    return json.loads(path.read_text())
