"""One evaluation in a fresh process with a hard deadline (e.g. re-verifying a run's best
candidate at its end): whatever the evaluation does, the caller gets a record in time."""

from __future__ import annotations

import multiprocessing
import os
import time
from multiprocessing.connection import Connection

from evo.evaluation.lifetime import die_with_parent
from evo.evaluation.runners import age, grace
from evo.evaluation.task import ProblemRef, evaluate_task
from evo.problem import Problem
from evo.records import Evaluation, Genome, Status

STARTUP = 60.0
"""Seconds allowed for the fresh process to start and build the problem."""
READY = "ready"


def _child(
    ref: ProblemRef,
    genome: Genome,
    timeout: float,
    scratch: int | None,
    send: Connection,
    parent: int,
) -> None:
    die_with_parent(parent)
    ref.get()  # build the problem before the clock starts
    send.send(READY)
    send.send(evaluate_task(ref, genome, timeout, scratch))


def evaluate_in_child(
    problem: Problem, genome: Genome, timeout: float, scratch: int | None = None
) -> Evaluation:
    """Evaluate ``genome`` in a fresh (spawned) process, killed if it has no result
    ``timeout`` (plus a grace period) seconds after start-up, itself bounded by
    ``STARTUP``."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    ref = ProblemRef(instance=problem)
    child = context.Process(
        target=_child, args=(ref, genome, timeout, scratch, send, os.getpid()), daemon=True
    )
    started = time.monotonic()
    try:
        child.start()
        send.close()
        for stage, limit in (("start", STARTUP), ("result", timeout + grace(timeout))):
            if not receive.poll(limit):
                reason = f"a fresh process gave no {stage} within {limit:g} s; killed"
                return Evaluation.failure(Status.TIMEOUT, reason, wall_time=age(started))
            answer = receive.recv()
        return answer
    except (EOFError, OSError) as exc:
        reason = f"the fresh evaluation process failed: {type(exc).__name__}: {exc}"
        return Evaluation.failure(Status.ERROR, reason, wall_time=age(started))
    except Exception as exc:  # the problem cannot be sent to a fresh process (pickling)
        reason = f"cannot evaluate in a fresh process: {type(exc).__name__}: {exc}"
        return Evaluation.failure(Status.ERROR, reason)
    finally:
        if child.pid is not None:
            child.kill()
            child.join()
        send.close()
        receive.close()
