"""Variation operators, looked up by name."""

from evo.variation import classical as _classical  # noqa: F401  (registers operators)
from evo.variation import llm as _llm  # noqa: F401  (registers the model-guided operators)
from evo.variation.base import (
    Operator,
    VariationContext,
    build_operator,
    operator_names,
    register,
)

__all__ = ["Operator", "VariationContext", "build_operator", "operator_names", "register"]
