"""The experience pool: lessons distilled from the run's history, fed into prompts.

Every ``every`` generations, statistics of the history are gathered (how often each
operator beat its parent, which failures recur, how the best score moved); the model
turns them into lessons when one is configured and allowed to, otherwise the statistics
themselves become the lessons. Lessons are stored in the run and survive a resume.
"""

from __future__ import annotations

from typing import Any

from evo.llm import prompts
from evo.llm.client import BudgetExhausted, LLMClient, ModelFailure
from evo.records import Status


def operator_success(store: Any, objective: str, sign: float) -> dict[str, tuple[int, int]]:
    """Per operator: children evaluated, and how many beat their first parent."""
    evaluations = store.evaluations()
    candidates = store.candidates(evaluations)
    scores = {cid: e.objectives.get(objective) for cid, e in evaluations.items()}
    tally: dict[str, list[int]] = {}
    for cid, evaluation in evaluations.items():
        child = candidates.get(cid)
        if child is None or child.operator == "seed":
            continue
        counts = tally.setdefault(child.operator, [0, 0])
        counts[0] += 1
        parent = scores.get(child.parents[0]) if child.parents else None
        value = evaluation.objectives.get(objective)
        if (
            evaluation.status is Status.OK
            and parent is not None
            and value is not None
            and sign * value > sign * parent
        ):
            counts[1] += 1
    return {k: (v[0], v[1]) for k, v in tally.items()}


def statistics(store: Any, objective: str, sign: float) -> list[str]:
    """Plain-language statistics of the history: the fallback lessons."""
    lines = []
    for operator, (tried, better) in sorted(operator_success(store, objective, sign).items()):
        if tried:
            lines.append(
                f"{operator}: {better} of {tried} children beat their parent ({better / tried:.0%})"
            )
    for reason, count in store.failure_reasons(3):
        lines.append(f"recurring failure ({count}x): {reason}")
    for error, count in store.rejection_reasons(2):
        lines.append(f"model answers rejected ({count}x): {(error or 'no reason recorded')[:160]}")
    return lines


class ExperiencePool:
    """Distils lessons at generation ends (an engine observer) and serves them."""

    def __init__(
        self, store: Any, problem: Any, every: int, count: int, client: LLMClient | None
    ) -> None:
        self.store = store
        self.problem = problem
        self.every = every
        self.count = count
        self.client = client
        self.lessons = store.latest_lessons()

    def __call__(self, summary: Any) -> None:
        generation = summary.generation
        if generation == 0 or generation % self.every:
            return
        objective = self.problem.objectives[0] if self.problem.objectives else None
        if objective is None:
            return
        facts = statistics(self.store, objective.name, objective.sign())
        if not facts:
            return
        lessons, source = facts[: self.count], "statistics"
        if self.client is not None:
            distilled = self._ask_model(facts, generation)
            if distilled:
                lessons, source = distilled, "model"
        self.store.record_lessons(generation, source, lessons)
        self.lessons = lessons

    def _ask_model(self, facts: list[str], generation: int) -> list[str]:
        text = prompts.render(
            "lessons",
            task=self.problem.describe(),
            count=self.count,
            statistics="\n".join(f"- {f}" for f in facts),
        )
        try:
            answer = self.client.complete_sync(
                [{"role": "user", "content": text}],
                operator="experience",
                candidate=None,
                generation=generation,
            )
        except (BudgetExhausted, ModelFailure):
            return []
        return parse_lessons(answer.text, self.count)


MAX_LESSON = 300
"""Characters: a lesson is a sentence, not a program."""


def parse_lessons(text: str, count: int) -> list[str]:
    """The lessons in a model's answer: its ``- `` bullet lines, outside code blocks, that
    read as a sentence (three words or more, at most ``MAX_LESSON`` characters); at most
    ``count``."""
    lessons, fenced = [], False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced or not line.startswith(("- ", "* ")):
            continue
        lesson = line[2:].strip()
        words = [w for w in lesson.split() if any(ch.isalpha() for ch in w)]
        if len(words) >= 3 and len(lesson) <= MAX_LESSON:
            lessons.append(lesson)
    return lessons[:count]
