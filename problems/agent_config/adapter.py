"""Agent configurations and skill libraries as candidates.

A genome is ``{"config": {...}, "skills": [...]}``: a typed config following a pydantic
schema and, when a skill grammar is given, a skill library. The adapter wraps a user's
``run_agent(config, task, **agent_params) -> Outcome | dict`` (``config`` holds the
schema's fields and ``skills``) and scores a genome on a task suite: a cheap minibatch
first, the rest of the training tasks only when the minibatch score reaches
``cascade_threshold``. The held-out split is measured at the end of the run, for the
best agent of every generation, and never used for selection. Objectives: ``success``
(mean task score, max) and a cost (``steps``, ``tokens`` or ``dollars``, min).

The defaults evolve the built-in skill-executing agent on the household world.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from evo.genomes import ConfigSpace, SchemaError, SkillGrammar
from evo.genomes.operators import cross_configs, cross_skills, edit_skills, mutate_config
from evo.problem import Problem
from evo.records import Evaluation, Objective, Status
from problems.agent_config import loading, scoring

SKILL_EDITS = {"add": 0.3, "refine": 0.45, "merge": 0.1, "delete": 0.15}


class AgentConfigProblem(Problem):
    """Evolve an agent's config (and skill library) on a task suite.

    Args:
        run_agent: ``module:function`` that runs one task and returns an ``Outcome``.
        schema: ``module:Class``, the pydantic model of the config.
        tasks: ``module:function`` returning ``{"train": [...], "heldout": [...]}`` (called
            with ``task_params``), or a JSON/YAML file holding that mapping.
        task_params: keyword arguments of the ``tasks`` function.
        skill_grammar: ``module:attribute`` of a ``SkillGrammar``, or None for genomes
            without a skill library.
        seed_skills: the seed library: ``empty``, a name the grammar's module knows
            (``minimal``, ``handwritten``), a JSON/YAML file, or an inline list.
        seed_config: field values that override the schema's defaults in the seed.
        frozen: config fields classical operators never change.
        minibatch: training tasks in the cheap first stage.
        cascade_threshold: minibatch score needed for the full training suite (None:
            always the full suite).
        cost: the cost objective: ``steps``, ``tokens`` or ``dollars``.
        agent_params: fixed keyword arguments of ``run_agent`` (a model's api_base...).
        skill_rate: share of ``mutate`` calls that edit the library (the rest the config).
        heldout_curve: at the end, measure each generation's best on the held-out split.
    """

    name = "agent_config"
    description = "agent configs and skill libraries on a task suite (default: household world)"

    def __init__(
        self,
        run_agent: str = "problems.agent_config.skill_agent:run_agent",
        schema: str = "problems.agent_config.schemas:SkillAgentConfig",
        tasks: str = "problems.household.tasks:suite",
        task_params: dict[str, Any] | None = None,
        skill_grammar: str | None = "problems.household.language:GRAMMAR",
        seed_skills: str | list[Any] = "minimal",
        seed_config: dict[str, Any] | None = None,
        frozen: list[str] | None = None,
        minibatch: int = 6,
        cascade_threshold: float | None = 0.1,
        cost: str = "steps",
        agent_params: dict[str, Any] | None = None,
        skill_rate: float = 0.7,
        heldout_curve: bool = True,
    ) -> None:
        if cost not in scoring.COSTS:
            raise ValueError(f"cost must be one of {', '.join(scoring.COSTS)}, not {cost!r}")
        if minibatch < 1:
            raise ValueError("minibatch must be at least 1")
        if not 0.0 <= skill_rate <= 1.0:
            raise ValueError("skill_rate must lie in [0, 1]")
        self.specs = {"run_agent": run_agent, "schema": schema, "skill_grammar": skill_grammar}
        self.frozen = list(frozen or [])
        self._load()
        suite = loading.load_suite(tasks, dict(task_params or {}))
        self.train = [(loading.task_id(t, i, "train"), t) for i, t in enumerate(suite["train"])]
        self.heldout = [
            (loading.task_id(t, i, "heldout"), t) for i, t in enumerate(suite["heldout"])
        ]
        self.minibatch = min(minibatch, len(self.train))
        self.cascade_threshold = cascade_threshold
        self.cost = cost
        self.agent_params = dict(agent_params or {})
        key = self.agent_params.get("api_key_env")
        if key and not self.agent_params.get("api_base") and not os.environ.get(key):
            raise ValueError(
                f"agent_params: the agent's model needs an API key in ${key}, which is not "
                "set (or give agent_params.api_base for a local server)"
            )
        self.skill_rate = skill_rate if self.skill_grammar is not None else 0.0
        self.heldout_curve = heldout_curve
        self.objectives = (Objective("success", "max"), Objective(cost, "min"))
        self.seed_genome = self._seed(seed_skills, seed_config or {})

    def _load(self) -> None:
        self.run_agent = loading.load_function(self.specs["run_agent"], "run_agent")
        model = loading.load_object(self.specs["schema"], "schema")
        try:
            self.config_space = ConfigSpace(model, frozen=self.frozen)
        except SchemaError as exc:
            raise ValueError(f"schema: {exc}") from None
        grammar_spec = self.specs["skill_grammar"]
        self.skill_grammar: SkillGrammar | None = None
        if grammar_spec:
            grammar = loading.load_object(grammar_spec, "skill_grammar")
            if not isinstance(grammar, SkillGrammar):
                raise ValueError(f"skill_grammar: {grammar_spec!r} is not a SkillGrammar")
            if "skills" in self.config_space.names():
                raise ValueError("schema: a field named 'skills' clashes with the skill library")
            self.skill_grammar = grammar

    def _seed(self, skills: str | list[Any], config: dict[str, Any]) -> dict[str, Any]:
        try:
            genome: dict[str, Any] = {
                "config": self.config_space.normalize(self.config_space.default() | config)
            }
        except (ValueError, SchemaError) as exc:
            raise ValueError(f"seed_config: {exc}") from None
        if self.skill_grammar is not None:
            genome["skills"] = loading.load_skills(skills, self.specs["skill_grammar"] or "")
        reason = self.check_genome(genome)
        if reason:
            raise ValueError(f"seed_skills: {reason}")
        return genome

    def __getstate__(self) -> dict[str, Any]:
        dropped = ("run_agent", "config_space", "skill_grammar")
        return {k: v for k, v in self.__dict__.items() if k not in dropped}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._load()

    # prompts ------------------------------------------------------------------------
    def describe(self) -> str:
        parts = "a config" + (" and a skill library" if self.skill_grammar else "")
        return (
            f"Improve an agent made of {parts}, scored on a suite of tasks "
            f"(objectives: success = mean task score, higher is better; {self.cost} per "
            "task, lower is better). The genome is JSON: "
            + ('{"config": {...}, "skills": [...]}' if self.skill_grammar else '{"config": {...}}')
            + "; keep it valid against the schema below."
        )

    def prompt_context(self) -> dict[str, str]:
        sheet = "Config fields:\n" + self.config_space.describe()
        if self.skill_grammar is not None:
            sheet += (
                "\n\nSkills: each {name, description, precondition, body, check}.\n"
                + self.skill_grammar.describe()
            )
        return {"language": "json", "cheatsheet": sheet}

    def check_genome(self, genome: Any) -> str | None:
        if not isinstance(genome, Mapping):
            return f"a genome must be a mapping, not {type(genome).__name__}"
        allowed = {"config"} | ({"skills"} if self.skill_grammar else set())
        unknown = sorted(set(genome) - allowed)
        if unknown:
            return f"unknown genome part {unknown[0]!r} (parts: {', '.join(sorted(allowed))})"
        reason = self.config_space.check(genome.get("config"))
        if reason:
            return f"config violates the schema: {reason}"
        if self.skill_grammar is not None:
            reason = self.skill_grammar.check_library(genome.get("skills", []))
            if reason:
                return f"broken skill library: {reason}"
        return None

    # evolution ----------------------------------------------------------------------
    def seeds(self, rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
        return [self.seed_genome]

    def agent_config(self, genome: Mapping[str, Any]) -> dict[str, Any]:
        """What ``run_agent`` receives: the config's fields and the library."""
        config = self.config_space.normalize(genome["config"])
        if self.skill_grammar is not None:
            config["skills"] = list(genome.get("skills", []))
        return config

    def run(
        self, genome: Mapping[str, Any], tasks: Sequence[tuple[str, Any]]
    ) -> list[scoring.TaskResult]:
        """Run the genome's agent on ``(id, task)`` pairs."""
        return scoring.run_tasks(
            self.run_agent, self.agent_config(genome), tasks, self.agent_params
        )

    def evaluate(self, genome: Any) -> Evaluation:
        reason = self.check_genome(genome)
        if reason:
            return Evaluation.failure(Status.INVALID, reason)
        size = {"library_size": float(len(genome.get("skills", [])))}
        cascade = self.cascade_threshold is not None and self.minibatch < len(self.train)
        first = self.run(genome, self.train[: self.minibatch] if cascade else self.train)
        if cascade and scoring.mean_score(first) < self.cascade_threshold:
            note = (
                f"(minibatch of {len(first)} tasks only: its score is below "
                f"{self.cascade_threshold:g}, so the full suite was not run)"
            )
            return scoring.evaluation(first, self.cost, 1, size, note)
        if cascade:
            first += self.run(genome, self.train[self.minibatch :])
        return scoring.evaluation(first, self.cost, 2, size)

    def mutate(self, genome: dict[str, Any], rng: np.random.Generator) -> dict[str, Any]:
        if rng.random() < self.skill_rate:
            edits = list(SKILL_EDITS)
            weights = np.array(list(SKILL_EDITS.values()))
            edit = edits[int(rng.choice(len(edits), p=weights / weights.sum()))]
            return edit_skills(self, genome, edit, rng)
        return mutate_config(self, genome, rng)

    def crossover(
        self, a: dict[str, Any], b: dict[str, Any], rng: np.random.Generator
    ) -> dict[str, Any]:
        child = cross_configs(self, a, b, rng)
        return cross_skills(self, child, b, rng) if self.skill_grammar is not None else child

    # the end of a run ---------------------------------------------------------------
    def finish(self, run_dir: Path, population: Sequence[Any], store: Any) -> list[str]:
        """Measure the best agent (and each generation's best) on the held-out split."""
        from problems.agent_config.heldout import report

        return report(self, Path(run_dir), population, store)

    @classmethod
    def figures(cls, store: Any, out_dir: Path) -> list[Path]:
        from problems.agent_config.figures import agent_figures

        return agent_figures(store, out_dir)
