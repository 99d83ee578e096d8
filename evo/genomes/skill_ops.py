"""Structural edits of skill libraries, for evolution without a model.

Every edit returns a new library that the grammar accepts: add a skill assembled from
action templates (ending in an action that can establish its check), refine one skill
(a slot value, a step inserted, deleted, replaced, swapped or made optional, the
precondition or check changed, the skill moved), merge two skills into one, delete one,
and recombine two libraries skill by skill.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import numpy as np

from evo.genomes.skills import MAX_NAME, Skill, SkillError, SkillGrammar, Template, _pick

Library = list[Skill]


def unique_name(base: str, library: Library) -> str:
    """``base`` made into a skill name not used in ``library``."""
    stem = "-".join("".join(c if c.isalnum() else " " for c in base).split())[: MAX_NAME - 4]
    stem = stem or "skill"
    taken = {s["name"] for s in library}
    name, k = stem, 2
    while name in taken:
        name, k = f"{stem}-{k}", k + 1
    return name


def new_skill(
    library: Library, grammar: SkillGrammar, rng: np.random.Generator, hints: Sequence[str] = ()
) -> Skill:
    """A random skill assembled from action templates.

    Its check is, half the time, one of ``hints`` (conditions an agent needed and had no
    skill for), otherwise a random condition. The body ends in an action that can
    establish the check; each requirement of that action is, with probability 1/2,
    established by a step put before it, and a random step may precede them. A random
    precondition is added now and then.
    """
    usable = [h for h in hints if _is_atom(h, grammar)]
    check = _pick(usable, rng) if usable and rng.random() < 0.5 else grammar.random_atom(rng)
    last = grammar.establishing_step(check, rng) or grammar.random_step(rng)
    body = [last]
    for need in grammar.requirements(grammar.parse_step(last)):
        step = grammar.establishing_step(need, rng) if rng.random() < 0.5 else None
        if step is not None and step not in body:
            body.insert(0, step)
    if rng.random() < 0.2:
        body.insert(0, grammar.random_step(rng))
    precondition = ""
    if rng.random() < 0.3:
        precondition = ("not " if rng.random() < 0.25 else "") + grammar.random_atom(rng)
    return {
        "name": unique_name(check, library),
        "description": f"achieve {check}",
        "precondition": precondition,
        "body": body[-grammar.max_steps :],
        "check": check,
    }


def _is_atom(text: str, grammar: SkillGrammar) -> bool:
    try:
        atoms = grammar.parse_condition(text)
    except SkillError:
        return False
    return len(atoms) == 1 and not atoms[0].flag


def add_skill(
    library: Library, grammar: SkillGrammar, rng: np.random.Generator, hints: Sequence[str] = ()
) -> Library:
    """Insert a new random skill (replacing a random one when the library is full)."""
    library = copy.deepcopy(library)
    skill = new_skill(library, grammar, rng, hints)
    if len(library) >= grammar.max_skills:
        library.pop(int(rng.integers(len(library))))
    library.insert(int(rng.integers(len(library) + 1)), skill)
    return library


def _slot_values(skill: Skill, grammar: SkillGrammar) -> dict[str, list[str]]:
    """Slot values the skill already uses (its steps, precondition and check)."""
    phrases = [grammar.parse_step(step) for step in skill["body"]]
    for key in ("precondition", "check"):
        phrases += grammar.parse_condition(skill.get(key, ""))
    used: dict[str, list[str]] = {}
    for phrase in phrases:
        for slot, value in phrase.values.items():
            used.setdefault(slot, []).append(value)
    return used


def related_step(skill: Skill, grammar: SkillGrammar, rng: np.random.Generator) -> str:
    """A random step; half the time its slots reuse values the skill already uses (a
    step about the same things)."""
    if rng.random() < 0.5:
        return grammar.random_step(rng)
    used = _slot_values(skill, grammar)
    template = Template(_pick(grammar.actions, rng))
    fixed = {s: _pick(used[s], rng) for s in template.slots if s in used}
    return grammar.fill_random(template, rng, **fixed)


def _edit_body(skill: Skill, grammar: SkillGrammar, rng: np.random.Generator) -> bool:
    body: list[str] = skill["body"]
    edits = ["slot", "replace", "optional"]
    if len(body) < grammar.max_steps:
        edits.append("insert")
    if len(body) > 1:
        edits += ["delete", "swap"]
    edit = _pick(edits, rng)
    i = int(rng.integers(len(body)))
    if edit == "slot":
        body[i] = grammar.vary_slot(body[i], rng)
    elif edit == "replace":
        body[i] = related_step(skill, grammar, rng)
    elif edit == "optional":
        body[i] = body[i][1:] if body[i].startswith("?") else "?" + body[i]
    elif edit == "insert":
        body.insert(int(rng.integers(len(body) + 1)), related_step(skill, grammar, rng))
    elif edit == "delete":
        del body[i]
    else:
        j = i + 1 if i + 1 < len(body) else i - 1
        body[i], body[j] = body[j], body[i]
    return True


def _edit_condition(text: str, grammar: SkillGrammar, rng: np.random.Generator, check: bool) -> str:
    atoms = text.split(" and ") if text.strip() else []
    edits = ["set"]
    if atoms:
        edits += ["slot", "negate"] if not check else ["slot"]
        if len(atoms) > 1 or not check:
            edits.append("drop")
    if len(atoms) < grammar.max_atoms:
        edits.append("add")
    edit = _pick(edits, rng)
    i = int(rng.integers(len(atoms))) if atoms else 0
    if edit == "set":
        atoms = [grammar.random_atom(rng)]
    elif edit == "slot":
        atoms[i] = grammar.vary_slot(atoms[i], rng, condition=True)
    elif edit == "negate":
        atoms[i] = atoms[i][4:] if atoms[i].startswith("not ") else "not " + atoms[i]
    elif edit == "drop":
        del atoms[i]
    else:
        atoms.append(
            ("not " if not check and rng.random() < 0.25 else "") + grammar.random_atom(rng)
        )
    return " and ".join(dict.fromkeys(atoms))


def refine_skill(library: Library, grammar: SkillGrammar, rng: np.random.Generator) -> Library:
    """One local edit of one skill (a library without skills gets a new one)."""
    if not library:
        return add_skill(library, grammar, rng)
    library = copy.deepcopy(library)
    index = int(rng.integers(len(library)))
    skill = library[index]
    textual = isinstance(skill["body"], str)
    parts = ["precondition", "check", "move"] + ([] if textual else ["body"] * 4)
    part = _pick(parts, rng)
    if part == "body":
        _edit_body(skill, grammar, rng)
    elif part == "precondition":
        skill["precondition"] = _edit_condition(skill.get("precondition", ""), grammar, rng, False)
    elif part == "check":
        skill["check"] = _edit_condition(skill["check"], grammar, rng, True)
    elif len(library) > 1:
        library.insert(int(rng.integers(len(library))), library.pop(index))
    else:
        skill["check"] = _edit_condition(skill["check"], grammar, rng, True)
    return library


def _chains(library: Library) -> list[tuple[int, int]]:
    """Pairs (i, j) where skill i's check establishes part of skill j's precondition."""
    pairs = []
    for i, a in enumerate(library):
        made = set(a["check"].split(" and "))
        for j, b in enumerate(library):
            needs = set(b.get("precondition", "").split(" and ")) - {""}
            if i != j and made & needs:
                pairs.append((i, j))
    return pairs


def merge_skills(library: Library, grammar: SkillGrammar, rng: np.random.Generator) -> Library:
    """Two skills become one: the first's precondition, both bodies, the second's check
    (preferring pairs where the first establishes what the second needs)."""
    if len(library) < 2:
        return copy.deepcopy(library)
    library = copy.deepcopy(library)
    chains = _chains(library)
    if chains and rng.random() < 0.7:
        i, j = _pick(chains, rng)
    else:
        i, j = (int(k) for k in rng.choice(len(library), 2, replace=False))
    a, b = library[i], library[j]
    if isinstance(a["body"], str) or isinstance(b["body"], str):
        body: list[str] | str = f"{_as_text(a['body'])}\nThen: {_as_text(b['body'])}"
    else:
        body = (a["body"] + b["body"])[: grammar.max_steps]
    rest = [s for k, s in enumerate(library) if k not in (i, j)]
    merged = {
        "name": unique_name(f"{a['name']}-{b['name']}", rest),
        "description": f"{_label(a)}, then {_label(b)}",
        "precondition": a.get("precondition", ""),
        "body": body,
        "check": b["check"],
    }
    library[i] = merged
    del library[j]
    return library


def _label(skill: Skill) -> str:
    return skill.get("description") or skill["name"]


def _as_text(body: list[str] | str) -> str:
    return body if isinstance(body, str) else "; ".join(body)


def delete_skill(library: Library, grammar: SkillGrammar, rng: np.random.Generator) -> Library:
    """Remove one skill."""
    library = copy.deepcopy(library)
    if library:
        library.pop(int(rng.integers(len(library))))
    return library


def crossover_libraries(
    a: Library, b: Library, grammar: SkillGrammar, rng: np.random.Generator
) -> Library:
    """Recombine two libraries: for each check either parent's skills achieving it (a
    check only one parent covers is inherited with probability 1/2), in order of first
    appearance, names kept unique."""
    groups: dict[str, list[list[Skill]]] = {}
    for side, library in enumerate((a, b)):
        for skill in library:
            groups.setdefault(skill["check"], [[], []])[side].append(skill)
    child: Library = []
    for left, right in groups.values():
        if left and right:
            chosen = left if rng.random() < 0.5 else right
        else:
            chosen = (left or right) if rng.random() < 0.5 else []
        for skill in chosen:
            skill = copy.deepcopy(skill)
            skill["name"] = unique_name(skill["name"], child)
            child.append(skill)
    if not child and (a or b):
        pool = a + b
        child = [copy.deepcopy(pool[int(rng.integers(len(pool)))])]
    return child[: grammar.max_skills]


EDITS: dict[str, Callable[[Library, SkillGrammar, np.random.Generator], Library]] = {
    "add": add_skill,
    "refine": refine_skill,
    "merge": merge_skills,
    "delete": delete_skill,
}
