"""What runs inside a worker: build the problem once per process, evaluate under a deadline."""

from __future__ import annotations

import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from evo.problem import Problem, coerce_evaluation
from evo.records import Evaluation, Genome, Status

_PROBLEMS: dict[str, Problem] = {}


class DeadlineExceeded(BaseException):
    """Raised inside a task when its time limit passes (a BaseException, so that an
    evaluator's own ``except Exception`` cannot swallow it)."""


@dataclass
class ProblemRef:
    """How a worker gets the problem: rebuilt from its spec, or a pickled instance.

    With a spec only the name and parameters cross the process boundary, and each
    worker process builds the problem once.
    """

    spec: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    instance: Problem | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if self.spec is not None:
            state["instance"] = None
        return state

    def key(self) -> str:
        import json

        return json.dumps([self.spec, self.params], sort_keys=True, default=str)

    def get(self) -> Problem:
        """The problem instance for this process."""
        if self.instance is not None:
            return self.instance
        key = self.key()
        if key not in _PROBLEMS:
            from evo import registry

            _PROBLEMS[key] = registry.create(self.spec or "", self.params)
        return _PROBLEMS[key]


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise ``DeadlineExceeded`` in this thread after ``seconds`` (main thread only;
    elsewhere the runner's own watchdog enforces the limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise DeadlineExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _failure_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)[-12:])


def evaluate_task(ref: ProblemRef, genome: Genome, timeout: float) -> Evaluation:
    """Evaluate ``genome``; exceptions and overruns become error / timeout records."""
    start = time.perf_counter()
    try:
        problem = ref.get()
        with deadline(timeout):
            result = problem.evaluate(genome)
        evaluation = coerce_evaluation(result, problem.objectives)
    except DeadlineExceeded:
        evaluation = Evaluation.failure(Status.TIMEOUT, f"evaluation exceeded {timeout:g} s")
    except Exception as exc:  # failures are data: the run goes on
        evaluation = Evaluation.failure(
            Status.ERROR,
            f"evaluate raised {type(exc).__name__}: {exc}",
            artifacts={"traceback": _failure_text(exc)},
        )
    return evaluation.with_fields(wall_time=time.perf_counter() - start)


@dataclass(frozen=True)
class MatchResult:
    """Outcome of one match task: ``outcome`` for the first player, or why there is none."""

    outcome: float | None
    error: str = ""


def match_task(ref: ProblemRef, a: Genome, b: Genome, timeout: float) -> MatchResult:
    """Play ``a`` against ``b``; failures are reported, not raised."""
    try:
        problem = ref.get()
        with deadline(timeout):
            outcome = float(problem.match(a, b))
    except DeadlineExceeded:
        return MatchResult(None, f"match exceeded {timeout:g} s")
    except Exception as exc:
        return MatchResult(None, f"match raised {type(exc).__name__}: {exc}")
    if not 0.0 <= outcome <= 1.0:
        return MatchResult(None, f"match outcome {outcome!r} is outside [0, 1]")
    return MatchResult(outcome)


TaskFn = Callable[..., Any]
