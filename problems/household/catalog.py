"""What a household is made of: rooms, receptacle types, object types and where each
kind of object tends to be found."""

from __future__ import annotations

from dataclasses import dataclass

OPENABLE = frozenset({"cabinet", "drawer", "fridge", "microwave", "safe"})
"""Receptacles that start closed and must be opened to see or reach inside."""

INSIDE = frozenset({"cabinet", "drawer", "fridge", "microwave", "safe", "sinkbasin", "garbagecan"})
"""Receptacles objects go *in* (the others they go *on*)."""

APPLIANCES = {"clean": "sinkbasin", "heat": "microwave", "cool": "fridge"}
"""The receptacle that performs each treatment."""

ROOMS: dict[str, dict[str, tuple[int, int]]] = {
    "kitchen": {
        "cabinet": (3, 7),
        "drawer": (1, 4),
        "countertop": (1, 3),
        "fridge": (1, 1),
        "microwave": (1, 1),
        "sinkbasin": (1, 1),
        "stoveburner": (2, 4),
        "coffeemachine": (0, 1),
        "diningtable": (0, 1),
        "shelf": (0, 2),
        "garbagecan": (1, 1),
    },
    "livingroom": {
        "sofa": (1, 1),
        "armchair": (0, 2),
        "sidetable": (1, 2),
        "shelf": (1, 3),
        "drawer": (0, 3),
        "cabinet": (0, 2),
        "diningtable": (0, 1),
        "garbagecan": (0, 1),
    },
    "bedroom": {
        "bed": (1, 1),
        "desk": (1, 1),
        "dresser": (0, 1),
        "drawer": (1, 4),
        "shelf": (1, 3),
        "sidetable": (1, 2),
        "safe": (0, 1),
        "garbagecan": (0, 1),
    },
    "bathroom": {
        "sinkbasin": (1, 2),
        "countertop": (1, 1),
        "cabinet": (1, 4),
        "drawer": (0, 2),
        "garbagecan": (1, 1),
    },
}
OPTIONAL_ROOMS = {"livingroom": 0.7, "bedroom": 0.7, "bathroom": 0.5}
"""Every house has a kitchen; the other rooms appear with these probabilities."""

RECEPTACLE_TYPES: tuple[str, ...] = tuple(sorted({r for room in ROOMS.values() for r in room}))

NOT_TARGETS = frozenset({"sinkbasin", "microwave", "stoveburner", "coffeemachine", "garbagecan"})
"""Receptacles that are never the destination of a task."""

LAMP_STANDS = ("desk", "sidetable", "dresser")
"""Where a desklamp may stand (examine tasks need one)."""


@dataclass(frozen=True)
class ObjectType:
    """A kind of object: its category, where it is usually found, what can be done to it."""

    category: str
    places: dict[str, int]
    treatments: frozenset[str] = frozenset()
    examinable: bool = False


def _kind(category: str, places: dict[str, int], treat: str = "", examine: bool = False):
    names = {"c": "clean", "h": "heat", "k": "cool"}
    return ObjectType(category, places, frozenset(names[t] for t in treat), examine)


OBJECTS: dict[str, ObjectType] = {
    "mug": _kind(
        "dishware",
        {
            "cabinet": 4,
            "countertop": 3,
            "coffeemachine": 3,
            "diningtable": 2,
            "sinkbasin": 1,
            "shelf": 1,
            "desk": 1,
        },
        "chk",
    ),
    "cup": _kind(
        "dishware",
        {"cabinet": 4, "countertop": 2, "diningtable": 2, "fridge": 1, "shelf": 1},
        "chk",
    ),
    "plate": _kind(
        "dishware", {"cabinet": 5, "countertop": 2, "diningtable": 3, "fridge": 1}, "chk"
    ),
    "bowl": _kind(
        "dishware",
        {"cabinet": 4, "diningtable": 2, "countertop": 2, "fridge": 1, "shelf": 1},
        "chk",
    ),
    "pan": _kind("dishware", {"stoveburner": 5, "cabinet": 3, "countertop": 1}, "ck"),
    "pot": _kind("dishware", {"stoveburner": 4, "cabinet": 3, "countertop": 1}, "ck"),
    "apple": _kind(
        "food", {"fridge": 4, "countertop": 3, "diningtable": 2, "garbagecan": 1}, "chk"
    ),
    "potato": _kind(
        "food",
        {"fridge": 3, "countertop": 3, "diningtable": 1, "garbagecan": 1, "cabinet": 1},
        "chk",
    ),
    "egg": _kind("food", {"fridge": 5, "countertop": 2, "garbagecan": 1}, "chk"),
    "tomato": _kind("food", {"fridge": 4, "countertop": 3, "diningtable": 2}, "chk"),
    "lettuce": _kind("food", {"fridge": 5, "countertop": 2, "diningtable": 1}, "ck"),
    "bread": _kind("food", {"countertop": 4, "diningtable": 3, "fridge": 1, "cabinet": 1}, "hk"),
    "knife": _kind("utensil", {"drawer": 4, "countertop": 3, "diningtable": 2}, "c"),
    "spoon": _kind("utensil", {"drawer": 5, "countertop": 2, "diningtable": 1}, "c"),
    "fork": _kind("utensil", {"drawer": 5, "countertop": 2, "diningtable": 1}, "c"),
    "spatula": _kind("utensil", {"drawer": 4, "countertop": 3, "stoveburner": 1}, "c"),
    "book": _kind(
        "reading",
        {"shelf": 4, "desk": 3, "bed": 2, "sidetable": 2, "sofa": 1, "dresser": 1},
        examine=True,
    ),
    "newspaper": _kind(
        "reading",
        {"sofa": 3, "sidetable": 2, "diningtable": 2, "armchair": 2, "garbagecan": 1},
        examine=True,
    ),
    "pen": _kind("stationery", {"desk": 4, "drawer": 3, "sidetable": 2, "shelf": 1}, examine=True),
    "pencil": _kind("stationery", {"desk": 4, "drawer": 3, "shelf": 1}, examine=True),
    "cd": _kind("gadget", {"shelf": 3, "drawer": 3, "desk": 2, "safe": 1}, examine=True),
    "cellphone": _kind(
        "gadget",
        {"bed": 3, "desk": 2, "sidetable": 2, "sofa": 2, "dresser": 1, "drawer": 1},
        examine=True,
    ),
    "remotecontrol": _kind(
        "gadget",
        {"sofa": 3, "sidetable": 3, "armchair": 2, "diningtable": 1, "shelf": 1},
        examine=True,
    ),
    "keychain": _kind(
        "valuable", {"drawer": 3, "sidetable": 2, "dresser": 2, "safe": 2, "shelf": 1}, examine=True
    ),
    "creditcard": _kind(
        "valuable",
        {"drawer": 3, "desk": 2, "sidetable": 2, "dresser": 1, "safe": 2, "countertop": 1},
        examine=True,
    ),
    "watch": _kind(
        "valuable", {"dresser": 3, "sidetable": 2, "safe": 2, "drawer": 2}, examine=True
    ),
    "soapbar": _kind("toiletry", {"sinkbasin": 2, "countertop": 3, "cabinet": 2}, "c"),
    "cloth": _kind("toiletry", {"cabinet": 3, "countertop": 2, "drawer": 1, "garbagecan": 1}, "c"),
    "vase": _kind("decor", {"shelf": 3, "sidetable": 2, "diningtable": 2, "desk": 1}),
    "candle": _kind(
        "decor", {"shelf": 2, "sidetable": 2, "diningtable": 2, "countertop": 1, "cabinet": 1}
    ),
}

OBJECT_TYPES: tuple[str, ...] = tuple(OBJECTS)
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(o.category for o in OBJECTS.values()))

TASK_KINDS = ("place", "clean", "heat", "cool", "examine", "two")


def preposition(receptacle_type: str) -> str:
    """``in`` or ``on``."""
    return "in" if receptacle_type in INSIDE else "on"
