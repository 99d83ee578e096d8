"""Circle packing: the validator trusts nothing; the adapter records failures as data."""

import math

import numpy as np
import pytest

from evo.engine import Engine
from evo.records import Status
from evo.store import Store
from problems.circle_packing import CirclePacking
from problems.circle_packing.evaluator import BEST_KNOWN, validate

from support import REPO, make_config


def grid(n=26):
    centres = [[0.1 + 0.2 * (k % 5), 0.1 + 0.2 * (k // 5)] for k in range(25)] + [[0.2, 0.2]]
    return {"centres": centres[:n], "radii": [0.1] * 25 + [0.0]}


def test_valid_packing_is_scored_by_recomputation():
    answer = grid() | {"sum": 99.0}
    total, reason = validate(answer)
    assert total == pytest.approx(2.5) and reason == ""


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda a: a["radii"].pop(), "exactly 26"),
        (lambda a: a["radii"].__setitem__(0, math.nan), "finite"),
        (lambda a: a["radii"].__setitem__(0, 10**400), "finite"),
        (lambda a: a["centres"].__setitem__(2, [True, 0.5]), "finite"),
        (lambda a: a["radii"].__setitem__(6, 0.15), "overlap"),
        (lambda a: a["centres"].__setitem__(0, [0.05, 0.1]), "sticks out"),
        (lambda a: a["radii"].__setitem__(3, -0.1), "negative"),
        (lambda a: a.pop("centres"), "must be lists"),
    ],
)
def test_invalid_packings_are_rejected(change, reason):
    answer = grid()
    change(answer)
    total, message = validate(answer)
    assert total is None and reason in message


def test_tolerance_is_one_nanometre_of_the_unit():
    answer = grid()
    answer["radii"][0] = 0.1 + 5e-10
    assert validate(answer)[0] is not None
    answer["radii"][0] = 0.1 + 2e-9
    assert validate(answer)[0] is None


@pytest.fixture(scope="module")
def problem():
    return CirclePacking()


def test_the_initial_program_is_valid(problem):
    evaluation = problem.evaluate(problem.initial)
    assert evaluation.status is Status.OK
    assert 2.0 < evaluation.objectives["sum_radii"] < BEST_KNOWN


@pytest.mark.parametrize(
    "replacement, status, reason",
    [
        (
            "return {'centres': [[0.5, 0.5]] * 26, 'radii': [float('nan')] * 26}",
            Status.INVALID,
            "not a finite number",
        ),
        (
            "return {'centres': [[0.5, 0.5]] * 26, 'radii': [0.5] * 26, 'sum': 13}",
            Status.INVALID,
            "overlap",
        ),
        (
            "return {'centres': [[0.5, 0.5]] * 26, 'radii': [10**400] * 26}",
            Status.INVALID,
            "not a finite number",
        ),
        ("while True:\n        pass", Status.TIMEOUT, "killed after 2"),
        ("raise RuntimeError('nope')", Status.ERROR, "RuntimeError: nope"),
        ("return {'centres': 'x', 'radii': 'y'", Status.INVALID, "not valid Python"),
    ],
)
def test_hostile_or_broken_programs_are_recorded(problem, replacement, status, reason):
    source = problem.initial.replace(
        "    points = centres()\n    radii = radii_for(points)\n", f"    {replacement}\n"
    )
    evaluation = problem.evaluate(source)
    assert evaluation.status is status and reason in evaluation.feedback


def test_an_evaluator_metric_too_large_for_a_float_is_invalid(problem):
    checked = problem._check({"sum_radii": 10**400})
    assert checked.status is Status.INVALID and "not a finite number" in checked.feedback


def test_cascade_stops_weak_programs_after_stage_one():
    problem = CirclePacking(cascade_threshold=10.0)  # nothing reaches 10: stage 1 only
    evaluation = problem.evaluate(problem.initial)
    assert evaluation.descriptors["stage"] == 1.0 and "stage-1" in evaluation.feedback


def test_a_run_improves_and_reverifies_the_best(tmp_path, evo_cli):
    config = tmp_path / "cp.yaml"
    config.write_text((REPO / "experiments" / "circle_packing.yaml").read_text())
    result = evo_cli(
        "run",
        str(config),
        "--run-dir",
        str(tmp_path / "run"),
        "-q",
        "--set",
        "budget.evaluations=60",
        "--set",
        "population.size=10",
    )
    assert result.returncode == 0, result.stderr
    assert "best program re-verified in a fresh sandbox: sum_radii" in result.stdout
    assert "— confirmed" in result.stdout and (tmp_path / "run" / "best_program.py").is_file()


def test_engine_is_unaffected_by_hostile_offspring(tmp_path, problem):
    hostile = [
        problem.initial.replace("    points = centres()\n", f"    {body}\n    points = centres()\n")
        for body in (
            "os.fork()",
            "import time; time.sleep(30)",
            "x = bytearray(10**10)",
            "print('x' * 10**8)",
        )
    ]

    class Hostile(CirclePacking):
        def seeds(self, rng, n):
            return [self.initial] + hostile

    config = make_config(
        problem={"name": "circle_packing"},
        population={"size": 6},
        evaluation={"backend": "sequential", "timeout": 30},
        budget={"evaluations": 12},
    )
    engine = Engine(Hostile(), config, Store.in_dir(tmp_path, create=True))
    engine.run()
    statuses = [e.status for e in engine.store.evaluations().values()]
    assert len(statuses) == 12 and Status.OK in statuses
    assert {Status.TIMEOUT, Status.ERROR} & set(statuses)
    assert np.isfinite(
        [m.evaluation.objectives["sum_radii"] for m in engine.members() if m.evaluation.ok]
    ).all()
