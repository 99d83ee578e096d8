"""Checks of a problem adapter before a run starts: ``prepare`` runs, ``seeds`` gives JSON
genomes and the first of them evaluates ok. Each mistake is one line naming the method at
fault."""

from __future__ import annotations

import sys
import threading
from typing import Any

import numpy as np

from evo.errors import EvoError
from evo.evaluation.deadline import DeadlineExceeded, deadline
from evo.problem import Problem, coerce_evaluation
from evo.records import Genome, canonical_json
from evo.registry import raised_at


class AdapterError(EvoError):
    """A problem adapter broke its contract; the message names the method."""


PREPARE_NOTICE = 3.0
"""Seconds of ``prepare`` after which the user is told what the wait is."""


def check_adapter(problem: Problem, seed: int, timeout: float) -> None:
    """Raise ``AdapterError`` unless ``prepare``, ``seeds`` and ``evaluate`` keep their
    contract."""
    prepare(problem)
    genomes = checked_seeds(problem, np.random.default_rng(seed))
    try:
        check_first_evaluation(problem, genomes[0], timeout)
    except AdapterError as exc:
        if all(isinstance(g, int | float) for g in genomes):
            raise AdapterError(
                f"{exc}; the genome was {genomes[0]!r}: did seeds() return one genome"
                " instead of a list of genomes?"
            ) from None
        raise


def prepare(problem: Problem) -> None:
    """Run ``problem.prepare`` (no deadline); if it is slow, say on stderr what the wait is
    (the first line of the method's docstring)."""
    method = f"{type(problem).__name__}.prepare()"
    what = (type(problem).prepare.__doc__ or "one-time set-up").strip().splitlines()[0]
    notice = threading.Timer(
        PREPARE_NOTICE, lambda: print(f"evo: {method}: {what}", file=sys.stderr, flush=True)
    )
    notice.daemon = True
    notice.start()
    try:
        _call(method, problem.prepare)
    finally:
        notice.cancel()


def checked_seeds(problem: Problem, rng: np.random.Generator) -> list[Genome]:
    """What ``problem.seeds`` returns, checked to be a non-empty list of JSON genomes."""
    method = f"{type(problem).__name__}.seeds()"
    seeds = _call(method, problem.seeds, rng, 2)
    if not isinstance(seeds, list | tuple):
        raise AdapterError(f"{method} returned {_kind(seeds)}, not a list of genomes")
    if not seeds:
        raise AdapterError(f"{method} returned an empty list")
    for index, genome in enumerate(seeds):
        try:
            canonical_json(genome)
        except (TypeError, ValueError) as exc:
            hint = " (convert numpy arrays with .tolist())" if _has_numpy(genome) else ""
            raise AdapterError(
                f"{method} returned a genome that is not JSON data (item {index}: {exc}){hint}"
            ) from None
    return list(seeds)


def check_first_evaluation(problem: Problem, genome: Genome, timeout: float) -> None:
    """``problem.evaluate`` on ``genome`` returns an ok result with every objective."""
    method = f"{type(problem).__name__}.evaluate()"
    try:
        with deadline(timeout):
            result = _call(method, problem.evaluate, genome)
    except DeadlineExceeded:
        raise AdapterError(
            f"{method} took more than evaluation.timeout ({timeout:g} s) on the first seed"
        ) from None
    evaluation = coerce_evaluation(result, problem.objectives)
    if not evaluation.ok:
        reason = (evaluation.feedback or "no reason given").strip().splitlines()[0][:300]
        raise AdapterError(
            f"{method} on the first seed gave {evaluation.status.value}: {reason}"
            " (seeds must evaluate ok)"
        )


def _call(method: str, function: Any, *args: Any) -> Any:
    try:
        return function(*args)
    except NotImplementedError:
        raise AdapterError(f"{method} is not implemented") from None
    except Exception as exc:
        raise AdapterError(
            f"{method} raised {type(exc).__name__}: {exc} ({raised_at(exc)})"
        ) from None


def _kind(value: Any) -> str:
    return "None" if value is None else f"a {type(value).__name__}"


def _has_numpy(genome: Any) -> bool:
    if isinstance(genome, np.ndarray | np.generic):
        return True
    if isinstance(genome, dict):
        return any(_has_numpy(v) for v in genome.values())
    if isinstance(genome, list | tuple):
        return any(_has_numpy(v) for v in genome)
    return False
