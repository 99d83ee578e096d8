"""The ask/tell engine."""

from evo.engine.engine import Engine, GenerationSummary

__all__ = ["Engine", "GenerationSummary"]
