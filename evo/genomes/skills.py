"""Skill libraries as genomes: named skills written in a small action language.

A library is a JSON list of skills::

    {"name": "clean",
     "description": "wash the object at the sink",
     "precondition": "holding {obj}",          # atoms joined by " and ", each maybe "not ..."
     "body": ["goto sinkbasin", "clean {obj}"],  # steps; a leading "?" lets a step fail
     "check": "clean {obj}"}                   # the success check, same form as preconditions

A ``SkillGrammar``, given by the problem, names the actions and conditions (templates
such as ``put <item> <place>``), the values each ``<slot>`` takes, and which action
establishes which condition. It checks libraries (a broken skill gets a reason naming
the skill and the step) and makes the random steps and conditions that the structural
operators assemble. Skills of model-driven agents may have a free-text body instead
(``text_bodies``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

Skill = dict[str, Any]
FIELDS = ("name", "description", "precondition", "body", "check")
MAX_NAME = 40
PARSE_CACHE = 20_000


class SkillError(ValueError):
    """A skill or library does not follow the grammar."""


@dataclass(frozen=True)
class Template:
    """An action or condition template such as ``put <item> <place>``."""

    text: str

    @cached_property
    def tokens(self) -> list[str]:
        return self.text.split()

    @property
    def verb(self) -> str:
        return self.tokens[0]

    @cached_property
    def slots(self) -> list[str]:
        return [t[1:-1] for t in self.tokens if t.startswith("<") and t.endswith(">")]

    def fill(self, values: Mapping[str, str]) -> str:
        """The template with each ``<slot>`` replaced by ``values[slot]``."""
        return " ".join(
            values[t[1:-1]] if t.startswith("<") and t.endswith(">") else t for t in self.tokens
        )


@dataclass(frozen=True)
class Phrase:
    """A parsed step or condition atom: its template and slot values."""

    template: Template
    values: dict[str, str]
    flag: bool = False
    """``?`` (may fail) on a step, ``not`` on a condition atom."""

    @property
    def verb(self) -> str:
        return self.template.verb

    def text(self, prefix: str) -> str:
        return (prefix if self.flag else "") + self.template.fill(self.values)


@dataclass(frozen=True)
class SkillGrammar:
    """The action language of a problem's skills.

    Attributes:
        actions: step templates (``goto <place>``, ``take <item>``, ``look``).
        conditions: condition templates (``holding <item>``).
        slots: values of each slot (``{"item": ("{obj}", "desklamp")}``).
        effects: action template to the condition template it establishes, sharing its
            slots (``take <item>`` -> ``holding <item>``).
        requires: action template to the condition templates it needs, sharing its slots
            (``put <item> <place>`` -> ``holding <item>``, ``at <place>``); an agent can
            report the unmet ones when a step fails.
        max_skills: largest library.
        max_steps: longest body.
        max_atoms: most atoms in a precondition or check.
        text_bodies: whether a body may be free text (for model-driven agents).
        reference: a description of the language for prompts.
    """

    actions: tuple[str, ...]
    conditions: tuple[str, ...]
    slots: Mapping[str, tuple[str, ...]]
    effects: Mapping[str, str] = field(default_factory=dict)
    requires: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    max_skills: int = 10
    max_steps: int = 8
    max_atoms: int = 3
    text_bodies: bool = False
    reference: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_parsed", {})
        for text in self.actions + self.conditions:
            missing = [s for s in Template(text).slots if s not in self.slots]
            if missing:
                raise SkillError(f"template {text!r}: no values for slot <{missing[0]}>")
        for action, made in self.effects.items():
            if action not in self.actions or made not in self.conditions:
                raise SkillError(f"effects: {action!r} -> {made!r} names an unknown template")
        for action, needs in self.requires.items():
            if action not in self.actions:
                raise SkillError(f"requires: {action!r} is not an action template")
            for need in needs:
                extra = set(Template(need).slots) - set(Template(action).slots)
                if extra:
                    raise SkillError(f"requires: {need!r} uses slots {action!r} lacks")

    # parsing -------------------------------------------------------------------
    def _match(self, text: str, templates: Sequence[str], kind: str) -> Phrase:
        cache: dict[tuple[str, str], Phrase | SkillError] = self._parsed  # type: ignore[attr-defined]
        key = (kind, text)
        if key not in cache:
            if len(cache) >= PARSE_CACHE:
                cache.clear()
            try:
                cache[key] = self._match_uncached(text, templates, kind)
            except SkillError as exc:
                cache[key] = exc
        found = cache[key]
        if isinstance(found, SkillError):
            raise SkillError(str(found))
        return found

    def _match_uncached(self, text: str, templates: Sequence[str], kind: str) -> Phrase:
        tokens = text.split()
        if not tokens:
            raise SkillError(f"empty {kind}")
        same_verb = [t for t in map(_template, templates) if t.verb == tokens[0]]
        if not same_verb:
            verbs = ", ".join(dict.fromkeys(Template(t).verb for t in templates))
            raise SkillError(f"unknown {kind} {tokens[0]!r} (known: {verbs})")
        for template in same_verb:
            pattern = template.tokens
            if len(pattern) != len(tokens):
                continue
            values, ok = {}, True
            for want, got in zip(pattern, tokens, strict=True):
                if want.startswith("<") and want.endswith(">"):
                    slot = want[1:-1]
                    if got not in self.slots[slot]:
                        ok = False
                        break
                    values[slot] = got
                elif want != got:
                    ok = False
                    break
            if ok:
                return Phrase(template, values)
        forms = "; ".join(t.text for t in same_verb)
        hints = {s for t in same_verb for s in t.slots}
        detail = "".join(f"; <{s}> is one of {', '.join(self.slots[s])}" for s in sorted(hints))
        raise SkillError(f"{text!r} does not fit {forms}{detail}")

    def parse_step(self, text: Any) -> Phrase:
        """One body step (``?`` prefix: the step may fail without ending the skill)."""
        if not isinstance(text, str):
            raise SkillError(f"a step must be text, not {type(text).__name__}")
        stripped = text.strip()
        optional = stripped.startswith("?")
        phrase = self._match(stripped.lstrip("?").strip(), self.actions, "action")
        return Phrase(phrase.template, phrase.values, optional)

    def parse_condition(self, text: Any) -> list[Phrase]:
        """A condition: atoms joined by `` and ``, each possibly negated with ``not``
        (the empty text is always true)."""
        if not isinstance(text, str):
            raise SkillError(f"a condition must be text, not {type(text).__name__}")
        if not text.strip():
            return []
        atoms = []
        for part in text.split(" and "):
            words = part.split()
            negated = bool(words) and words[0] == "not"
            phrase = self._match(
                " ".join(words[1:] if negated else words), self.conditions, "condition"
            )
            atoms.append(Phrase(phrase.template, phrase.values, negated))
        if len(atoms) > self.max_atoms:
            raise SkillError(f"{text!r} has {len(atoms)} atoms (at most {self.max_atoms})")
        return atoms

    # checking ------------------------------------------------------------------
    def check_skill(self, skill: Any) -> None:
        """Raise ``SkillError`` naming the field (and step) that is broken."""
        if not isinstance(skill, Mapping):
            raise SkillError(f"a skill must be a mapping, not {type(skill).__name__}")
        unknown = sorted(set(skill) - set(FIELDS))
        if unknown:
            raise SkillError(f"unknown field {unknown[0]!r} (fields: {', '.join(FIELDS)})")
        name = skill.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise SkillError(f"name must be non-empty text of at most {MAX_NAME} characters")
        if not isinstance(skill.get("description", ""), str):
            raise SkillError("description must be text")
        for key in ("precondition", "check"):
            try:
                atoms = self.parse_condition(skill.get(key, ""))
            except SkillError as exc:
                raise SkillError(f"{key}: {exc}") from None
            if key == "check" and not atoms:
                raise SkillError("check must not be empty")
        body = skill.get("body")
        if isinstance(body, str) and self.text_bodies:
            if not body.strip():
                raise SkillError("body must not be empty")
            return
        if not isinstance(body, list) or not body:
            raise SkillError("body must be a non-empty list of steps")
        if len(body) > self.max_steps:
            raise SkillError(f"body has {len(body)} steps (at most {self.max_steps})")
        for index, step in enumerate(body, start=1):
            try:
                self.parse_step(step)
            except SkillError as exc:
                raise SkillError(f"body step {index}: {exc}") from None

    def check_library(self, library: Any) -> str | None:
        """Why ``library`` is unusable (naming the skill and the step), or None."""
        if not isinstance(library, list):
            return f"a skill library must be a list, not {type(library).__name__}"
        if len(library) > self.max_skills:
            return f"the library has {len(library)} skills (at most {self.max_skills})"
        seen: set[str] = set()
        for index, skill in enumerate(library, start=1):
            label = f"skill {index}"
            if isinstance(skill, Mapping) and isinstance(skill.get("name"), str):
                label += f" ({skill['name']!r})"
            try:
                self.check_skill(skill)
            except SkillError as exc:
                return f"{label}: {exc}"
            if skill["name"] in seen:
                return f"{label}: duplicate name"
            seen.add(skill["name"])
        return None

    # making --------------------------------------------------------------------
    def fill_random(self, template: Template, rng: np.random.Generator, **fixed: str) -> str:
        """``template`` with slots from ``fixed`` where given, random otherwise."""
        values = {s: fixed[s] if s in fixed else _pick(self.slots[s], rng) for s in template.slots}
        return template.fill(values)

    def random_step(self, rng: np.random.Generator) -> str:
        """A random step of the language."""
        return self.fill_random(Template(_pick(self.actions, rng)), rng)

    def random_atom(self, rng: np.random.Generator) -> str:
        """A random (positive) condition atom."""
        return self.fill_random(Template(_pick(self.conditions, rng)), rng)

    def establishing_step(self, atom: str, rng: np.random.Generator) -> str | None:
        """A step whose action establishes ``atom`` (same slot values), or None."""
        parsed = self.parse_condition(atom)[0]
        options = [Template(a) for a, c in self.effects.items() if c == parsed.template.text]
        if not options:
            return None
        return self.fill_random(_pick(options, rng), rng, **parsed.values)

    def requirements(self, step: Phrase) -> list[str]:
        """The conditions a parsed step needs (its slot values filled in)."""
        needs = self.requires.get(step.template.text, ())
        return [Template(need).fill(step.values) for need in needs]

    def vary_slot(self, text: str, rng: np.random.Generator, condition: bool = False) -> str:
        """``text`` (a step or one atom) with one slot value changed, if it has slots."""
        phrase = self.parse_condition(text)[0] if condition else self.parse_step(text)
        slots = [s for s in phrase.template.slots if len(self.slots[s]) > 1]
        if not slots:
            return text
        slot = _pick(slots, rng)
        others = [v for v in self.slots[slot] if v != phrase.values[slot]]
        values = dict(phrase.values) | {slot: _pick(others, rng)}
        return Phrase(phrase.template, values, phrase.flag).text("not " if condition else "?")

    def describe(self) -> str:
        """The language in a few lines (for prompts)."""
        slots = "\n".join(f"  <{k}>: {', '.join(v)}" for k, v in self.slots.items())
        return (
            (self.reference + "\n" if self.reference else "")
            + "Actions (body steps; prefix '?' if the step may fail):\n  "
            + "\n  ".join(self.actions)
            + "\nConditions (precondition and check; join with ' and ', negate with 'not'):\n  "
            + "\n  ".join(self.conditions)
            + f"\nSlot values:\n{slots}\n"
            + f"At most {self.max_skills} skills, {self.max_steps} steps per body."
        )


@lru_cache(maxsize=4096)
def _template(text: str) -> Template:
    return Template(text)


def _pick(options: Sequence[Any], rng: np.random.Generator) -> Any:
    return options[int(rng.integers(len(options)))]


def normalize_skill(skill: Mapping[str, Any]) -> Skill:
    """A skill with every field present (missing description and precondition empty)."""
    body = skill.get("body", [])
    return {
        "name": skill.get("name", ""),
        "description": skill.get("description", ""),
        "precondition": skill.get("precondition", ""),
        "body": list(body) if isinstance(body, list) else body,
        "check": skill.get("check", ""),
    }
