"""Experiment configuration: pydantic models that reject unknown keys and wrong types."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    BaseModel,
    ByteSize,
    ConfigDict,
    Field,
    PositiveFloat,
    PositiveInt,
    model_validator,
)


class Strict(BaseModel):
    """A config section: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ProblemConfig(Strict):
    """Which problem to evolve: a registered name or ``module:Class``, and its parameters."""

    name: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)


class PopulationConfig(Strict):
    """Population size (total over islands), offspring per generation, islands."""

    size: PositiveInt = 50
    offspring: PositiveInt | None = None
    islands: PositiveInt = 1
    migration_interval: PositiveInt = 10
    migration_size: int = Field(default=1, ge=0)

    @model_validator(mode="after")
    def _islands_fit(self) -> PopulationConfig:
        if self.size < self.islands:
            raise ValueError(f"size ({self.size}) must be at least islands ({self.islands})")
        return self


class ArchiveConfig(Strict):
    """A MAP-Elites grid over behaviour descriptors: one elite per cell."""

    descriptors: list[str] = Field(min_length=1)
    bins: list[PositiveInt]
    ranges: list[tuple[float, float]]

    @model_validator(mode="after")
    def _shapes(self) -> ArchiveConfig:
        n = len(self.descriptors)
        if len(self.bins) != n or len(self.ranges) != n:
            raise ValueError(f"bins and ranges need one entry per descriptor ({n})")
        for name, (low, high) in zip(self.descriptors, self.ranges, strict=True):
            if not low < high:
                raise ValueError(f"range of {name!r} must have low < high")
        return self


class SelectionConfig(Strict):
    """Survival (Pareto, ELO or a MAP-Elites archive) and parent choice."""

    survival: Literal["auto", "pareto", "elo", "map_elites"] = "auto"
    archive: ArchiveConfig | None = None
    parents: Literal["tournament", "rank_weighted"] = "tournament"
    tournament_size: PositiveInt = 2
    pressure: float = Field(default=3.0, ge=0.0)
    children_penalty: float = Field(default=1.0, ge=0.0)
    reference_point: list[float] | None = None

    @model_validator(mode="after")
    def _archive(self) -> SelectionConfig:
        if self.survival == "map_elites" and self.archive is None:
            raise ValueError("survival 'map_elites' needs an archive (descriptors, bins, ranges)")
        return self


class EloConfig(Strict):
    """Match scheduling and rating fit for ELO mode."""

    matches_per_candidate: int = Field(default=8, ge=1)
    references: bool = True
    rematches: int = Field(default=0, ge=0)
    prior_games: float = Field(default=2.0, gt=0.0)
    initial: float = 1500.0


class VariationConfig(Strict):
    """Operator mix: operator name to weight.

    Left unset, the problem's classical operators are used: crossover (0.9) and
    mutation (0.1), whichever of the two the problem defines.
    """

    operators: dict[str, float] | None = None

    @model_validator(mode="after")
    def _weights(self) -> VariationConfig:
        if self.operators is None:
            return self
        if not self.operators:
            raise ValueError("at least one operator is needed")
        for name, weight in self.operators.items():
            if weight < 0:
                raise ValueError(f"weight of {name!r} must be >= 0")
        if sum(self.operators.values()) <= 0:
            raise ValueError("operator weights must not all be zero")
        return self


class EvaluationConfig(Strict):
    """Where and how long evaluations run; ``scratch`` sizes each sandbox's private /tmp
    (which holds its work directory) and /dev/shm, in bytes or as text like ``64MiB``."""

    backend: Literal["sequential", "loky", "dask"] = "loky"
    workers: int = Field(default=2, ge=1)
    timeout: PositiveFloat = 60.0
    scheduler_address: str | None = None
    scratch: ByteSize = Field(default=ByteSize(256 << 20), gt=0)

    @model_validator(mode="after")
    def _dask_address(self) -> EvaluationConfig:
        if self.backend == "dask" and not self.scheduler_address:
            raise ValueError("backend 'dask' needs scheduler_address (e.g. tcp://127.0.0.1:8786)")
        return self


class BudgetConfig(Strict):
    """When to stop: the first budget reached ends the run."""

    evaluations: PositiveInt | None = None
    generations: PositiveInt | None = None
    wall_time: PositiveFloat | None = None

    @model_validator(mode="after")
    def _some_budget(self) -> BudgetConfig:
        if self.evaluations is None and self.generations is None and self.wall_time is None:
            raise ValueError("set at least one of evaluations, generations, wall_time")
        return self


class RedQueenConfig(Strict):
    """Rounds of self-play: each round evolves a champion against the earlier champions.

    Each round is an ordinary run (its own directory and store) of the experiment, with
    the problem parameter ``opponents_param`` set to the initial opponents plus the last
    ``window`` champions (all of them when ``window`` is unset). ``generality`` holds
    problem parameters (e.g. a held-out opponent set) under which every champion is
    evaluated once more, never for selection. With ``carry_over`` > 0, the best members
    of a round's final population start the next round, through the problem parameter
    ``carry_param``. With ``league`` > 0, the best members of each round's final
    population other than its champion join the opponents of every later round: a league
    of the strategies the run has found, beside the champions.
    """

    rounds: PositiveInt = 5
    opponents_param: str = "opponents"
    window: PositiveInt | None = None
    generality: dict[str, Any] | None = None
    carry_over: int = Field(default=0, ge=0)
    carry_param: str = "initial"
    league: int = Field(default=0, ge=0)


class ModelConfig(Strict):
    """One model of the ensemble (a litellm model name, e.g. ``openai/gpt-4o-mini``).

    The API key is read from the environment variable named by ``api_key_env`` (or
    litellm's usual variables); a key itself never goes in a config.
    """

    name: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)
    api_base: str | None = None
    api_key_env: str | None = None
    price_prompt: float | None = Field(default=None, ge=0)
    price_completion: float | None = Field(default=None, ge=0)


class LLMBudget(Strict):
    """Caps that end a run cleanly: total dollars and total calls."""

    dollars: PositiveFloat | None = None
    calls: PositiveInt | None = None


class ExperienceConfig(Strict):
    """How often lessons are distilled from the history, and how many are kept."""

    every: PositiveInt = 5
    lessons: PositiveInt = 8
    by_model: bool = True


class LLMConfig(Strict):
    """Model-guided variation (``variation.operators`` picks llm_diff, llm_rewrite, ...).

    Prices are in dollars per million tokens, for models litellm does not know.
    """

    models: list[ModelConfig] = Field(min_length=1)
    concurrency: PositiveInt = 8
    timeout: PositiveFloat = 60.0
    retries: int = Field(default=3, ge=0)
    temperature: float = Field(default=0.7, ge=0)
    max_tokens: PositiveInt = 4096
    budget: LLMBudget = Field(default_factory=LLMBudget)
    experience: ExperienceConfig = Field(default_factory=ExperienceConfig)
    inspirations: int = Field(default=2, ge=0)


class ExperimentConfig(Strict):
    """A whole experiment file."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    seed: int = 0
    problem: ProblemConfig
    population: PopulationConfig = Field(default_factory=PopulationConfig)
    selection: SelectionConfig = Field(default_factory=SelectionConfig)
    elo: EloConfig = Field(default_factory=EloConfig)
    variation: VariationConfig = Field(default_factory=VariationConfig)
    evaluation: EvaluationConfig = Field(default_factory=EvaluationConfig)
    budget: BudgetConfig = Field(default_factory=lambda: BudgetConfig(generations=20))
    red_queen: RedQueenConfig | None = None
    llm: LLMConfig | None = None
