"""Parallel, time-limited evaluation of candidates and matches."""

from evo.evaluation.evaluator import Evaluator
from evo.evaluation.runners import (
    DaskRunner,
    LokyRunner,
    Runner,
    SequentialRunner,
    TaskFailure,
    make_runner,
)
from evo.evaluation.task import ProblemRef

__all__ = [
    "DaskRunner",
    "Evaluator",
    "LokyRunner",
    "ProblemRef",
    "Runner",
    "SequentialRunner",
    "TaskFailure",
    "make_runner",
]
