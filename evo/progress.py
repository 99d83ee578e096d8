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


class LogProgress:
    """Progress for a log (output not a terminal): a plain line at most every
    ``every`` seconds: generation, evaluations of the budget, bests, rate, model use,
    and the time left when the budget says."""

    def __init__(
        self,
        config: ExperimentConfig,
        done: int,
        console: Console | None = None,
        label: str = "",
        usage: Callable[[], str] | None = None,
        every: float = 5.0,
    ) -> None:
        self.console = console or Console(stderr=True)
        self.total = expected_evaluations(config)
        self.wall_time = config.budget.wall_time
        self.label = f"{label} " if label else ""
        self.usage = usage
        self.every = every
        self.done = done
        self.counted = 0
        self.started = time.monotonic()
        self.shown = -every

    def __enter__(self) -> LogProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def evaluation(self, evaluation: Evaluation) -> None:
        """Count one finished evaluation."""
        self.counted += 1
        self.done += 1

    def generation(self, summary: GenerationSummary) -> None:
        """Print a line if ``every`` seconds have passed since the last one."""
        self.done = summary.evaluations
        now = time.monotonic()
        if now - self.shown < self.every:
            return
        self.shown = now
        elapsed = now - self.started
        rate = self.counted / max(elapsed, 1e-9)
        of = f"/{self.total}" if self.total else ""
        parts = [
            f"{self.label}gen {summary.generation}",
            f"evaluations {self.done}{of}",
            f"{rate:.1f} eval/s",
            summary_line(summary.stats, summary.hypervolume),
        ]
        left = []
        if self.total and rate > 0:
            left.append(max(self.total - self.done, 0) / rate)
        if self.wall_time:
            left.append(max(self.wall_time - summary.elapsed, 0.0))
        if left:
            parts.append(f"eta {_duration(min(left))}")
        if self.usage:
            parts.append(self.usage())
        self.console.print(" | ".join(p for p in parts if p), markup=False, soft_wrap=True)


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}m{rest:02d}s" if minutes else f"{rest}s"


def progress_for(
    config: ExperimentConfig,
    done: int,
    console: Console,
    label: str = "",
    usage: Callable[[], str] | None = None,
) -> RunProgress | LogProgress:
    """A live bar on a terminal, plain lines in a log."""
    kind = RunProgress if console.is_terminal else LogProgress
    return kind(config, done, console, label=label, usage=usage)
