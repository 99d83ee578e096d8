"""A run on disk: its directory, store, config snapshot, lock, and the summary at the end."""

from __future__ import annotations

import contextlib
import fcntl
import fnmatch
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from evo import registry
from evo.config import ExperimentConfig, dump_config, validate
from evo.config.loading import apply_overrides
from evo.engine import Engine, GenerationSummary
from evo.errors import ConfigError, RunDirError
from evo.evaluation import Evaluator, ProblemRef, make_runner
from evo.preflight import check_adapter, prepare
from evo.problem import Problem
from evo.records import Evaluation
from evo.sandbox import sweep
from evo.selection import Member
from evo.store import DB_NAME, Store

LOCK_NAME = ".lock"


def default_run_dir(name: str, root: Path = Path("results")) -> Path:
    """``results/<name>-<timestamp>`` (with a suffix if that already exists)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = root / f"{name}-{stamp}"
    suffix = 1
    while candidate.exists():
        suffix += 1
        candidate = root / f"{name}-{stamp}-{suffix}"
    return candidate


@dataclass
class Run:
    """An open run: everything needed to continue it, rebuilt from its directory."""

    run_dir: Path
    config: ExperimentConfig
    store: Store
    problem: Problem
    engine: Engine
    lock: Any = field(repr=False)
    finish_lines: list[str] = field(default_factory=list)

    @classmethod
    def create(
        cls, config: ExperimentConfig, run_dir: Path | None = None, *, check: bool = True
    ) -> Run:
        """Start a new run in ``run_dir`` (default ``results/<name>-<timestamp>``), after
        checking the problem adapter (``check``: a driver that already did may skip it)."""
        problem = registry.create(config.problem.name, config.problem.params)
        check_model_keys(config)
        if check:
            check_adapter(problem, config.seed, config.evaluation.timeout)
        run_dir, store, lock = new_run_dir(config, run_dir)
        store.set_meta(
            "objectives", [{"name": o.name, "direction": o.direction} for o in problem.objectives]
        )
        store.set_meta("optimal_hypervolume", problem.optimal_hypervolume)
        reference = config.selection.reference_point or problem.hypervolume_reference
        store.set_meta("hypervolume_reference", list(reference) if reference else None)
        try:
            return cls._open(run_dir, config, store, problem, lock)
        except BaseException:
            discard_new_run(run_dir, store, lock)
            raise

    @classmethod
    def resume(cls, run_dir: Path, overrides: list[str] | None = None) -> Run:
        """Reopen the run in ``run_dir``; ``budget.*`` and ``llm.budget.*`` overrides may
        extend it. A refused resume (the run in use, a bad override) changes nothing."""
        run_dir = Path(run_dir)
        store, lock, config = reopen_run_dir(run_dir, overrides or [], RESUMABLE)
        try:
            problem = registry.create(config.problem.name, config.problem.params)
            check_model_keys(config)
            prepare(problem)
            if overrides:
                save_config(run_dir, store, config)
            resumes = store.meta("resumes", [])
            store.set_meta("resumes", [*resumes, store.evaluation_count()])  # for the plots
            return cls._open(run_dir, config, store, problem, lock)
        except BaseException:
            store.close()
            lock.close()
            raise

    @classmethod
    def _open(
        cls, run_dir: Path, config: ExperimentConfig, store: Store, problem: Problem, lock: Any
    ) -> Run:
        evaluation = config.evaluation
        sweep()  # sandboxes that runs killed outright left behind
        runner = make_runner(evaluation.backend, evaluation.workers, evaluation.scheduler_address)
        ref = ProblemRef(config.problem.name, config.problem.params, problem)
        evaluator = Evaluator(ref, runner, evaluation.timeout, int(evaluation.scratch))
        engine = Engine(problem, config, store, evaluator)
        if config.llm is not None:
            attach_model(engine, config, store, problem)
        return cls(run_dir, config, store, problem, engine, lock)

    def execute(
        self,
        on_evaluation: Callable[[Evaluation], None] | None = None,
        on_generation: Callable[[GenerationSummary], None] | None = None,
    ) -> str:
        """Run to the end of the budget; the store says ``finished`` afterwards."""
        self.store.set_meta("status", "running")
        try:
            reason = self.engine.run(on_evaluation, on_generation)
        except KeyboardInterrupt:
            self.store.set_meta("status", "interrupted")
            raise
        self.finish_lines = self.problem.finish(self.run_dir, self.best_first(), self.store)
        self.store.set_meta("status", "finished")
        self.store.set_meta("stop_reason", reason)
        return reason

    def best_first(self) -> list[Member]:
        """The final population, best first (islands interleaved by rank)."""
        islands = self.engine.islands
        depth = max((len(island) for island in islands), default=0)
        return [island[i] for i in range(depth) for island in islands if i < len(island)]

    def close(self) -> None:
        """Release workers, the model client, the store and the lock."""
        self.engine.evaluator.runner.close()
        if "llm" in self.engine.extras:
            self.engine.extras["llm"].close()
        self.store.close()
        self.lock.close()


def new_run_dir(config: ExperimentConfig, run_dir: Path | None) -> tuple[Path, Store, Any]:
    """Create and lock a run directory with a fresh store holding the config snapshot."""
    run_dir = Path(run_dir) if run_dir else default_run_dir(config.name)
    if (run_dir / DB_NAME).exists():
        raise RunDirError(f"{run_dir}: already holds a run; use `evo resume {run_dir}`")
    run_dir.mkdir(parents=True, exist_ok=True)
    lock = lock_run_dir(run_dir)
    store = Store.in_dir(run_dir, create=True)
    store.set_meta("config", config.model_dump(mode="json"))
    store.set_meta("created", time.time())
    store.set_meta("workdir", os.getcwd())  # where module:Class and relative paths resolve
    store.set_meta("status", "running")
    (run_dir / "config.yaml").write_text(dump_config(config))
    return run_dir, store, lock


RESUMABLE = ("budget.*", "llm.budget.*")
"""What ``--set`` may change when a run resumes: its budgets."""


def reopen_run_dir(
    run_dir: Path, overrides: list[str], allowed: tuple[str, ...]
) -> tuple[Store, Any, ExperimentConfig]:
    """Lock the run in ``run_dir`` and read its config with ``overrides`` applied (each
    must match one of the ``allowed`` patterns). Nothing is written; on refusal nothing is
    left open."""
    store = Store.in_dir(run_dir)
    lock = None
    try:
        if store.read_only:
            raise RunDirError(
                f"{run_dir}: the run is read-only here (it can be exported and plotted,"
                " not continued)"
            )
        lock = lock_run_dir(run_dir)
        data = store.meta("config")
        if data is None:
            raise RunDirError(f"{run_dir}: the store holds no config; not a complete run")
        for text in overrides:
            key = text.split("=", 1)[0]
            if not any(fnmatch.fnmatchcase(key, pattern) for pattern in allowed):
                raise ConfigError(
                    f"--set {text!r}: only {', '.join(allowed)} can change when resuming"
                )
        config = validate(apply_overrides(data, overrides), f"{run_dir}/{DB_NAME}")
        check_budget_not_spent(store, config, {text.split("=", 1)[0] for text in overrides})
        return store, lock, config
    except BaseException:
        store.close()
        if lock is not None:
            lock.close()
        raise


def check_budget_not_spent(store: Store, config: ExperimentConfig, changed: set[str]) -> None:
    """Refuse a budget set (``changed`` keys) at or below the work already done: it would
    silently lower the stored budget and stop at once."""
    done = store.evaluation_count()
    limit = config.budget.evaluations
    if "budget.evaluations" in changed and limit is not None and done > 0 and limit <= done:
        raise ConfigError(
            f"--set budget.evaluations={limit}: the run has already done {done} evaluations;"
            f" give more than {done} to continue it"
        )
    last = store.last_generation()
    generations = config.budget.generations
    if (
        "budget.generations" in changed
        and generations is not None
        and last is not None
        and generations <= last["generation"] + 1
    ):
        raise ConfigError(
            f"--set budget.generations={generations}: the run has already done"
            f" {last['generation'] + 1} generations; give more to continue it"
        )


def enter_workdir(run_dir: Path, *, change_dir: bool) -> Path:
    """Make the run's problem importable from anywhere: put the directory it was created
    in on ``sys.path`` and, with ``change_dir``, work there (its relative paths are
    relative to it). Returns ``run_dir`` made absolute first."""
    run_dir = Path(run_dir).absolute()
    store = Store.in_dir(run_dir)
    try:
        workdir = store.meta("workdir")
    finally:
        store.close()
    if workdir and Path(workdir).is_dir():
        sys.path.insert(0, workdir)
        if change_dir:
            os.chdir(workdir)
    return run_dir


def save_config(run_dir: Path, store: Store, config: ExperimentConfig) -> None:
    """Record a resumed run's changed config in its store and its ``config.yaml``."""
    store.set_meta("config", config.model_dump(mode="json"))
    (run_dir / "config.yaml").write_text(dump_config(config))


def check_model_keys(config: ExperimentConfig) -> None:
    """Refuse to start when a configured model has no API key in the environment."""
    if config.llm is None:
        return
    from evo.llm.client import missing_keys

    problems = missing_keys(config.llm)
    if problems:
        raise ConfigError("\n".join(problems))


def discard_new_run(run_dir: Path, store: Store, lock: Any) -> None:
    """Remove what ``new_run_dir`` wrote (a run that failed before its first evaluation);
    anything else in the directory stays."""
    store.close()
    lock.close()
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", "config.yaml", LOCK_NAME):
        (run_dir / name).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        run_dir.rmdir()


def attach_model(engine: Engine, config: ExperimentConfig, store: Store, problem: Problem) -> None:
    """Give the engine a model client, its budget stop, and the experience pool."""
    from evo.llm.client import LLMClient
    from evo.llm.experience import ExperiencePool

    llm = config.llm
    assert llm is not None
    client = LLMClient(llm, store, seed=config.seed)
    pool = ExperiencePool(
        store,
        problem,
        llm.experience.every,
        llm.experience.lessons,
        client if llm.experience.by_model else None,
    )
    engine.extras.update(llm=client, inspirations=llm.inspirations, lessons=pool.lessons)

    def refresh(summary: GenerationSummary) -> None:
        pool(summary)
        engine.extras["lessons"] = pool.lessons

    engine.observers.append(refresh)
    engine.stop_checks.append(client.stop_reason)


def lock_run_dir(run_dir: Path) -> Any:
    """Hold an exclusive lock on ``run_dir`` (released when the handle is closed)."""
    handle = open(run_dir / LOCK_NAME, "w")  # noqa: SIM115  (held for the run)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise RunDirError(f"{run_dir}: in use by another evo process") from None
    return handle


def summarize(run: Run, reason: str) -> list[str]:
    """Closing lines of a run: why it stopped, counts, bests, hypervolume, ratings."""
    store, problem = run.store, run.problem
    last = store.last_generation()
    counts = store.status_counts()
    total = sum(counts.values())
    lines = [f"stopped: {reason}"]
    by_status = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    elapsed = last["elapsed"] if last else 0.0
    generations = last["generation"] + 1 if last else 0
    lines.append(
        f"evaluations: {total} ({by_status}); generations: {generations}; time: {elapsed:.1f} s"
    )
    failed = total - counts.get("ok", 0)
    if failed and failed * 2 >= total:
        lines.append(f"{failed} of {total} evaluations failed; most often:")
        lines += [f"  {count}x {reason}" for reason, count in store.failure_reasons(3)]
    for objective in problem.objectives:
        best = (last or {}).get("stats", {}).get("objectives", {}).get(objective.name, {})
        if best.get("best_ever") is not None:
            lines.append(f"best {objective.name} ({objective.direction}): {best['best_ever']:.6g}")
    if run.problem.objectives and run.engine.members() and not run.engine.elo:
        lines.append(_best_line(run))
    if last and last["hypervolume"] is not None:
        lines.append(_hypervolume_line(run, last["hypervolume"]))
    if run.engine.elo and last:
        top = store.top_ratings(last["generation"], 3)
        ranked = ", ".join(f"{cid} {rating:.0f} ({games:.0f} games)" for cid, rating, games in top)
        lines.append(f"top ELO: {ranked}")
    if run.config.llm is not None:
        from evo.llm.pricing import usage_line

        lines.append(usage_line(store))
    lines += run.finish_lines
    lines.append(f"run dir: {run.run_dir}")
    return lines


def _best_line(run: Run) -> str:
    objective = run.problem.objectives[0]
    valid = [m for m in run.engine.members() if m.evaluation.ok]
    if not valid:
        return f"best by {objective.name}: none (no member evaluated ok)"
    pick = max if objective.direction == "max" else min
    best = pick(valid, key=lambda m: m.evaluation.objectives.get(objective.name, 0.0))
    genome = best.candidate.genome
    if isinstance(genome, str) and "\n" in genome:
        genome = f"({genome.count(chr(10)) + 1} lines)"  # a program: saved or exported
    else:
        genome = json.dumps(genome)
        genome = genome if len(genome) <= 120 else genome[:117] + "..."
    values = ", ".join(f"{k} {v:.6g}" for k, v in best.evaluation.objectives.items())
    return f"best by {objective.name}: {best.id} ({values}) {genome}"


def _hypervolume_line(run: Run, hv: float) -> str:
    reference = run.config.selection.reference_point or run.problem.hypervolume_reference
    text = f"hypervolume: {hv:.4f} at reference point {tuple(reference or ())}"
    optimum = run.problem.optimal_hypervolume
    if optimum:
        share = hv / optimum
        verdict = "within 5%" if share >= 0.95 else "NOT within 5%"
        text += f" = {share:.1%} of the true front's {optimum:.4f} ({verdict})"
    return text


def run_info(run_dir: Path) -> dict[str, Any]:
    """Status, config and counters of a run directory, without opening it for writing."""
    store = Store.in_dir(run_dir)
    try:
        return {
            "status": store.meta("status"),
            "stop_reason": store.meta("stop_reason"),
            "config": store.meta("config"),
            "evaluations": store.evaluation_count(),
            "last": json.loads(json.dumps(store.last_generation(), default=str)),
        }
    finally:
        store.close()
