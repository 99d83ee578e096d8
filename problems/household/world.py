"""Procedurally generated households: the same seed always gives the same house,
the same objects in the same places and the same goal."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from problems.household.catalog import (
    APPLIANCES,
    LAMP_STANDS,
    NOT_TARGETS,
    OBJECTS,
    OPENABLE,
    OPTIONAL_ROOMS,
    ROOMS,
    TASK_KINDS,
    preposition,
)


@dataclass
class Receptacle:
    """A place objects can be in or on (``cabinet 3``)."""

    name: str
    type: str
    room: str
    is_open: bool
    contents: list[str] = field(default_factory=list)

    @property
    def visible(self) -> bool:
        """Whether its contents can be seen and reached."""
        return self.is_open or self.type not in OPENABLE


@dataclass
class Item:
    """An object (``mug 1``) and its state."""

    name: str
    type: str
    location: str
    clean: bool = False
    hot: bool = False
    cool: bool = False


@dataclass(frozen=True)
class Goal:
    """What the task asks: its kind, the object type and the target receptacle type."""

    kind: str
    obj: str
    target: str | None
    text: str

    @property
    def treatment(self) -> str | None:
        """``clean``, ``heat`` or ``cool`` when the object must be treated first."""
        return self.kind if self.kind in APPLIANCES else None


@dataclass
class World:
    """A generated household and its goal."""

    seed: int
    rooms: list[str]
    receptacles: dict[str, Receptacle]
    items: dict[str, Item]
    lamp: str | None
    goal: Goal

    def of_type(self, receptacle_type: str) -> list[Receptacle]:
        """Receptacles of one type, in name order."""
        return [r for r in self.receptacles.values() if r.type == receptacle_type]


def _goal_text(kind: str, obj: str, target: str | None) -> str:
    if kind == "examine":
        return f"look at {obj} under the desklamp"
    assert target is not None
    where = f"{preposition(target)} {target}"
    if kind == "two":
        return f"put two {obj} {where}"
    adjective = {"clean": "clean ", "heat": "hot ", "cool": "cool "}.get(kind, "")
    return f"put a {adjective}{obj} {where}"


def _eligible(kind: str, obj: str, present: set[str]) -> bool:
    spec = OBJECTS[obj]
    if kind in APPLIANCES and kind not in spec.treatments:
        return False
    if kind == "examine" and not spec.examinable:
        return False
    places = set(spec.places) & present
    return bool(places) if kind == "examine" else len(places) >= 2


def _place(rng: random.Random, obj: str, allowed: set[str], by_type: dict[str, list[str]]) -> str:
    weights = {t: w for t, w in OBJECTS[obj].places.items() if t in allowed}
    kinds = sorted(weights)
    chosen = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
    return rng.choice(by_type[chosen])


def generate(seed: int, kind: str | None = None) -> World:
    """The household of ``seed`` with a goal of ``kind`` (drawn from the seed if None)."""
    rng = random.Random(seed)
    rooms = ["kitchen"] + [r for r, p in OPTIONAL_ROOMS.items() if rng.random() < p]
    receptacles: dict[str, Receptacle] = {}
    counts: dict[str, int] = {}
    for room in rooms:
        for rtype, (low, high) in ROOMS[room].items():
            for _ in range(rng.randint(low, high)):
                counts[rtype] = counts.get(rtype, 0) + 1
                name = f"{rtype} {counts[rtype]}"
                receptacles[name] = Receptacle(name, rtype, room, rtype not in OPENABLE)
    by_type: dict[str, list[str]] = {}
    for r in receptacles.values():
        by_type.setdefault(r.type, []).append(r.name)
    present = set(by_type)
    stands = [n for t in LAMP_STANDS for n in by_type.get(t, [])]
    lamp = rng.choice(stands) if stands else None
    kinds = [k for k in TASK_KINDS if k != "examine" or lamp is not None]
    kind = kind if kind in kinds else rng.choice(kinds)
    obj = rng.choice([o for o in OBJECTS if _eligible(kind, o, present)])
    target = None
    if kind != "examine":
        excluded = NOT_TARGETS | ({"fridge"} if kind == "cool" else set())
        targets = sorted(
            t for t in present - excluded if set(OBJECTS[obj].places) & (present - {t})
        )
        target = rng.choice(targets)
    goal = Goal(kind, obj, target, _goal_text(kind, obj, target))
    items: dict[str, Item] = {}
    numbers: dict[str, int] = {}

    def add(otype: str, allowed: set[str]) -> None:
        if not set(OBJECTS[otype].places) & allowed:
            return
        numbers[otype] = numbers.get(otype, 0) + 1
        name = f"{otype} {numbers[otype]}"
        where = _place(rng, otype, allowed, by_type)
        items[name] = Item(name, otype, where)
        receptacles[where].contents.append(name)

    copies = rng.randint(2, 3) if kind == "two" else rng.randint(1, 2)
    for _ in range(copies):
        add(obj, present - {target})
    others = [o for o in OBJECTS if o != obj]
    for _ in range(rng.randint(8, 16)):
        add(rng.choice(others), present)
    return World(seed, rooms, receptacles, items, lamp, goal)
