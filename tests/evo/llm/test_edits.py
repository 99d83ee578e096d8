"""Reading model answers: fenced code and SEARCH/REPLACE diffs."""

import pytest

from evo.llm.edits import EditError, Replacement, apply_diff, extract_code, parse_diff

PROGRAM = """import math

# EVOLVE-BLOCK-START
def f(x):
    y = x + 1
    return y * 2
# EVOLVE-BLOCK-END

def g():
    return 7
"""


def diff(search, replace):
    return f"Here you go:\n<<<<<<< SEARCH\n{search}\n=======\n{replace}\n>>>>>>> REPLACE\n"


def test_exact_and_whitespace_tolerant_matching():
    assert "y = x + 2" in apply_diff(PROGRAM, parse_diff(diff("    y = x + 1", "    y = x + 2")))
    loose = apply_diff(
        PROGRAM, parse_diff(diff("y = x + 1\n\n  return y * 2", "y = x - 1\nreturn y * 3"))
    )
    assert "    y = x - 1\n    return y * 3\n" in loose


def test_edits_outside_evolve_blocks_are_refused():
    with pytest.raises(EditError, match="outside the EVOLVE-BLOCK"):
        apply_diff(PROGRAM, parse_diff(diff("return 7", "return 8")))


def test_unmatched_malformed_and_empty_diffs():
    with pytest.raises(EditError, match="does not match"):
        apply_diff(PROGRAM, [Replacement("nothing like this", "x")])
    with pytest.raises(EditError, match="malformed"):
        parse_diff("<<<<<<< SEARCH\nfoo\n>>>>>>> REPLACE")
    with pytest.raises(EditError, match="no SEARCH/REPLACE"):
        parse_diff("just prose")
    with pytest.raises(EditError, match="changes nothing"):
        apply_diff(PROGRAM, [Replacement("    y = x + 1", "    y = x + 1")])


def test_code_blocks():
    assert (
        extract_code("text\n```python\nprint(1)\n```\nmore\n```python\nprint(2)\n```")
        == "print(2)\n"
    )
    with pytest.raises(EditError, match="truncated"):
        extract_code("```python\nprint(1)")
    with pytest.raises(EditError, match="no fenced"):
        extract_code("print(1)")
