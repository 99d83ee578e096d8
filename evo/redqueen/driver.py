"""Red Queen self-play: rounds of evolution, each against the champions before it.

As in the Digital Red Queen paper, round ``k`` evolves a champion that must beat the
initial opponents and the champions of rounds ``0..k-1`` (or the last ``window`` of
them). Each round is an ordinary run in ``RUN_DIR/round-KK`` with its own store, so it
resumes like any run; the top-level store keeps the config and one record per finished
round (champion, its lineage, its results against every earlier champion, and its
generality under held-out settings).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from evo import registry
from evo.config import ExperimentConfig, validate
from evo.engine import GenerationSummary
from evo.errors import ConfigError, RunDirError
from evo.problem import Problem, coerce_evaluation, implements
from evo.records import Evaluation, Genome, canonical_json
from evo.run import (
    RESUMABLE,
    Run,
    check_model_keys,
    new_run_dir,
    reopen_run_dir,
    save_config,
)
from evo.selection import Member
from evo.store import DB_NAME, Store

DRIVER = "red_queen"
SEED_REFERENCES = 8
"""Seeds whose held-out measure is taken once, as a reference for the champions."""


def round_dir(run_dir: Path, index: int) -> Path:
    """Directory of round ``index``."""
    return run_dir / f"round-{index:02d}"


def round_dirs(run_dir: Path) -> list[Path]:
    """Directories of the rounds begun so far, in order."""
    dirs = []
    while (round_dir(run_dir, len(dirs)) / DB_NAME).exists():
        dirs.append(round_dir(run_dir, len(dirs)))
    return dirs


def is_red_queen(run_dir: Path) -> bool:
    """Whether ``run_dir`` holds a Red Queen run (rather than a single run)."""
    store = Store.in_dir(run_dir)
    try:
        return store.meta("driver") == DRIVER
    finally:
        store.close()


def champion_of(run: Run, crowned: set[str] = frozenset()) -> Member:
    """The member the problem's ``finish`` named champion (store meta ``champion``), else
    the best by the first objective (or by rating in ELO runs), never an earlier round's
    champion."""
    ranked = run.best_first()
    valid = [m for m in ranked if m.evaluation.ok and m.id not in crowned]
    if not valid:
        raise RunDirError(f"{run.run_dir}: no valid candidate to crown as champion")
    named = (run.store.meta("champion") or {}).get("id")
    if named in {m.id for m in valid}:
        return next(m for m in valid if m.id == named)
    if run.engine.elo or not run.problem.objectives:
        return valid[0]
    objective = run.problem.objectives[0]
    sign = objective.sign()
    return max(valid, key=lambda m: sign * m.evaluation.objectives[objective.name])


def generality_problem(config: ExperimentConfig) -> Problem:
    """The problem of the held-out generality measurement (its errors name
    ``red_queen.generality``)."""
    assert config.red_queen is not None and config.red_queen.generality
    params = {**config.problem.params, **config.red_queen.generality}
    return registry.create(config.problem.name, params, "red_queen.generality")


@dataclass
class RedQueen:
    """A Red Queen run on disk."""

    run_dir: Path
    config: ExperimentConfig
    store: Store
    lock: Any = field(repr=False)
    _generality: Problem | None = field(default=None, repr=False)

    @property
    def settings(self) -> Any:
        assert self.config.red_queen is not None
        return self.config.red_queen

    @classmethod
    def create(cls, config: ExperimentConfig, run_dir: Path | None = None) -> RedQueen:
        """Start a Red Queen run (default directory ``results/<name>-<timestamp>``)."""
        settings = config.red_queen
        if settings is None:
            raise ConfigError("red_queen: section missing")
        problem_class = registry.resolve(config.problem.name)
        registry.check_params(problem_class, {settings.opponents_param: []})
        if settings.carry_over:
            registry.check_params(problem_class, {settings.carry_param: []})
        registry.create(config.problem.name, config.problem.params)
        check_model_keys(config)
        # built now so that its opponents load before round 0, not after it
        generality = generality_problem(config) if settings.generality else None
        run_dir, store, lock = new_run_dir(config, run_dir)
        store.set_meta("driver", DRIVER)
        store.set_meta("rounds", [])
        return cls(run_dir, config, store, lock, generality)

    @classmethod
    def resume(cls, run_dir: Path, overrides: list[str] | None = None) -> RedQueen:
        """Reopen a Red Queen run; ``red_queen.rounds`` and the budgets may be raised. A
        refused resume changes nothing."""
        run_dir = Path(run_dir)
        store, lock, config = reopen_run_dir(
            run_dir, overrides or [], (*RESUMABLE, "red_queen.rounds")
        )
        if overrides:
            save_config(run_dir, store, config)
        return cls(run_dir, config, store, lock)

    def rounds(self) -> list[dict[str, Any]]:
        """Records of the finished rounds."""
        return list(self.store.meta("rounds", []))

    def round_config(
        self,
        index: int,
        champions: list[Genome],
        carried: list[Genome],
        league: Sequence[Genome] = (),
    ) -> ExperimentConfig:
        """The experiment of round ``index``: opponents are the initial ones, the champions
        and the ``league`` (the earlier rounds' best other warriors); ``carried`` genomes
        (the previous round's best) join the initial population."""
        settings = self.settings
        data = self.config.model_dump(mode="json")
        data.pop("red_queen")
        data["name"] = f"{self.config.name}-round{index:02d}"
        data["seed"] = self.config.seed + index
        params = data["problem"]["params"]
        recent = champions[-settings.window :] if settings.window else champions
        params[settings.opponents_param] = (
            list(params.get(settings.opponents_param, [])) + recent + list(league)
        )
        if carried:
            params[settings.carry_param] = list(params.get(settings.carry_param, [])) + carried
        return validate(data, f"round {index}")

    def execute(
        self,
        on_round: Callable[[int, Run], None] | None = None,
        on_evaluation: Callable[[Evaluation], None] | None = None,
        on_generation: Callable[[GenerationSummary], None] | None = None,
    ) -> str:
        """Run the remaining rounds; returns why the run stopped."""
        self.store.set_meta("status", "running")
        if self.settings.generality and self.store.meta("seed_generality") is None:
            self.store.set_meta("seed_generality", self._seed_generality())
        rounds = self.rounds()
        while len(rounds) < self.settings.rounds:
            index = len(rounds)
            directory = round_dir(self.run_dir, index)
            if (directory / DB_NAME).exists():
                run = Run.resume(
                    directory,
                    [
                        f"budget.{k}={v}"
                        for k, v in self.config.budget.model_dump().items()
                        if v is not None
                    ],
                )
            else:
                config = self.round_config(
                    index,
                    [r["genome"] for r in rounds],
                    rounds[-1].get("carried", []) if rounds else [],
                    [g for r in rounds for g in r.get("league", [])],
                )
                run = Run.create(config, directory, check=index == 0)
            try:
                if on_round is not None:
                    on_round(index, run)
                reason = run.execute(on_evaluation, on_generation)
                rounds.append(self._record(index, run, reason, rounds))
            finally:
                run.close()
            self.store.set_meta("rounds", rounds)
        self.store.set_meta("status", "finished")
        reason = f"all {self.settings.rounds} rounds done"
        self.store.set_meta("stop_reason", reason)
        return reason

    def _record(
        self, index: int, run: Run, reason: str, earlier: list[dict[str, Any]]
    ) -> dict[str, Any]:
        champion = champion_of(run, {r["champion"] for r in earlier})
        problem = run.problem
        named = run.store.meta("champion") or {}
        genome = named.get("genome") if named.get("id") == champion.id else None
        genome = genome or problem.polish(champion.candidate.genome)
        evaluation = champion.evaluation
        if genome != champion.candidate.genome:
            evaluation = coerce_evaluation(problem.evaluate(genome), problem.objectives)
        vs_history = []
        if implements(problem, "match"):
            vs_history = [float(problem.match(genome, r["genome"])) for r in earlier]
        record: dict[str, Any] = {
            "round": index,
            "champion": champion.id,
            "genome": genome,
            "objectives": dict(evaluation.objectives),
            "descriptors": dict(evaluation.descriptors),
            "vs_history": vs_history,
            "evaluations": run.store.evaluation_count(),
            "stop_reason": reason,
            "lineage": self._lineage(index, run.store, champion.id),
            "carried": [m.candidate.genome for m in run.best_first() if m.evaluation.ok][
                : self.settings.carry_over
            ],
            "league": [
                m.candidate.genome
                for m in run.best_first()
                if m.evaluation.ok and m.id != champion.id
            ][: self.settings.league],
        }
        record["generality"] = self._generality_of(genome)
        header = {k: record[k] for k in ("round", "champion", "objectives", "lineage")}
        suffix, text = problem.render(genome, header)
        path = self.run_dir / "champions" / f"round-{index:02d}{suffix}"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        record["file"] = str(path.relative_to(self.run_dir))
        return record

    def _lineage(self, index: int, store: Store, candidate_id: str) -> list[dict[str, Any]]:
        """The champion's line of first parents, followed back through earlier rounds
        while it starts from a genome carried over (ids are content hashes, so a carried
        genome has the same id in the round it came from); each entry names its round."""
        chain = [{**x, "round": index} for x in store.lineage(candidate_id)]
        while index > 0 and chain and chain[-1]["operator"] == "seed":
            index -= 1
            earlier = Store.in_dir(round_dir(self.run_dir, index))
            try:
                before = earlier.lineage(chain[-1]["id"])
            finally:
                earlier.close()
            if not before:
                break
            chain = chain[:-1] + [{**x, "round": index} for x in before]
        return chain

    def _generality_of(self, genome: Genome) -> dict[str, Any] | None:
        settings = self.settings
        if not settings.generality:
            return None
        if self._generality is None:
            self._generality = generality_problem(self.config)
        problem = self._generality
        evaluation = coerce_evaluation(problem.evaluate(genome), problem.objectives)
        return {
            "status": evaluation.status.value,
            "objectives": dict(evaluation.objectives),
            "descriptors": dict(evaluation.descriptors),
        }

    def _seed_generality(self) -> list[dict[str, Any]]:
        """The held-out measure of the initial population's distinct seeds (at most
        ``SEED_REFERENCES``), the level the champions should rise above."""
        problem = registry.create(self.config.problem.name, self.config.problem.params)
        rng = np.random.default_rng(self.config.seed)
        genomes = list({canonical_json(g): g for g in problem.seeds(rng, SEED_REFERENCES)}.values())
        measured = []
        for index, genome in enumerate(genomes[:SEED_REFERENCES]):
            label = problem.label(genome) or f"seed {index}"
            measured.append({"label": label, **(self._generality_of(genome) or {})})
        return measured

    def summary(self) -> list[str]:
        """One line per round, then the run directory."""
        lines = []
        for record in self.rounds():
            objectives = ", ".join(f"{k} {v:.4g}" for k, v in record["objectives"].items())
            text = f"round {record['round']}: champion {record['champion']} ({objectives})"
            history = record["vs_history"]
            if history:
                beaten = sum(outcome > 0.5 for outcome in history)
                text += f"; beats {beaten}/{len(history)} earlier champions"
            generality = record.get("generality")
            if generality and generality["objectives"]:
                held = ", ".join(f"{k} {v:.4g}" for k, v in generality["objectives"].items())
                text += f"; held-out: {held}"
            lines.append(text)
        lines.append(f"champions: {self.run_dir / 'champions'}")
        lines.append(f"run dir: {self.run_dir}")
        return lines

    def close(self) -> None:
        """Release the store and the lock."""
        self.store.close()
        self.lock.close()
