"""Runners against real worker processes: hangs, stuck code, crashes and a dask cluster."""

import os
import time

import psutil
import pytest

from evo.evaluation import (
    DaskRunner,
    Evaluator,
    LokyRunner,
    ProblemRef,
    SequentialRunner,
    TaskFailure,
)
from evo.records import Candidate, Status
from evo.run import Run
from evo.testing.problems import Faulty

from support import make_config


def genomes_with(problem, fault, count):
    """Genomes that trigger ``fault`` (or none when fault is None)."""
    found, i = [], 0
    while len(found) < count:
        genome = [round(i * 0.001, 6)] * problem.n_var
        if problem.fault(genome) == fault:
            found.append(genome)
        i += 1
    return found


def evaluate(runner, problem, genomes, timeout, spec=None):
    ref = ProblemRef(
        spec,
        {"hang": 3, "raise_": 3, "stuck": 3, "crash": 3} if spec else {},
        None if spec else problem,
    )
    candidates = [Candidate.new(g) for g in genomes]
    results = {e.candidate_id: e for e in Evaluator(ref, runner, timeout).evaluate(candidates)}
    return [results[c.id] for c in candidates]


def square(x):
    return x * x


def test_sequential_runner_yields_in_order():
    tasks = [(square, (i,)) for i in range(5)]
    assert list(SequentialRunner().map(tasks, 1.0)) == [(i, i * i) for i in range(5)]


def workers_left():
    """Child processes still running, other than the resource trackers that live as long
    as this process does."""
    children = psutil.Process().children(recursive=True)
    return [p for p in children if "resource_tracker" not in " ".join(p.cmdline())]


SPEC = "evo.testing.problems:Faulty"


def test_loky_enforces_deadlines_and_survives_crashes():
    problem = Faulty(hang=3, raise_=3, stuck=3, crash=3)
    good = genomes_with(problem, None, 6)
    bad = {kind: genomes_with(problem, kind, 1)[0] for kind in ("hang", "raise", "stuck", "crash")}
    order = good[:2] + [bad["hang"], bad["stuck"]] + good[2:4] + [bad["crash"], bad["raise"]]
    order += good[4:]
    runner = LokyRunner(workers=2)
    try:
        started = time.monotonic()
        results = evaluate(runner, problem, order, timeout=1.0, spec=SPEC)
        took = time.monotonic() - started
    finally:
        runner.close()
    status = {tuple(g): r.status for g, r in zip(order, results, strict=True)}
    for genome in good:
        assert status[tuple(genome)] is Status.OK
    assert status[tuple(bad["hang"])] is Status.TIMEOUT  # stopped by the in-worker alarm
    assert status[tuple(bad["stuck"])] is Status.TIMEOUT  # ignores the alarm: the watchdog
    assert status[tuple(bad["raise"])] is Status.ERROR
    assert status[tuple(bad["crash"])] is Status.ERROR
    crash = results[order.index(bad["crash"])]
    assert "worker process died" in crash.feedback
    assert took < 30
    time.sleep(0.5)
    assert not workers_left()


def test_unpicklable_task_is_a_failure_not_a_crash():
    runner = LokyRunner(workers=1)
    try:
        results = list(runner.map([(lambda: 1, ())], 5.0))  # lambdas pickle with cloudpickle
        results += list(runner.map([(square, (os,))], 5.0))  # a module does not
    finally:
        runner.close()
    assert results[0] == (0, 1)
    assert isinstance(results[1][1], TaskFailure) and results[1][1].kind == "error"


def test_dask_backend_on_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        host="127.0.0.1",
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
    ) as cluster:
        problem = Faulty(hang=3, raise_=3)
        good = genomes_with(problem, None, 4)
        hang = genomes_with(problem, "hang", 1)
        raises = genomes_with(problem, "raise", 1)
        runner = DaskRunner(cluster.scheduler_address)
        try:
            results = evaluate(runner, problem, good + hang + raises, timeout=1.0)
        finally:
            runner.close()
        run = Run.create(
            make_config(
                problem={"name": SPEC, "params": {"raise_": 4}},
                budget={"evaluations": 40},
                evaluation={"backend": "dask", "scheduler_address": cluster.scheduler_address},
            ),
            tmp_path / "run",
        )
        try:
            run.execute()
            evaluations = run.store.evaluations()
        finally:
            run.close()
    assert [r.status for r in results] == [Status.OK] * 4 + [Status.TIMEOUT, Status.ERROR]
    assert results[0].objectives["loss"] == pytest.approx(problem.evaluate(good[0])["loss"])
    assert len(evaluations) == 40
    assert {e.status for e in evaluations.values()} == {Status.OK, Status.ERROR}


def test_sequential_runner_stops_code_that_defeats_the_alarm():
    """The sequential backend's deadline is hard for Python code: a task that sets the
    alarm to be ignored and spins is stopped and recorded as a timeout."""
    problem = Faulty(hang=3, stuck=3)
    stuck, hang = genomes_with(problem, "stuck", 1) + genomes_with(problem, "hang", 1)
    good = genomes_with(problem, None, 1)
    started = time.monotonic()
    results = evaluate(SequentialRunner(), problem, [stuck, hang, *good], timeout=0.5)
    assert [r.status for r in results] == [Status.TIMEOUT, Status.TIMEOUT, Status.OK]
    assert time.monotonic() - started < 10


def stubborn():
    """Swallows every exception thrown into it: only killing its process ends it."""
    while True:
        try:  # noqa: SIM105  (a literal swallow is the point)
            time.sleep(0.05)
        except BaseException:
            pass


def test_a_task_killed_on_its_hard_deadline_records_how_long_it_ran():
    runner = LokyRunner(workers=1)
    try:
        [(index, failure)] = list(runner.map([(stubborn, ())], 0.5))
    finally:
        runner.close()
    assert isinstance(failure, TaskFailure) and failure.kind == "timeout"
    assert failure.elapsed >= 2.5  # timeout + grace

    class Replay(SequentialRunner):
        def map(self, tasks, timeout):
            yield 0, failure

    [evaluation] = Evaluator(ProblemRef(instance=Faulty()), Replay(), 0.5).evaluate(
        [Candidate.new([0.0] * 5)]
    )
    assert evaluation.status is Status.TIMEOUT and evaluation.wall_time == failure.elapsed
