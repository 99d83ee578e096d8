"""Evolving Python programs: the genome is source text with EVOLVE-BLOCK regions.

The user supplies an evaluator class (``module:Class``), OpenEvolve-style:

    class MyEvaluator:
        objectives = [("score", "max")]            # names and directions
        def evaluate_stage1(self, program_path):   # optional cheap check
            return {"score": ...}
        def evaluate(self, program_path):          # the full evaluation
            return {"score": ..., "feedback": "text for prompts"}

and runs the candidate program through ``evo.sandbox.call``, never by importing it.
With a cascade, the full evaluation runs only when stage 1 reaches ``cascade_threshold``
on the first objective. Metrics that are missing or not finite make the candidate
invalid; an evaluator that raises makes it an error. At the end of a run the best
program is evaluated once more, in a fresh process under the run's evaluation timeout,
and the result stored separately.
"""

from __future__ import annotations

import importlib
import inspect
import math
import reprlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from evo.evaluation.isolated import evaluate_in_child
from evo.problem import Problem
from evo.records import Evaluation, Objective, Status
from evo.sandbox.workspace import Workspace
from problems.program.numbers import finite
from problems.program.operators import crossover_programs, mutate_program, parses


def load_evaluator(spec: str, params: dict[str, Any] | None = None) -> Any:
    """Instantiate the evaluator class named ``module:Class`` with ``params``."""
    module_name, _, attr = spec.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"evaluator {spec!r} cannot be loaded: {exc}") from None
    if not inspect.isclass(cls) or not hasattr(cls, "evaluate"):
        raise ValueError(f"evaluator {spec!r} is not a class with evaluate(program_path)")
    try:
        return cls(**(params or {}))
    except TypeError as exc:
        raise ValueError(f"evaluator {spec!r} rejected evaluator_params: {exc}") from None


class ProgramProblem(Problem):
    """Evolve a Python program scored by a user's evaluator.

    Args:
        evaluator: ``module:Class`` of the evaluator.
        initial_program: path of the starting program.
        cascade_threshold: stage-1 value of the first objective needed for stage 2.
        mutation_edits: maximum number of edits per mutation.
        evaluator_params: keyword arguments of the evaluator's constructor.
    """

    name = "program"
    description = "evolve a Python program (EVOLVE-BLOCK regions) scored by your evaluator"

    def __init__(
        self,
        evaluator: str,
        initial_program: str,
        cascade_threshold: float | None = None,
        mutation_edits: int = 2,
        evaluator_params: dict[str, Any] | None = None,
    ) -> None:
        self.evaluator_spec = evaluator
        self.evaluator_params = dict(evaluator_params or {})
        self.evaluator = load_evaluator(evaluator, self.evaluator_params)
        path = Path(initial_program)
        if not path.is_file():
            raise ValueError(f"initial_program {initial_program!r} does not exist")
        self.initial = path.read_text()
        if not parses(self.initial):
            raise ValueError(f"initial_program {initial_program!r} is not valid Python")
        self.cascade_threshold = cascade_threshold
        self.mutation_edits = mutation_edits
        self.objectives = tuple(
            o if isinstance(o, Objective) else Objective(*o) for o in self.evaluator.objectives
        )

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "evaluator"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.evaluator = load_evaluator(self.evaluator_spec, self.evaluator_params)

    def describe(self) -> str:
        return str(getattr(self.evaluator, "description", "") or self.description)

    def prompt_context(self) -> dict[str, str]:
        return {"language": "python", "cheatsheet": str(getattr(self.evaluator, "hints", ""))}

    def check_genome(self, genome: Any) -> str | None:
        if not isinstance(genome, str) or not parses(genome):
            return "not valid Python"
        return None

    def seeds(self, rng: np.random.Generator, n: int) -> list[str]:
        return [self.initial]

    def evaluate(self, genome: str) -> Evaluation:
        if not parses(genome):
            return Evaluation.failure(Status.INVALID, "the program is not valid Python")
        with Workspace("evo-program-") as workspace:
            path = workspace.path / "program.py"
            path.write_text(genome)
            return self._evaluate_file(str(path))

    def _evaluate_file(self, path: str) -> Evaluation:
        stage = 2
        first = self.objectives[0]
        if self.cascade_threshold is not None and hasattr(self.evaluator, "evaluate_stage1"):
            metrics = self.evaluator.evaluate_stage1(path)
            checked = self._check(metrics)
            if not isinstance(checked, dict):
                return checked
            if first.sign() * checked[first.name] < first.sign() * self.cascade_threshold:
                return self._result(metrics, checked, stage=1)
        metrics = self.evaluator.evaluate(path)
        checked = self._check(metrics)
        if not isinstance(checked, dict):
            return checked
        return self._result(metrics, checked, stage=stage)

    def _check(self, metrics: Any) -> dict[str, float] | Evaluation:
        if not isinstance(metrics, dict):
            return Evaluation.failure(Status.ERROR, f"evaluator returned {type(metrics).__name__}")
        if metrics.get("error"):
            status = Status.TIMEOUT if metrics.get("timeout") else Status.ERROR
            return Evaluation.failure(
                status,
                str(metrics["error"]),
                artifacts={k: str(v) for k, v in metrics.items() if k in ("stderr", "traceback")},
            )
        values = {}
        for objective in self.objectives:
            value = finite(metrics.get(objective.name))
            if value is None:
                shown = reprlib.repr(metrics.get(objective.name))
                reason = f"metric {objective.name!r} is not a finite number: {shown}"
                if metrics.get("feedback"):
                    reason += f" ({metrics['feedback']})"
                return Evaluation.failure(Status.INVALID, reason)
            values[objective.name] = value
        return values

    def _result(self, metrics: dict, values: dict[str, float], stage: int) -> Evaluation:
        numbers = {k: finite(v) for k, v in metrics.items() if k not in values}
        extra = {k: v for k, v in numbers.items() if v is not None}
        feedback = str(metrics.get("feedback", ""))
        if stage == 1:
            feedback = (feedback + " (stopped after the stage-1 check)").strip()
        return Evaluation(
            objectives=values, descriptors=extra | {"stage": float(stage)}, feedback=feedback
        )

    def mutate(self, genome: str, rng: np.random.Generator) -> str:
        for _ in range(int(rng.integers(1, self.mutation_edits + 1))):
            genome = mutate_program(genome, rng)
        return genome

    def crossover(self, a: str, b: str, rng: np.random.Generator) -> str:
        return crossover_programs(a, b, rng)

    def finish(self, run_dir: Path, population: Sequence[Any], store: Any) -> list[str]:
        """Re-verify the best program in a fresh process under the run's evaluation
        timeout (killed if it overruns); store it and its result."""
        valid = [m for m in population if m.evaluation.ok]
        if not valid:
            return []
        first = self.objectives[0]
        best = max(valid, key=lambda m: first.sign() * m.evaluation.objectives[first.name])
        settings = (store.meta("config") or {}).get("evaluation", {})
        timeout, scratch = settings.get("timeout", 60.0), settings.get("scratch")
        again = evaluate_in_child(self, best.candidate.genome, timeout, scratch)
        (Path(run_dir) / "best_program.py").write_text(best.candidate.genome)
        verified = {
            "candidate": best.id,
            "status": again.status.value,
            "objectives": dict(again.objectives),
            "feedback": again.feedback,
            "recorded": dict(best.evaluation.objectives),
        }
        store.set_meta("verified_best", verified)
        same = again.ok and all(
            math.isclose(again.objectives[k], v, rel_tol=1e-9, abs_tol=1e-12)
            for k, v in best.evaluation.objectives.items()
        )
        verdict = "confirmed" if same else f"DIFFERS ({again.status.value}: {again.feedback})"
        shown = ", ".join(f"{k} {v:.6g}" for k, v in again.objectives.items())
        return [
            f"best program re-verified in a fresh sandbox: {shown or '-'} — {verdict}; "
            f"saved as {Path(run_dir) / 'best_program.py'}"
        ]
