"""The assembler against pMARS: every archived warrior, the dialect's features, and errors."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from problems.corewar.assembler import AssemblyError, assemble, assemble_listing
from problems.corewar.disassembler import disassemble, instruction_text
from problems.corewar.redcode import Settings

from support import SHARED

DATA = Path(__file__).parent / "data"
COREWAR = SHARED / "corewar"
SEEDS = Path(__file__).parents[3] / "problems" / "corewar" / "seeds"


def fingerprint(warrior):
    rows = "\n".join(" ".join(str(int(x)) for x in row) for row in warrior.code)
    return hashlib.sha256(f"{warrior.start}\n{rows}".encode()).hexdigest()[:16]


def test_every_archived_warrior_assembles_exactly_as_pmars():
    recorded = json.loads((DATA / "pmars_assembly.json").read_text())
    assert len(recorded) == 900
    mismatches = []
    for path, expected in recorded.items():
        text = (COREWAR / path).read_text(encoding="latin-1")
        warrior = assemble(text, Settings(rounds=100))
        if (len(warrior), warrior.start, fingerprint(warrior)) != (
            expected["length"],
            expected["start"],
            expected["sha256"],
        ):
            mismatches.append(path)
    assert mismatches == []


@pytest.mark.parametrize("case", sorted(json.loads((DATA / "pmars_features.json").read_text())))
def test_dialect_features_match_pmars(case):
    expected = json.loads((DATA / "pmars_features.json").read_text())[case]
    warrior = assemble(expected["source"], Settings(warriors=1, rounds=0))
    assert [" ".join(instruction_text(row).split()) for row in warrior.code] == expected["listing"]
    assert warrior.start == expected["start"]


def test_metadata_comments_and_pin():
    warrior = assemble(
        ";redcode\n;name  Two words \n;author Me\n;strategy one\n;strategy two\n pin 42\n jmp 0\n"
    )
    assert (warrior.name, warrior.author, warrior.strategy, warrior.pin) == (
        "Two words ",
        "Me",
        "one\ntwo",
        42,
    )
    assert assemble(" jmp 0").name == "Unknown" and assemble(" jmp 0").author == "Anonymous"


@pytest.mark.parametrize("seed", ["imp", "dwarf", "paper", "scanner"])
def test_pmars_load_files_are_read(seed):
    loaded = assemble((DATA / f"{seed}.load").read_text())
    original = assemble((SEEDS / f"{seed}.red").read_text())
    assert np.array_equal(loaded.code, original.code) and loaded.start == original.start
    assert (loaded.name, loaded.author) == (original.name, original.author)


@pytest.mark.parametrize(
    "source, line, message",
    [
        (";redcode\n jmp 0\n mov 0, nowhere\n", 3, "undefined symbol 'nowhere'"),
        (";redcode\n mov 0\n", 2, "MOV needs two operands"),
        (";redcode\n;assert CORESIZE == 55\n jmp 0\n", 2, "assertion failed"),
        (";redcode\n frob 1, 2\n", 2, "unexpected"),
        (";redcode\n jmp 0\n rof\n", 3, "ROF without FOR"),
        (";redcode\nx equ y\ny equ x\n jmp x\n", 4, "recursive EQU"),
        (";redcode\n mov.q 0, 1\n", 2, "modifier expected"),
        (";redcode\n mov 0,\n", 2, "syntax error"),
        (";redcode\n mov 0, #1 #2\n", 2, "'#' out of place"),
        (";redcode\n jmp 0, $1, 2\n", 2, "out of place"),
    ],
)
def test_errors_name_the_line(source, line, message):
    with pytest.raises(AssemblyError) as info:
        assemble(source)
    assert info.value.line == line and message in info.value.message
    assert str(info.value).startswith(f"line {line}: ")


def test_length_limits():
    with pytest.raises(AssemblyError, match="too many instructions: 101 .maximum 100."):
        assemble(";redcode\n" + " nop 0\n" * 101)
    assert len(assemble(";redcode\n" + " nop 0\n" * 20, Settings(maxlength=20))) == 20
    with pytest.raises(AssemblyError, match="no instructions"):
        assemble(";redcode\n; nothing here\n")
    empty = assemble_listing(";redcode\n; nothing here\n", allow_empty=True)
    assert empty.rows == [] and empty.warnings == (
        "no instructions: the warrior dies at its first step",
    )
    with pytest.raises(AssemblyError, match="must be text"):
        assemble(b"jmp 0")  # type: ignore[arg-type]


def test_disassembly_reassembles_identically():
    for path in sorted((COREWAR / "warriors").glob("*/*.red")):
        warrior = assemble(path.read_text(encoding="latin-1"), Settings(rounds=100))
        again = assemble(disassemble(warrior), Settings(rounds=100))
        assert np.array_equal(warrior.code, again.code), path
        assert (warrior.start, warrior.name, warrior.author, warrior.pin) == (
            again.start,
            again.name,
            again.author,
            again.pin,
        )
