"""The built-in household agent: everything it can do comes from its skill library and
its config, so skill evolution runs offline, without a model.

The agent reads its goal (``put a clean mug in cabinet``) as conditions to achieve in
order (``clean {obj}``, ``placed {obj} {target}``). For each unmet condition it picks a
skill whose check achieves it, first achieving the skill's precondition with other
skills (as deep as ``plan_depth``), then runs the skill's steps, translating each step
of the action language into text actions of the world. A skill whose check still fails
afterwards counts as failed; it is tried again at most ``retries`` times per task.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from evo.genomes.skills import Phrase, SkillError
from evo.records import canonical_json
from problems.agent_config.outcome import Outcome
from problems.agent_config.schemas import SkillAgentConfig
from problems.household.catalog import OBJECTS
from problems.household.env import NOTHING, HouseholdEnv
from problems.household.language import GRAMMAR, goal_conditions
from problems.household.world import Item, Receptacle

MAX_ROUNDS = 10
"""Subgoals pursued per task at most (a two-object task needs four)."""
CLIP = 110


@dataclass(frozen=True)
class Compiled:
    """A skill parsed into phrases of the action language."""

    name: str
    pre: tuple[Phrase, ...]
    body: tuple[Phrase, ...]
    check: tuple[Phrase, ...]


@lru_cache(maxsize=512)
def _compile(text: str) -> tuple[Compiled, ...]:
    skills = json.loads(text)
    reason = GRAMMAR.check_library(skills)
    if reason:
        raise SkillError(reason)
    return tuple(
        Compiled(
            skill["name"],
            tuple(GRAMMAR.parse_condition(skill.get("precondition", ""))),
            tuple(GRAMMAR.parse_step(step) for step in skill["body"]),
            tuple(GRAMMAR.parse_condition(skill["check"])),
        )
        for skill in skills
    )


def compile_library(skills: list[dict[str, Any]]) -> tuple[Compiled, ...]:
    """Parse a library (raises ``SkillError`` naming the broken skill and step)."""
    return _compile(canonical_json(skills))


class SkillAgent:
    """Runs one task with a config and a compiled library."""

    def __init__(self, config: SkillAgentConfig, skills: tuple[Compiled, ...], env: HouseholdEnv):
        self.config = config
        self.skills = skills
        self.env = env
        self.bindings, goals = goal_conditions(env.goal)
        self.goals = [GRAMMAR.parse_condition(g)[0] for g in goals]
        self.inspected: set[str] = set()
        self.closed: set[str] = set()
        self.seen: dict[str, str] = {}
        self.lamp_at: str | None = None
        self.examined: set[str] = set()
        self.failures: Counter[str] = Counter()
        self.stack: list[str] = []
        self.rng = random.Random(env.world.seed)
        self.trace: list[str] = []
        self.note = ""
        self.unmet: list[str] = []
        self._checks: dict[str, set[str]] = {}

    # the task ----------------------------------------------------------------------
    def run(self) -> None:
        """Pursue the goal's conditions until it is reached, steps run out, or no skill
        helps."""
        for _ in range(MAX_ROUNDS):
            if self.env.goal_reached() or self.out_of_steps():
                break
            unmet = [
                (atom, need)
                for atom, need in self._numbered(self.goals)
                if not self.holds(atom, need)
            ]
            if not unmet:
                self.fail("every goal condition holds but the goal is not reached")
                break
            if not self.achieve(*unmet[0], depth=1):
                break
            self.note = ""  # a subgoal was reached: only later failures explain the outcome
        if not self.env.goal_reached() and self.out_of_steps():
            cause = f" ({self.note})" if self.note else ""
            self.note = f"ran out of steps ({self.config.max_steps}){cause}"

    @staticmethod
    def _numbered(atoms: list[Phrase]) -> list[tuple[Phrase, int]]:
        counts: Counter[str] = Counter()
        numbered = []
        for atom in atoms:
            counts[atom.text("not ")] += 1
            numbered.append((atom, counts[atom.text("not ")]))
        return numbered

    def fail(self, reason: str) -> None:
        if not self.note:
            self.note = reason

    def out_of_steps(self) -> bool:
        return self.env.steps >= self.config.max_steps

    # planning -----------------------------------------------------------------------
    def bind(self, value: str) -> str | None:
        """A slot value with ``{obj}`` and ``{target}`` replaced (None if unbound)."""
        if value.startswith("{") and value.endswith("}"):
            return self.bindings.get(value[1:-1])
        return value

    def show(self, phrase: Phrase, prefix: str = "not ") -> str:
        """A condition atom (or, with ``prefix="?"``, a step) with variables bound."""
        values = {k: self.bind(v) or v for k, v in phrase.values.items()}
        return Phrase(phrase.template, values, phrase.flag).text(prefix)

    def achieves(self, skill: Compiled, atom: Phrase) -> bool:
        if skill.name not in self._checks:
            self._checks[skill.name] = {self.show(c) for c in skill.check if not c.flag}
        return self.show(atom) in self._checks[skill.name]

    def achieve(self, atom: Phrase, need: int, depth: int, quiet: bool = False) -> bool:
        """Make ``atom`` hold with skills; False (with a note unless ``quiet``) when
        that fails."""
        if self.holds(atom, need):
            return True
        if depth > self.config.plan_depth:
            self.fail(f"'{self.show(atom)}' would need skills deeper than plan_depth")
            return False
        candidates = [s for s in self.skills if self.achieves(s, atom) and s.name not in self.stack]
        if self.config.skill_choice == "shortest":
            candidates.sort(key=lambda s: len(s.body))
        if not candidates:
            if not quiet:
                self.unmet.append(atom.text("not "))
                self.fail(f"no skill achieves '{self.show(atom)}'")
            return False
        for skill in candidates:
            while self.failures[skill.name] <= self.config.retries and not self.out_of_steps():
                if not self.prepare(skill, depth):
                    break
                self.stack.append(skill.name)
                self.execute(skill, depth)
                self.stack.pop()
                if self.holds(atom, need):
                    return True
                self.failures[skill.name] += 1
                self.fail(f"skill '{skill.name}' did not achieve '{self.show(atom)}'")
        return False

    def prepare(self, skill: Compiled, depth: int) -> bool:
        """Achieve the skill's precondition (negated atoms cannot be achieved)."""
        for atom in skill.pre:
            if self.holds(atom):
                continue
            if atom.flag or not self.achieve(atom, 1, depth + 1):
                self.fail(f"precondition '{self.show(atom)}' of skill '{skill.name}' not met")
                return False
        return all(self.holds(atom) for atom in skill.pre)

    def execute(self, skill: Compiled, depth: int) -> None:
        """Run the body; before a step, unmet requirements of its action (``put`` needs
        ``at P``) are achieved with other skills when the plan depth allows."""
        for step in skill.body:
            if self.out_of_steps():
                return
            needs = [GRAMMAR.parse_condition(n)[0] for n in GRAMMAR.requirements(step)]
            for atom in needs:
                if not self.holds(atom) and depth < self.config.plan_depth:
                    self.achieve(atom, 1, depth + 1, quiet=True)
            if not self.do(step) and not step.flag:
                self.fail(f"skill '{skill.name}' failed at step '{self.show(step, '?')}'")
                self.unmet += [a.text("not ") for a in needs if not self.holds(a)]
                return

    # conditions ---------------------------------------------------------------------
    def holds(self, atom: Phrase, need: int = 1) -> bool:
        """Whether a condition atom holds now, as far as the agent can tell."""
        values = {k: self.bind(v) for k, v in atom.values.items()}
        if any(v is None for v in values.values()):
            return atom.flag
        return self._positive(atom, values, need) != atom.flag

    def _positive(self, atom: Phrase, v: dict[str, Any], need: int) -> bool:
        env, held = self.env, self.env.held()
        verb, item = atom.verb, v.get("item", "desklamp")
        if atom.template.text == "holding nothing":
            return held is None
        if verb == "holding":
            return held is not None and held.type == item
        if verb == "seen":
            return self.in_sight(item) is not None
        if verb == "at":
            here = env.here()
            return here is not None and here.type == v["place"]
        if verb in ("clean", "hot", "cool"):
            return held is not None and held.type == item and getattr(held, verb)
        if verb == "examined":
            return item in self.examined
        if verb == "placed":
            return env.count_placed(item, v["place"]) >= need
        if verb == "kind":
            return item in OBJECTS and OBJECTS[item].category == v["category"]
        raise AssertionError(f"unhandled condition {atom.template.text!r}")

    # acting -------------------------------------------------------------------------
    def act(self, action: str) -> bool:
        observation = self.env.step(action)
        self.trace.append(f"  > {action}: {observation[:CLIP]}")
        here = self.env.here()
        if here is not None:
            if here.visible:
                self.inspected.add(here.name)
                self.seen = {k: w for k, w in self.seen.items() if w != here.name}
                self.seen.update(dict.fromkeys(here.contents, here.name))
            else:
                self.closed.add(here.name)
            if self.env.world.lamp == here.name:
                self.lamp_at = here.name
        if self.env.holding:
            self.seen.pop(self.env.holding, None)
        return observation != NOTHING

    def wanted(self, item: Item, kind: str) -> bool:
        """An item of type ``kind`` that is not already where the goal wants it."""
        where = self.env.world.receptacles.get(item.location)
        target = self.bindings.get("target")
        return item.type == kind and not (where is not None and where.type == target)

    def in_sight(self, kind: str) -> Item | str | None:
        """A wanted item of ``kind`` (or the desklamp) where the agent stands."""
        if kind == "desklamp":
            return self.lamp_at if self.lamp_at == self.env.location else None
        return next((i for i in self.env.visible_items() if self.wanted(i, kind)), None)

    def visit(self, receptacle: Receptacle) -> None:
        if self.env.location != receptacle.name:
            self.act(f"go to {receptacle.name}")
        if not receptacle.visible and self.config.open_containers and not self.out_of_steps():
            self.act(f"open {receptacle.name}")

    def search(self, kind: str, only: str | None) -> bool:
        """Go where a wanted ``kind`` is in sight: remembered places first, then the
        search order (or only receptacles of type ``only``), then exploration."""
        if self.in_sight(kind) is not None:
            return True
        world = self.env.world
        remembered = [
            w
            for name, w in self.seen.items()
            if self.wanted(world.items[name], kind)
            and (only is None or world.receptacles[w].type == only)
        ]
        if kind == "desklamp" and self.lamp_at:
            remembered = [self.lamp_at]
        if remembered:
            self.act(f"go to {remembered[0]}")
            return self.in_sight(kind) is not None
        skip = self.inspected | (set() if self.config.open_containers else self.closed)
        order = [only] if only else list(self.config.search_order)
        for rtype in order:
            for receptacle in world.of_type(rtype):
                if receptacle.name in skip:
                    continue
                if self.out_of_steps():
                    return False
                self.visit(receptacle)
                if self.in_sight(kind) is not None:
                    return True
        if only is None and self.config.exploration > 0:
            return self.explore(kind, skip)
        return False

    def explore(self, kind: str, skip: set[str]) -> bool:
        allowance = int(self.config.exploration * (self.config.max_steps - self.env.steps))
        rest = [
            r for r in self.env.world.receptacles.values() if r.name not in skip | self.inspected
        ]
        self.rng.shuffle(rest)
        start = self.env.steps
        for receptacle in rest:
            cost = 1 + (not receptacle.visible and self.config.open_containers)
            if self.env.steps - start + cost > allowance or self.out_of_steps():
                break
            self.visit(receptacle)
            if self.in_sight(kind) is not None:
                return True
        return False

    def do(self, step: Phrase) -> bool:
        """Perform one step of the action language; False when it fails."""
        self.trace.append(f"[{self.stack[-1] if self.stack else '-'}] {self.show(step, '?')}")
        v = {k: self.bind(x) for k, x in step.values.items()}
        if any(x is None for x in v.values()):
            return False
        env, here, held = self.env, self.env.here(), self.env.held()
        verb, item = step.verb, v.get("item", "desklamp")
        if verb == "search":
            return self.search(item, v.get("place"))
        if verb == "goto":
            if here is not None and here.type == v["place"]:
                return True
            places = env.world.of_type(v["place"])
            return bool(places) and self.act(f"go to {places[0].name}")
        if verb == "look":
            return self.act("look")
        if here is None:
            return False
        if verb == "open":
            if here.type != v["place"]:
                return False
            return here.visible and here.is_open or self.act(f"open {here.name}")
        if verb == "take":
            found = self.in_sight(item) or next(
                (i for i in env.visible_items() if i.type == item), None
            )
            return (
                held is None
                and isinstance(found, Item)
                and self.act(f"take {found.name} from {here.name}")
            )
        if verb == "use":
            if self.lamp_at != here.name or not self.act("use desklamp 1"):
                return False
            if held is not None:
                self.examined.add(held.type)
            return True
        if held is None or held.type != item:
            return False
        if verb == "put":
            return here.type == v["place"] and self.act(f"put {held.name} in/on {here.name}")
        return self.act(f"{verb} {held.name} with {here.name}")


def run_agent(config: dict[str, Any], task: dict[str, Any]) -> Outcome:
    """Run the skill agent on one household task.

    Args:
        config: ``SkillAgentConfig`` fields plus ``skills``, the library.
        task: a household task (``{"seed", "kind", ...}``, see ``problems.household.tasks``).
    """
    fields = {k: v for k, v in config.items() if k != "skills"}
    settings = SkillAgentConfig.model_validate(fields)
    skills = compile_library(list(config.get("skills", [])))
    env = HouseholdEnv.from_seed(int(task["seed"]), task.get("kind"))
    agent = SkillAgent(settings, skills, env)
    agent.run()
    success = env.goal_reached()
    trace = f"Task: {env.goal}\n" + "\n".join(agent.trace)
    return Outcome(
        score=env.score(),
        success=success,
        steps=env.steps,
        trace=trace,
        note="" if success else agent.note or "gave up",
        unmet=tuple(dict.fromkeys(agent.unmet)),
    )
