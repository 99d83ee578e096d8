"""Experiment configuration: models and YAML loading."""

from evo.config.loading import apply_overrides, dump_config, load_config, validate
from evo.config.models import (
    BudgetConfig,
    EloConfig,
    EvaluationConfig,
    ExperimentConfig,
    PopulationConfig,
    ProblemConfig,
    RedQueenConfig,
    SelectionConfig,
    VariationConfig,
)

__all__ = [
    "BudgetConfig",
    "EloConfig",
    "EvaluationConfig",
    "ExperimentConfig",
    "PopulationConfig",
    "ProblemConfig",
    "RedQueenConfig",
    "SelectionConfig",
    "VariationConfig",
    "apply_overrides",
    "dump_config",
    "load_config",
    "validate",
]
