"""Every registered problem adapter (and the test problems) passes the conformance suite."""

import pytest

from evo import registry
from evo.testing.conformance import CHECKS
from evo.testing.problems import Sphere

from support import REPO

PROBLEMS = sorted(registry.registered())
PARAMS = {  # problems that need parameters: a program problem gets circle packing's parts
    "program": {
        "evaluator": "problems.circle_packing.evaluator:CirclePackingEvaluator",
        "initial_program": str(REPO / "problems" / "circle_packing" / "initial_program.py"),
        "evaluator_params": {"time_limit": 5.0},
    },
}


@pytest.fixture(scope="module", params=PROBLEMS)
def problem(request):
    return registry.create(request.param, PARAMS.get(request.param))


@pytest.mark.parametrize("check", list(CHECKS))
def test_registered_problem_conforms(problem, check):
    CHECKS[check](problem)


def test_the_suite_can_fail():
    class Careless(Sphere):
        name = "careless"

        def seeds(self, rng, n):
            import random

            return [[random.random()] * self.n_var for _ in range(n)]  # ignores rng

    with pytest.raises(AssertionError, match="not reproducible"):
        CHECKS["seeds"](Careless())


def test_there_are_problems_to_check():
    assert {"zdt1", "rps"} <= set(PROBLEMS)
