"""The typer application behind ``evo``: run, resume, export, plot, problems."""

from __future__ import annotations

import errno
import functools
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from evo.errors import EvoError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Evolutionary search for programs, Core War warriors and agent configurations.",
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a config value: KEY.PATH=VALUE (repeatable)."),
]


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Print an ``EvoError`` as one line on stderr and exit 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except EvoError as exc:
            for line in str(exc).splitlines():
                err.print(f"error: {line}", markup=False)
            raise typer.Exit(2) from None
        except sqlite3.DatabaseError as exc:  # damaged, unreadable or full: never a traceback
            err.print(f"error: the run store failed: {exc} ({_store_hint(exc)})", markup=False)
            raise typer.Exit(2) from None
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
            err.print(f"error: {exc.filename or 'a file'}: the disk is full", markup=False)
            raise typer.Exit(2) from None

    return wrapper


def _store_hint(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "full" in text:
        return "free some disk space, then `evo resume` loses nothing committed"
    if "readonly" in text or "read-only" in text:
        return "the run directory or its run.sqlite is not writable"
    return "run.sqlite is damaged; the committed part may still export"


def _execute(run: Any, quiet: bool) -> None:
    from evo.progress import progress_for
    from evo.run import summarize

    try:
        if quiet:
            reason = run.execute()
        else:
            usage = None
            if run.config.llm is not None:
                from evo.llm.pricing import usage_line

                usage = functools.partial(usage_line, run.store)
            done = run.store.evaluation_count()
            with progress_for(run.config, done, err, usage=usage) as progress:
                reason = run.execute(progress.evaluation, progress.generation)
        lines = summarize(run, reason)
        succeeded = run.store.status_counts().get("ok", 0)
    except KeyboardInterrupt:
        err.print(f"interrupted; continue with: evo resume {run.run_dir}")
        raise typer.Exit(130) from None
    finally:
        run.close()
    for line in lines:
        print(line)
    _plot(run.run_dir)
    if not succeeded:
        err.print("error: no evaluation succeeded (reasons above)", markup=False)
        raise typer.Exit(1)


def _execute_rounds(driver: Any, quiet: bool) -> None:
    from evo.progress import LogProgress, RunProgress, progress_for

    shown: list[RunProgress | LogProgress] = []

    def next_round(index: int, run: Any) -> None:
        if shown:
            shown.pop().__exit__(None, None, None)
        if not quiet:
            progress = progress_for(
                run.config, run.store.evaluation_count(), err, label=f"round {index}"
            )
            shown.append(progress.__enter__())

    def forward(method: str) -> Any:
        return None if quiet else lambda x: getattr(shown[-1], method)(x)

    try:
        driver.execute(next_round, forward("evaluation"), forward("generation"))
        lines = driver.summary()
    except KeyboardInterrupt:
        err.print(f"interrupted; continue with: evo resume {driver.run_dir}")
        raise typer.Exit(130) from None
    finally:
        if shown:
            shown.pop().__exit__(None, None, None)
        driver.close()
    for line in lines:
        print(line)
    _plot(driver.run_dir)


def _plot(run_dir: Path) -> None:
    """Draw a finished run's figures; what cannot be drawn is said, never raised."""
    from evo.plots import plot_run

    skipped: list[str] = []
    try:
        paths = plot_run(run_dir, skipped)
    except Exception as exc:  # a finished run is never turned into a traceback
        print(f"plots: none drawn ({type(exc).__name__}: {exc})")
        return
    if paths:
        print(f"plots: {paths[0].parent}")
    for line in skipped:
        print(f"plot skipped: {line}")


@app.command()
@user_errors
def run(
    config: Annotated[Path, typer.Argument(help="Experiment YAML file.")],
    set_: SetOption = None,
    run_dir: Annotated[Path | None, typer.Option(help="Where to write the run.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Start an experiment from a YAML config."""
    from evo.config import load_config
    from evo.run import Run

    sys.path.insert(0, os.getcwd())
    experiment = load_config(config, set_ or [])
    if experiment.red_queen is not None:
        from evo.redqueen import RedQueen

        driver = RedQueen.create(experiment, run_dir)
        print(f"run dir: {driver.run_dir}")
        _execute_rounds(driver, quiet)
        return
    handle = Run.create(experiment, run_dir)
    print(f"run dir: {handle.run_dir}")
    _execute(handle, quiet)


@app.command()
@user_errors
def resume(
    run_dir: Annotated[Path, typer.Argument(help="Directory of the run to continue.")],
    set_: SetOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Continue a stopped or killed run (``--set budget.X=...`` extends it)."""
    from evo.redqueen import RedQueen, is_red_queen
    from evo.run import Run, enter_workdir

    sys.path.insert(0, os.getcwd())
    shown = run_dir
    run_dir = enter_workdir(run_dir, change_dir=True)
    if is_red_queen(run_dir):
        driver = RedQueen.resume(run_dir, set_ or [])
        print(f"resuming {shown} at round {len(driver.rounds())}")
        _execute_rounds(driver, quiet)
        return
    handle = Run.resume(run_dir, set_ or [])
    done = handle.store.evaluation_count()
    out.print(
        f"resuming {shown} at generation {handle.engine.generation} ({done} evaluations done)",
        markup=False,
    )
    _execute(handle, quiet)


@app.command("export")
@user_errors
def export_command(
    run_dir: Annotated[Path, typer.Argument(help="Run directory.")],
    to: Annotated[
        Path | None, typer.Option("--out", help="Where to write (default RUN_DIR/export).")
    ] = None,
) -> None:
    """Write the run's tables to RUN_DIR/export/*.parquet (or --out DIR)."""
    from evo.export import export_run

    for path in export_run(run_dir, to):
        out.print(str(path), markup=False)


@app.command()
@user_errors
def plot(run_dir: Annotated[Path, typer.Argument(help="Run directory.")]) -> None:
    """Draw the run's figures to RUN_DIR/plots/*.png."""
    from evo.plots import plot_run
    from evo.run import enter_workdir

    sys.path.insert(0, os.getcwd())
    run_dir = enter_workdir(run_dir, change_dir=False)
    skipped: list[str] = []
    paths = plot_run(run_dir, skipped)
    if not paths and not skipped:
        err.print("nothing to plot yet (no completed generation)")
    for path in paths:
        out.print(str(path), markup=False)
    for line in skipped:
        err.print(f"plot skipped: {line}", markup=False)


@app.command()
@user_errors
def problems() -> None:
    """List the registered problems."""
    from evo.registry import describe_all

    sys.path.insert(0, os.getcwd())
    rows = describe_all()
    width = max((len(name) for name, _ in rows), default=0)
    for name, description in rows:
        out.print(f"{name.ljust(width)}  {description}", markup=False)


def _forwarder(target: str) -> Callable[[typer.Context], None]:
    def forward(ctx: typer.Context) -> None:
        from evo.cli import run_fast

        raise typer.Exit(run_fast(target, ctx.args))

    return forward


def _list_plugin_commands() -> None:
    """Show the fast subcommands (dispatched by ``evo.cli.main`` before this app loads)
    in ``evo --help``; reaching one here forwards its arguments to it."""
    from evo.cli import plugin_commands

    for name, (target, summary) in sorted(plugin_commands().items()):
        app.command(
            name,
            help=summary,
            add_help_option=False,
            context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        )(_forwarder(target))


_list_plugin_commands()
