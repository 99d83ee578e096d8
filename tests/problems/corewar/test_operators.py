import numpy as np

from problems.corewar.operators import (
    crossover_code,
    delete_line,
    insert_line,
    mutate_code,
    random_instruction,
    signed,
)
from problems.corewar.redcode import A_VALUE, B_MODE, B_VALUE, DIRECT, IMMEDIATE, MODES, OPCODES

CORE = 8000


def targets(code):
    """Absolute targets of the non-immediate B fields."""
    rows = np.arange(len(code))
    return {
        int(r): int(r + signed(code[r, B_VALUE], CORE))
        for r in rows
        if code[r, B_MODE] != IMMEDIATE
    }


def program(rng, n=8):
    code = np.stack([random_instruction(rng, CORE, n) for _ in range(n)])
    code[:, B_MODE] = DIRECT
    code[:, B_VALUE] = [int(rng.integers(-r, n - r)) % CORE for r in range(n)]  # inside the body
    return code


def test_insertion_and_deletion_keep_references_on_their_lines():
    rng = np.random.default_rng(0)
    for _ in range(200):
        code = program(rng)
        at = int(rng.integers(len(code) + 1))
        grown = insert_line(code, at, random_instruction(rng, CORE, 8), CORE)
        before, after = targets(code), targets(grown)
        for row, target in before.items():
            assert after[row + (row >= at)] == target + (target >= at)
        at = int(rng.integers(len(code)))
        shrunk = delete_line(code, at, CORE)
        after = targets(shrunk)
        for row, target in before.items():
            if row != at and target != at:
                new_row, new_target = row - (row > at), target - (target > at)
                assert after[new_row] == new_target


def test_mutations_stay_valid_and_within_max_length():
    rng = np.random.default_rng(1)
    code, start = program(rng, 3), 0
    lengths = set()
    for _ in range(3000):
        code, start = mutate_code(code, start, rng, CORE, maxlength=20)
        lengths.add(len(code))
        assert 1 <= len(code) <= 20 and 0 <= start < len(code)
        assert np.all((code[:, 0] >= 0) & (code[:, 0] < len(OPCODES)))
        assert np.all((code[:, [2, 4]] >= 0) & (code[:, [2, 4]] < len(MODES)))
        assert np.all((code[:, [3, 5]] >= 0) & (code[:, [3, 5]] < CORE))
    assert min(lengths) == 1 and max(lengths) == 20


def test_crossover_mixes_segments_of_both_parents():
    rng = np.random.default_rng(2)
    a, b = program(rng, 10), program(rng, 10)
    a[:, A_VALUE], b[:, A_VALUE] = 1, 2
    mixed = 0
    for _ in range(100):
        child, start = crossover_code(a, 4, b, rng, maxlength=12)
        assert 1 <= len(child) <= 12 and 0 <= start < len(child)
        mixed += {1, 2} <= set(child[:, A_VALUE].tolist())
    assert mixed > 30
