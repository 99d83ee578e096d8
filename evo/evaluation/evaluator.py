"""Evaluate candidates and play matches through a runner, turning failures into records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from evo.evaluation.runners import Runner, TaskFailure
from evo.evaluation.task import MatchResult, ProblemRef, evaluate_task, match_task
from evo.records import Candidate, Evaluation, Genome, Status


class Evaluator:
    """Sends evaluation and match tasks to a runner under a per-task time limit.

    Args:
        ref: how workers get the problem.
        runner: where tasks run.
        timeout: seconds per task.
        scratch: default scratch bytes of the sandboxes an evaluation starts (None: 256 MiB).
    """

    def __init__(
        self, ref: ProblemRef, runner: Runner, timeout: float, scratch: int | None = None
    ) -> None:
        self.ref = ref
        self.runner = runner
        self.timeout = timeout
        self.scratch = scratch

    def evaluate(self, candidates: Sequence[Candidate]) -> Iterator[Evaluation]:
        """Yield one evaluation per candidate as each completes."""
        tasks = [
            (evaluate_task, (self.ref, c.genome, self.timeout, self.scratch)) for c in candidates
        ]
        for index, result in self.runner.map(tasks, self.timeout):
            if isinstance(result, TaskFailure):
                kind, reason, elapsed = Status(result.kind), result.reason, result.elapsed
                result = Evaluation.failure(kind, reason, wall_time=elapsed)
            yield result.with_fields(candidate_id=candidates[index].id)

    def play(self, pairs: Sequence[tuple[Genome, Genome]]) -> Iterator[tuple[int, MatchResult]]:
        """Yield ``(pair index, result)`` for every pair as each match completes."""
        tasks = [(match_task, (self.ref, a, b, self.timeout)) for a, b in pairs]
        for index, result in self.runner.map(tasks, self.timeout):
            if isinstance(result, TaskFailure):
                result = MatchResult(None, result.reason)
            yield index, result
