"""Whatever text it is given, the assembler raises nothing but AssemblyError."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from problems.corewar.assembler import AssemblyError, assemble

from support import SHARED

VOCABULARY = [
    "mov",
    "add",
    "sub",
    "mul",
    "div",
    "mod",
    "jmp",
    "jmz",
    "jmn",
    "djn",
    "spl",
    "slt",
    "cmp",
    "seq",
    "sne",
    "nop",
    "dat",
    "ldp",
    "stp",
    "org",
    "end",
    "pin",
    "equ",
    "for",
    "rof",
    ".a",
    ".b",
    ".ab",
    ".ba",
    ".f",
    ".x",
    ".i",
    ".q",
    "#",
    "$",
    "@",
    "*",
    "{",
    "}",
    "<",
    ">",
    ",",
    ";",
    ";redcode",
    ";assert",
    ";name",
    "(",
    ")",
    "+",
    "-",
    "/",
    "%",
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "!",
    "=",
    "&",
    ":",
    "\\\n",
    "\n",
    "x",
    "lbl",
    "CORESIZE",
    "CURLINE",
    "MAXLENGTH",
    "0",
    "1",
    "7",
    "-1",
    "99999999999999999999",
    "  ",
    "\t",
    "é",
    "\x00",
]
WARRIORS = sorted((SHARED / "corewar" / "warriors").glob("*/*.red"))


def assembles_or_reports(text):
    try:
        assemble(text)
    except AssemblyError as exc:
        assert exc.line >= 0 and exc.message


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text(text):
    assembles_or_reports(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), max_size=60))
def test_token_soup(tokens):
    assembles_or_reports(";redcode\n" + " ".join(tokens))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(WARRIORS) - 1), st.integers(0, 2**32), st.integers(1, 8))
def test_mutated_real_warriors(index, seed, edits):
    text = WARRIORS[index].read_text(encoding="latin-1")
    rng = random.Random(seed)
    for _ in range(edits):
        at = rng.randrange(len(text) + 1)
        kind = rng.random()
        if kind < 0.4:
            text = text[:at] + rng.choice(VOCABULARY) + text[at:]
        elif kind < 0.7:
            text = text[:at] + text[at + rng.randrange(1, 20) :]
        else:
            text = text[:at] + text[at:][::-1][:10] + text[at + 10 :]
    assembles_or_reports(text)


def test_deep_nesting_is_an_assembly_error_not_a_crash():
    assembles_or_reports(";redcode\n dat #" + "(" * 5000 + "1" + ")" * 5000 + "\n")
    chain = "".join(f"e{i} equ e{i + 1}+1\n" for i in range(3000)) + "e3000 equ 1\n dat #e0\n"
    assembles_or_reports(";redcode\n" + chain)


def test_pathological_expansions_end_in_an_error_not_a_hang():
    doubling = "e0 equ 1\n" + "".join(f"e{i} equ e{i - 1}+e{i - 1}\n" for i in range(1, 40))
    with pytest.raises(AssemblyError, match="substitution is too complex"):
        assemble(f";redcode\n{doubling} dat #e39\n")
    with pytest.raises(AssemblyError, match="exceed the limit 1000"):
        assemble(";redcode\nfor 1299999999999999999999\n dat 0\nrof\n")
    # pMARS counts FOR repetitions in an unsigned short: 65537 is 1
    assert len(assemble(";redcode\nfor 65537\n dat 0\nrof\n")) == 1
    # nested counters that reach equal values are still told apart
    assembles_or_reports(";redcode\nfor 2\nfor 1\n dat 0\nrof\nfor 3\nrof\n dat 1\nrof\n")
