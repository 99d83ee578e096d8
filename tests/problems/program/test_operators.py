"""Python-code operators edit only EVOLVE-BLOCKs and always give code that parses."""

import ast

import numpy as np

from problems.program.blocks import block_ranges
from problems.program.operators import crossover_programs, mutate_program, parses

SOURCE = """import math

LIMIT = 10


# EVOLVE-BLOCK-START
def score(x):
    a = 1.5 * x + 2
    if a > 3:
        a = a - 1
    b = a / 4
    return a + b
# EVOLVE-BLOCK-END


def fixed():
    return LIMIT * 2 + 7
"""


def outside(source):
    lines = source.splitlines()
    ((first, last),) = block_ranges(source)
    return lines[:first] + lines[last + 1 :]


def test_blocks_are_found():
    ((first, last),) = block_ranges(SOURCE)
    assert (
        SOURCE.splitlines()[first].startswith("def score")
        and "return a + b" in SOURCE.splitlines()[last]
    )
    assert block_ranges("x = 1\n") == [(0, 0)]


def test_mutations_stay_inside_blocks_and_parse():
    rng = np.random.default_rng(0)
    children = set()
    for _ in range(300):
        child = mutate_program(SOURCE, rng)
        assert parses(child)
        assert outside(child) == outside(SOURCE)
        children.add(child)
    assert len(children) > 50
    swapped = [c for c in children if " - 2" in c or "a >= 3" in c or "a < 3" in c or "a * 4" in c]
    assert swapped, "no operator or comparison was ever swapped"


def test_crossover_exchanges_statements_and_parses():
    rng = np.random.default_rng(1)
    other = SOURCE.replace("b = a / 4", "b = a / 9\n    c = b * b").replace(
        "return a + b", "return a + c"
    )
    seen = set()
    for _ in range(100):
        child = crossover_programs(SOURCE, other, rng)
        assert parses(child) and outside(child) == outside(SOURCE)
        seen.add(child)
    assert any("a / 9" in c and "1.5 * x" in c for c in seen)


def test_source_without_numbers_is_returned_unchanged():
    source = "# EVOLVE-BLOCK-START\ndef f(x):\n    return x\n# EVOLVE-BLOCK-END\n"
    assert mutate_program(source, np.random.default_rng(0)) == source
    ast.parse(source)
