"""The end-of-run re-verification has a deadline: an evaluator that never returns is
killed with its fresh process, and the run still gets its summary line."""

import time

from evo.evaluation.isolated import evaluate_in_child
from evo.records import Candidate, Evaluation, Status
from evo.selection.base import Member
from evo.store import Store
from problems.program import ProgramProblem

SOURCE = "# EVOLVE-BLOCK-START\nX = 1\n# EVOLVE-BLOCK-END\n"


def problem(tmp_path):
    initial = tmp_path / "initial.py"
    initial.write_text(SOURCE)
    return ProgramProblem("stubborn_evaluator:Stubborn", str(initial))


def test_a_fresh_process_evaluates_like_this_one(tmp_path):
    evaluation = evaluate_in_child(problem(tmp_path), SOURCE, timeout=5)
    assert evaluation.status is Status.OK and evaluation.objectives == {"score": len(SOURCE)}


def test_reverification_that_never_returns_is_killed_on_time(tmp_path):
    stubborn = SOURCE + "# STUBBORN\n"
    store = Store.in_dir(tmp_path, create=True)
    store.set_meta("config", {"evaluation": {"timeout": 0.5}})
    best = Member(Candidate.new(stubborn), Evaluation(objectives={"score": 1.0}))
    started = time.monotonic()
    lines = problem(tmp_path).finish(tmp_path, [best], store)
    assert time.monotonic() - started < 30
    verified = store.meta("verified_best")
    assert verified["status"] == "timeout" and "DIFFERS (timeout" in lines[0]
    store.close()
