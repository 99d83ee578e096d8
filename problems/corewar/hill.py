"""A hill split once and for all into a training part and a held-out part.

A warrior file belongs to the held-out part when the SHA-256 digest of its file name
without ``.red`` (UTF-8), read as a hexadecimal number, is even in its first 8 digits:
``int(sha256(stem).hexdigest()[:8], 16) % 2 == 0``. The split depends on nothing but the
name, so it is the same on every machine, for every run and every seed, and a warrior
added to the hill later falls on a fixed side. On the 895 warriors of 94nop it puts 458
in ``train`` and 437 in ``heldout``. Selection only ever sees ``train``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

Part = Literal["train", "heldout"]
PARTS: tuple[Part, ...] = ("train", "heldout")


def part_of(path: Path | str) -> Part:
    """Which part of the split a warrior file belongs to."""
    digest = hashlib.sha256(Path(path).stem.encode("utf-8")).hexdigest()
    return "heldout" if int(digest[:8], 16) % 2 == 0 else "train"


def select(files: list[Path], part: Part | None) -> list[Path]:
    """The files of ``part`` (all of them when ``part`` is None), in the given order."""
    if part is None:
        return list(files)
    if part not in PARTS:
        raise ValueError(f"split must be one of {', '.join(PARTS)}, not {part!r}")
    return [f for f in files if part_of(f) == part]
