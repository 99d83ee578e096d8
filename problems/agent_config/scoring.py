"""Run an agent on tasks and fold the outcomes into one ``Evaluation``: objectives,
per-task scores, descriptors, feedback text for prompts, and artifacts (traces, crash
tracebacks, conditions no skill achieved)."""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from evo.genomes.operators import HINTS_ARTIFACT
from evo.records import Evaluation, Status
from problems.agent_config.outcome import Outcome

COSTS = {"steps": "steps", "tokens": "tokens", "dollars": "cost"}
"""Cost objective name to the ``Outcome`` field it averages."""
TRACE_CHARS = 1500
SHOWN_FAILURES = 6


@dataclass(frozen=True)
class TaskResult:
    """One task's outcome, or why the agent crashed on it."""

    task_id: str
    goal: str
    outcome: Outcome | None
    crash: str = ""
    traceback: str = ""


def _goal(task: Any) -> str:
    if isinstance(task, dict):
        return str(task.get("goal") or task.get("id") or task)
    return str(task)


def run_tasks(
    run_agent: Callable[..., Any],
    config: dict[str, Any],
    tasks: Sequence[tuple[str, Any]],
    agent_params: dict[str, Any],
) -> list[TaskResult]:
    """Run ``run_agent(config, task, **agent_params)`` on each ``(id, task)``; a crash or a
    malformed outcome is recorded for that task and the others still run."""
    results = []
    for task_id, task in tasks:
        try:
            outcome = Outcome.coerce(run_agent(dict(config), task, **agent_params))
        except Exception as exc:  # an agent crash is data for this task
            results.append(
                TaskResult(
                    task_id,
                    _goal(task),
                    None,
                    f"{type(exc).__name__}: {exc}",
                    "".join(traceback.format_exception(exc)[-8:]),
                )
            )
            continue
        results.append(TaskResult(task_id, _goal(task), outcome))
    return results


def mean_score(results: Sequence[TaskResult]) -> float:
    """Mean task score (crashes score 0)."""
    return float(np.mean([r.outcome.score if r.outcome else 0.0 for r in results]))


def _feedback(results: Sequence[TaskResult], cost: str, values: dict[str, float]) -> str:
    done = [r for r in results if r.outcome]
    solved = sum(r.outcome.solved for r in done)
    lines = [
        f"solved {solved} of {len(results)} tasks (score {values['success']:.3f}, "
        f"{values[cost]:.4g} {cost} per task)"
    ]
    notes = Counter(
        f"{r.goal}: {r.outcome.note or 'not solved'}" for r in done if not r.outcome.solved
    )
    if notes:
        lines.append("failures:")
        lines += [
            f"- {text}" + (f" (x{n})" if n > 1 else "")
            for text, n in notes.most_common(SHOWN_FAILURES)
        ]
        if len(notes) > SHOWN_FAILURES:
            lines.append(f"- ... and {len(notes) - SHOWN_FAILURES} more")
    crashes = [r for r in results if r.outcome is None]
    if crashes:
        lines.append(
            f"the agent crashed on {len(crashes)} task(s), "
            f"e.g. {crashes[0].task_id}: {crashes[0].crash}"
        )
    return "\n".join(lines)


def _artifacts(results: Sequence[TaskResult]) -> dict[str, str]:
    artifacts: dict[str, str] = {}
    unmet = Counter(c for r in results if r.outcome for c in r.outcome.unmet)
    if unmet:
        artifacts[HINTS_ARTIFACT] = "\n".join(c for c, _ in unmet.most_common())
    failed = [r for r in results if r.outcome and not r.outcome.solved and r.outcome.trace][:2]
    if failed:
        artifacts["traces"] = "\n\n".join(
            f"## {r.task_id}: {r.goal}\n{r.outcome.trace[:TRACE_CHARS]}"
            for r in failed
            if r.outcome
        )
    crashes = [r for r in results if r.outcome is None][:2]
    if crashes:
        artifacts["crashes"] = "\n\n".join(f"## {r.task_id}\n{r.traceback}" for r in crashes)
    return artifacts


def evaluation(
    results: Sequence[TaskResult],
    cost: str,
    stage: int,
    extra: dict[str, float] | None = None,
    note: str = "",
) -> Evaluation:
    """The ``Evaluation`` of a genome from its task results (an error if every task crashed)."""
    done = [r.outcome for r in results if r.outcome is not None]
    if not done:
        first = results[0]
        return Evaluation.failure(
            Status.ERROR,
            f"the agent crashed on every task ({len(results)}), "
            f"e.g. {first.task_id}: {first.crash}",
            artifacts=_artifacts(results),
        )
    field = COSTS[cost]
    worst = max(float(getattr(o, field)) for o in done)
    costs = [float(getattr(r.outcome, field)) if r.outcome else worst for r in results]
    values = {"success": mean_score(results), cost: float(np.mean(costs))}
    descriptors = {
        "solved": float(np.mean([bool(r.outcome and r.outcome.solved) for r in results])),
        "stage": float(stage),
        "tasks": float(len(results)),
        "steps": float(np.mean([o.steps for o in done])),
        "tokens": float(np.mean([o.tokens for o in done])),
        "dollars": float(np.mean([o.cost for o in done])),
        "crashes": float(len(results) - len(done)),
    } | dict(extra or {})
    feedback = _feedback(results, cost, values) + (f"\n{note}" if note else "")
    return Evaluation(
        objectives=values,
        instance_scores={r.task_id: (r.outcome.score if r.outcome else 0.0) for r in results},
        descriptors=descriptors,
        feedback=feedback,
        artifacts=_artifacts(results),
    )
