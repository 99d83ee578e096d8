"""What a call cost (the config's price table first, then litellm's, else nothing), and
what a run has spent."""

from __future__ import annotations

from typing import Any

from evo.config.models import ModelConfig


def call_cost(
    litellm: Any, response: Any, model: ModelConfig, prompt: int, completion: int
) -> float:
    """Dollars for one call. Prices in the config are per million tokens; models that
    neither the config nor litellm's cost map know cost 0 (local servers)."""
    if model.price_prompt is not None or model.price_completion is not None:
        return (
            prompt * (model.price_prompt or 0.0) + completion * (model.price_completion or 0.0)
        ) / 1e6
    try:
        return float(litellm.completion_cost(completion_response=response))
    except Exception:  # litellm raises for models missing from its cost map
        return 0.0


def usage_line(store: Any) -> str:
    """The run's model use so far: calls by outcome, tokens, dollars."""
    statuses, prompt, completion, cost = store.llm_usage()
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    calls = sum(statuses.values())
    return (
        f"model: {calls} calls ({outcomes or 'none'}); tokens: {prompt} prompt, "
        f"{completion} completion; cost: ${cost:.4f}"
    )
