"""Rich progress display for a running experiment."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from evo.config import ExperimentConfig
from evo.engine import GenerationSummary
from evo.engine.stats import summary_line
from evo.records import Evaluation


def expected_evaluations(config: ExperimentConfig) -> int | None:
    """Evaluations the budget allows, when it can be known up front."""
    budget, population = config.budget, config.population
    by_generations = None
    if budget.generations is not None:
        offspring = population.offspring or population.size
        by_generations = population.size + (budget.generations - 1) * offspring
    limits = [x for x in (budget.evaluations, by_generations) if x is not None]
    return min(limits) if limits else None


class RunProgress:
    """Shows generation, evaluations (with rate), the current bests and, with a model, its
    calls, tokens and dollars (``usage``) while a run works."""

    def __init__(
        self,
        config: ExperimentConfig,
        done: int,
        console: Console | None = None,
        label: str = "",
        usage: Callable[[], str] | None = None,
    ) -> None:
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[best]}"),
            console=self.console,
            transient=False,
        )
        self.label = f"{label} " if label else ""
        self.task = self.progress.add_task(
            f"{self.label}gen 0",
            total=expected_evaluations(config),
            completed=done,
            rate="",
            best="",
        )
        self.started = time.monotonic()
        self.counted = 0
        self.usage = usage

    def __enter__(self) -> RunProgress:
        self.progress.start()
        return self

    def __exit__(
        self, kind: type | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()

    def evaluation(self, evaluation: Evaluation) -> None:
        """Count one finished evaluation."""
        self.counted += 1
        rate = self.counted / max(time.monotonic() - self.started, 1e-9)
        self.progress.update(self.task, advance=1, rate=f"{rate:.1f} eval/s")

    def generation(self, summary: GenerationSummary) -> None:
        """Show the closed generation's bests."""
        self.progress.update(
            self.task,
            description=f"{self.label}gen {summary.generation}",
            completed=summary.evaluations,
            best=summary_line(summary.stats, summary.hypervolume)
            + (f" | {self.usage()}" if self.usage else ""),
        )
