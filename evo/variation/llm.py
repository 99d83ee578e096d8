"""Registers the model-guided operators (their code lives in ``evo.llm``; litellm itself
is only imported when a model is first called)."""

from evo.llm.operators import LLMCrossover, LLMDiff, LLMReflect, LLMRewrite

__all__ = ["LLMCrossover", "LLMDiff", "LLMReflect", "LLMRewrite"]
