"""Where opponent warriors come from: built-in seeds, files, directories, or source text."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from problems.corewar import hill
from problems.corewar.assembler import AssemblyError, assemble
from problems.corewar.redcode import Settings, Warrior

SEED_DIR = Path(__file__).parent / "seeds"
SEEDS = tuple(sorted(p.stem for p in SEED_DIR.glob("*.red")))


@dataclass(frozen=True)
class Opponent:
    """An assembled opponent and a short label for reports."""

    label: str
    source: str
    warrior: Warrior


def seed_source(name: str) -> str:
    """Source of a built-in seed warrior (``imp``, ``dwarf``, ``paper``, ``scanner``)."""
    path = SEED_DIR / f"{name}.red"
    if not path.is_file():
        raise ValueError(f"no built-in warrior {name!r} (known: {', '.join(SEEDS)})")
    return path.read_text()


def resolve(entry: str) -> tuple[str, str]:
    """``(label, source)`` for an opponent entry: ``seed:NAME``, a ``.red`` path, or source."""
    if entry.startswith("seed:"):
        return entry, seed_source(entry[5:])
    if "\n" not in entry and entry.strip().endswith(".red"):
        path = Path(entry).expanduser()
        if not path.is_file():
            raise ValueError(f"opponent file {entry!r} does not exist")
        return path.stem, path.read_text(encoding="latin-1")
    return f"warrior {len(entry)}b", entry


def from_directory(
    directory: str, sample: int | None, seed: int, split: hill.Part | None = None
) -> list[tuple[str, str]]:
    """``(label, source)`` of the ``.red`` files in ``directory`` (only those of ``split``'s
    part of the hill when given; a fixed random sample of ``sample`` when given)."""
    path = Path(directory).expanduser()
    if not path.is_dir():
        raise ValueError(f"opponents_dir {directory!r} is not a directory")
    files = hill.select(sorted(path.glob("*.red")), split)
    if not files:
        where = f"{split} part of " if split else ""
        raise ValueError(f"the {where}opponents_dir {directory!r} holds no .red files")
    if sample is not None and sample < len(files):
        files = sorted(random.Random(seed).sample(files, sample))
    return [(f.stem, f.read_text(encoding="latin-1")) for f in files]


def load(entries: list[tuple[str, str]], settings: Settings) -> list[Opponent]:
    """Assemble every opponent; one that does not assemble is a configuration error."""
    loaded = []
    for label, source in entries:
        try:
            loaded.append(Opponent(label, source, assemble(source, settings)))
        except AssemblyError as exc:
            raise ValueError(f"opponent {label!r} does not assemble: {exc}") from None
    return loaded
