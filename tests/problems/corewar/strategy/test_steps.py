"""Good steps from modular arithmetic, and imp steps."""

import math

import pytest

from problems.corewar.strategy.steps import good_steps, imp_step, spread_cost, step_table


def test_good_steps_keep_their_modulus_and_spread_better_than_bad_ones():
    for modulus, steps in step_table(8000).items():
        assert steps and all(math.gcd(s, 8000) == modulus for s in steps)
    best = good_steps(8000, 4)[0]
    assert spread_cost(best, 8000) < spread_cost(4, 8000) / 10  # stepping by 4 fills slowly
    assert spread_cost(best, 8000) < spread_cost(4 * 1001, 8000)


def test_a_modulus_that_does_not_divide_the_core_has_no_steps():
    assert good_steps(8000, 3) == ()


@pytest.mark.parametrize("points, step", [(3, 2667), (7, 1143), (9, 889)])
def test_imp_steps_close_the_ring(points, step):
    assert imp_step(8000, points) == step and points * step % 8000 == 1
    assert imp_step(8000, 4) is None
