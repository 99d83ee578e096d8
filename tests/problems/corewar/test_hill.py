"""The fixed train / held-out split of a hill."""

import hashlib

import pytest

from problems.corewar import hill
from problems.corewar.opponents import from_directory

from support import SHARED

HILL = SHARED / "corewar" / "warriors" / "94nop"


def test_split_is_by_file_name_alone_and_covers_the_hill_once():
    files = sorted(HILL.glob("*.red"))
    train, heldout = hill.select(files, "train"), hill.select(files, "heldout")
    assert (len(train), len(heldout)) == (458, 437)
    assert not set(train) & set(heldout) and len(train) + len(heldout) == len(files)
    for f in files[:50]:
        even = int(hashlib.sha256(f.stem.encode()).hexdigest()[:8], 16) % 2 == 0
        assert hill.part_of(f) == ("heldout" if even else "train")
        assert hill.part_of(f"/elsewhere/{f.name}") == hill.part_of(f)


def test_opponents_from_a_directory_take_one_part():
    train = from_directory(str(HILL), None, 1, "train")
    heldout = from_directory(str(HILL), 10, 1, "heldout")
    assert len(train) == 458 and len(heldout) == 10
    assert not {label for label, _ in train} & {label for label, _ in heldout}
    with pytest.raises(ValueError, match="split must be one of train, heldout"):
        from_directory(str(HILL), None, 1, "test")  # type: ignore[arg-type]
