"""What runs inside a worker: build the problem once per process, evaluate under a deadline."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from evo.evaluation.deadline import DeadlineExceeded, deadline
from evo.problem import Problem, coerce_evaluation
from evo.records import Evaluation, Genome, Status
from evo.sandbox import scratch_default

_PROBLEMS: dict[str, Problem] = {}


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


def _failure_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)[-12:])


def evaluate_task(
    ref: ProblemRef, genome: Genome, timeout: float, scratch: int | None = None
) -> Evaluation:
    """Evaluate ``genome``; exceptions and overruns become error / timeout records.
    Sandboxed calls made meanwhile get ``scratch`` bytes of scratch space by default."""
    start = time.perf_counter()
    try:
        problem = ref.get()
        with deadline(timeout), scratch_default(scratch):
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
