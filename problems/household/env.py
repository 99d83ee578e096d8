"""The text interface of one household task, in the style of ALFWorld.

Observations are text; actions are text such as ``go to cabinet 2``, ``open fridge 1``,
``take mug 1 from countertop 1``, ``put mug 1 in/on cabinet 2``, ``clean mug 1 with
sinkbasin 1``, ``heat ...``, ``cool ...``, ``use desklamp 1``, ``examine mug 1``,
``look`` and ``inventory``. Every action counts as one step; an action that does not
apply answers ``Nothing happens.``. The success check and the partial credit are part
of the world, not of any agent.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from problems.household.catalog import APPLIANCES, OBJECTS, OPENABLE, preposition
from problems.household.world import Item, Receptacle, World, generate

NOTHING = "Nothing happens."
TREAT = {"clean": "clean", "heat": "hot", "cool": "cool"}
"""Treatment verb to the item flag it sets."""


def _listing(names: list[str]) -> str:
    if not names:
        return "nothing"
    return (
        ", ".join(f"a {n}" for n in names[:-1])
        + (", and " if len(names) > 1 else "")
        + f"a {names[-1]}"
    )


class HouseholdEnv:
    """One task: a generated household, the agent's position and what it holds."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.location: str | None = None
        self.holding: str | None = None
        self.steps = 0
        self.found = False
        self.treated = False
        self.examined = False
        self.placed_best = 0

    @classmethod
    def from_seed(cls, seed: int, kind: str | None = None) -> HouseholdEnv:
        """The task of ``seed`` (with a goal of ``kind`` if given)."""
        return cls(generate(seed, kind))

    @property
    def goal(self) -> str:
        """The goal as text."""
        return self.world.goal.text

    def intro(self) -> str:
        """The first observation: the rooms, every receptacle and the task."""
        rooms = ", ".join(f"a {r}" for r in self.world.rooms)
        places = _listing(list(self.world.receptacles))
        return (
            f"You are in the middle of a house with {rooms}. Looking quickly around you, "
            f"you see {places}.\nYour task is to: {self.goal}."
        )

    # queries --------------------------------------------------------------------
    def here(self) -> Receptacle | None:
        """The receptacle the agent stands at, if any."""
        return self.world.receptacles.get(self.location or "")

    def held(self) -> Item | None:
        """The item in the agent's hand."""
        return self.world.items.get(self.holding or "")

    def visible_items(self) -> list[Item]:
        """Items the agent can see and reach where it stands."""
        here = self.here()
        if here is None or not here.visible:
            return []
        return [self.world.items[n] for n in here.contents]

    def count_placed(self, obj: str, target: str, flag: str | None = None) -> int:
        """Items of type ``obj`` (with ``flag`` set, if given) in receptacles of ``target``."""
        receptacles = self.world.receptacles
        return sum(
            1
            for item in self.world.items.values()
            if item.type == obj
            and item.location in receptacles
            and receptacles[item.location].type == target
            and (flag is None or getattr(item, flag))
        )

    def goal_reached(self) -> bool:
        """The success check of the task."""
        goal = self.world.goal
        if goal.kind == "examine":
            return self.examined
        flag = TREAT.get(goal.kind)
        need = 2 if goal.kind == "two" else 1
        assert goal.target is not None
        return self.count_placed(goal.obj, goal.target, flag) >= need

    def progress(self) -> tuple[int, int]:
        """Subgoals reached and their number (the goal itself is the last subgoal)."""
        goal = self.world.goal
        reached = [self.found]
        if goal.treatment:
            reached.append(self.treated)
        if goal.kind == "two":
            reached.append(self.placed_best >= 1)
        total = len(reached) + 1
        return (total, total) if self.goal_reached() else (sum(reached), total)

    def score(self, partial_credit: float = 0.5) -> float:
        """1 when the goal is reached, else ``partial_credit`` times the share of subgoals
        reached (finding the object, treating it, placing the first of two)."""
        if self.goal_reached():
            return 1.0
        reached, total = self.progress()
        return partial_credit * reached / total

    def admissible(self) -> list[str]:
        """Actions that would do something now."""
        actions = [f"go to {name}" for name in self.world.receptacles if name != self.location]
        here, held = self.here(), self.held()
        if here is not None:
            if here.type in OPENABLE:
                actions.append(f"{'close' if here.is_open else 'open'} {here.name}")
            if held is None:
                actions += [f"take {i.name} from {here.name}" for i in self.visible_items()]
            elif here.visible:
                actions.append(f"put {held.name} in/on {here.name}")
            for verb, appliance in APPLIANCES.items():
                if (
                    held is not None
                    and here.type == appliance
                    and verb in OBJECTS[held.type].treatments
                ):
                    actions.append(f"{verb} {held.name} with {here.name}")
            if self.world.lamp == here.name:
                actions.append("use desklamp 1")
        return actions + ["look", "inventory"]

    # acting ---------------------------------------------------------------------
    def step(self, action: str) -> str:
        """Perform one action and return the observation."""
        self.steps += 1
        text = " ".join(action.strip().lower().rstrip(".").split())
        for pattern, handler in self._handlers():
            match = re.fullmatch(pattern, text)
            if match:
                return handler(*match.groups())
        return NOTHING

    def _handlers(self) -> tuple[tuple[str, Callable[..., str]], ...]:
        return (
            (r"go to (.+)", self._go),
            (r"open (.+)", lambda r: self._open(r, True)),
            (r"close (.+)", lambda r: self._open(r, False)),
            (r"take (.+) from (.+)", self._take),
            (r"put (.+) (?:in/on|in|on) (.+)", self._put),
            (r"(clean|heat|cool) (.+) with (.+)", self._treat),
            (r"use (.+)", self._use),
            (r"examine (.+)", self._examine),
            (r"look", self._look),
            (r"inventory", self._inventory),
        )

    def _describe(self, r: Receptacle) -> str:
        if not r.visible:
            return f"The {r.name} is closed."
        where = "In" if preposition(r.type) == "in" else "On"
        return f"{where} the {r.name}, you see {_listing(r.contents)}."

    def _go(self, name: str) -> str:
        r = self.world.receptacles.get(name)
        if r is None:
            return NOTHING
        self.location = name
        lamp = " You also see a desklamp 1." if self.world.lamp == name else ""
        return f"You arrive at {name}. {self._describe(r)}{lamp}"

    def _open(self, name: str, opening: bool) -> str:
        here = self.here()
        if (
            here is None
            or here.name != name
            or here.type not in OPENABLE
            or here.is_open == opening
        ):
            return NOTHING
        here.is_open = opening
        if not opening:
            return f"You close the {name}."
        return f"You open the {name}. The {name} is open. In it, you see {_listing(here.contents)}."

    def _take(self, item: str, name: str) -> str:
        here = self.here()
        if self.holding or here is None or here.name != name or not here.visible:
            return NOTHING
        if item not in here.contents:
            return NOTHING
        here.contents.remove(item)
        self.holding = item
        found = self.world.items[item]
        found.location = "agent"
        self.found = self.found or found.type == self.world.goal.obj
        return f"You pick up the {item} from the {name}."

    def _put(self, item: str, name: str) -> str:
        here = self.here()
        if self.holding != item or here is None or here.name != name or not here.visible:
            return NOTHING
        here.contents.append(item)
        self.world.items[item].location = name
        self.holding = None
        goal = self.world.goal
        if goal.target is not None:
            self.placed_best = max(self.placed_best, self.count_placed(goal.obj, goal.target))
        return f"You put the {item} {preposition(here.type)} the {name}."

    def _treat(self, verb: str, item: str, name: str) -> str:
        here, held = self.here(), self.held()
        if held is None or held.name != item or here is None or here.name != name:
            return NOTHING
        if here.type != APPLIANCES[verb] or verb not in OBJECTS[held.type].treatments:
            return NOTHING
        if verb == "clean":
            held.clean = True
        else:
            held.hot, held.cool = verb == "heat", verb == "cool"
        if held.type == self.world.goal.obj and verb == self.world.goal.treatment:
            self.treated = True
        past = {"clean": "clean", "heat": "heat", "cool": "cool"}[verb]
        return f"You {past} the {item} using the {name}."

    def _use(self, name: str) -> str:
        if name != "desklamp 1" or self.world.lamp is None or self.location != self.world.lamp:
            return NOTHING
        held = self.held()
        if held is not None and held.type == self.world.goal.obj:
            self.examined = True
        return "You turn on the desklamp 1."

    def _examine(self, item: str) -> str:
        target = self.world.items.get(item)
        if target is None or (self.holding != item and target not in self.visible_items()):
            return NOTHING
        states = [s for s in ("clean", "hot", "cool") if getattr(target, s)]
        return f"This is a normal {item}." + (f" It is {' and '.join(states)}." if states else "")

    def _look(self) -> str:
        here = self.here()
        if here is None:
            return (
                "You are in the middle of the house. "
                + self.intro().split(". ", 1)[1].split("\n")[0]
            )
        return f"You are facing the {here.name}. {self._describe(here)}"

    def _inventory(self) -> str:
        if self.holding is None:
            return "You are not carrying anything."
        return f"You are carrying: a {self.holding}."
