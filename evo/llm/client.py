"""The model client: litellm calls under a global concurrency limit, with timeouts,
retries that honour retry-after, a weighted ensemble with fallbacks, one store row per
call, and budgets in dollars and calls.

litellm's async calls all run on one event loop in a background thread, so its HTTP
clients are never shared across loops; callers on any loop await ``complete``.
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from evo.config.models import LLMConfig, ModelConfig
from evo.llm.pricing import call_cost

RETRYABLE = (
    "RateLimitError",
    "APIConnectionError",
    "Timeout",
    "ServiceUnavailableError",
    "InternalServerError",
    "BadGatewayError",
    "APIError",
)


class BudgetExhausted(RuntimeError):
    """The run's model budget (dollars or calls) is used up."""


class ModelFailure(RuntimeError):
    """Every model of the ensemble failed for this request."""


@dataclass(frozen=True)
class Completion:
    """A model's answer."""

    text: str
    finish_reason: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    cost: float
    call_id: int = 0
    """The call's row in the store's ``llm_calls``."""


def _import_litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


def _retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait, if it said."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    value = headers.get("retry-after") if hasattr(headers, "get") else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def missing_keys(config: LLMConfig) -> list[str]:
    """Config errors for models whose API key is not in the environment: a named
    ``api_key_env`` that is unset, or, for a hosted model without ``api_base``, the key
    variables litellm looks for."""
    problems = []
    for i, model in enumerate(config.models):
        where = f"llm.models[{i}] ({model.name})"
        if model.api_key_env:
            if not os.environ.get(model.api_key_env):
                problems.append(f"{where}: environment variable {model.api_key_env} is not set")
        elif not model.api_base:
            found = _import_litellm().validate_environment(model=model.name)
            keys = [k for k in found.get("missing_keys", []) if k.endswith("_KEY")]
            if keys:
                problems.append(f"{where}: set {' or '.join(keys)}, or give api_key_env")
    return problems


FAILURE_STREAK_LIMIT = 50
"""Failed call attempts in a row (errors and timeouts, retries included) that end a run:
a wrong key or a dead server, not bad luck (at 30% failures the chance is 1e-26)."""


class LLMClient:
    """Calls models for operators; records every call in the run store.

    Args:
        config: the ``llm`` section.
        store: the run store (``record_llm_call``, ``llm_totals``).
        seed: seeds the ensemble's model choice.
    """

    def __init__(self, config: LLMConfig, store: Any, seed: int = 0) -> None:
        self.config = config
        self.store = store
        self.rng = random.Random(seed)
        self.calls, self.spent = store.llm_totals()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="evo-llm")
        self._thread.start()
        self._semaphore = asyncio.Semaphore(config.concurrency)
        self._litellm: Any = None
        self.failure_streak = 0
        self.last_error = ""

    # budgets ----------------------------------------------------------------
    def stop_reason(self) -> str | None:
        """Why model calls must stop (a budget used up, or a run of failures), or None
        (an engine stop check)."""
        budget = self.config.budget
        if budget.calls is not None and self.calls >= budget.calls:
            return f"model budget reached: {self.calls} of {budget.calls} calls"
        if budget.dollars is not None and self.spent >= budget.dollars:
            return f"model budget reached: ${self.spent:.4f} of ${budget.dollars:g}"
        if self.failure_streak >= FAILURE_STREAK_LIMIT:
            return (
                f"the model failed {self.failure_streak} calls in a row "
                f"(last: {self.last_error[:200]})"
            )
        return None

    # calls ------------------------------------------------------------------
    async def complete(
        self,
        messages: list[dict[str, str]],
        *,
        operator: str,
        candidate: str | None,
        generation: int,
        rng: random.Random | None = None,
    ) -> Completion:
        """Ask the ensemble (weighted choice, then the others as fallbacks)."""
        order = self._model_order(rng or self.rng)
        future: Future = asyncio.run_coroutine_threadsafe(
            self._ensemble(order, messages, operator, candidate, generation), self._loop
        )
        return await asyncio.wrap_future(future)

    def complete_sync(self, messages: list[dict[str, str]], **kwargs: Any) -> Completion:
        """``complete`` for callers without an event loop."""
        return asyncio.run(self.complete(messages, **kwargs))

    def _model_order(self, rng: random.Random) -> list[ModelConfig]:
        models = list(self.config.models)
        first = rng.choices(models, weights=[m.weight for m in models])[0]
        return [first] + [m for m in models if m is not first]

    async def _ensemble(
        self,
        order: Sequence[ModelConfig],
        messages: list[dict[str, str]],
        operator: str,
        candidate: str | None,
        generation: int,
    ) -> Completion:
        errors = []
        for model in order:
            try:
                return await self._with_retries(model, messages, operator, candidate, generation)
            except BudgetExhausted:
                raise
            except Exception as exc:  # this model is out of retries: try the next
                errors.append(f"{model.name}: {exc}")
        raise ModelFailure("; ".join(errors))

    async def _with_retries(
        self,
        model: ModelConfig,
        messages: list[dict[str, str]],
        operator: str,
        candidate: str | None,
        generation: int,
    ) -> Completion:
        delay = 1.0
        for attempt in range(self.config.retries + 1):
            try:
                return await self._once(model, messages, operator, candidate, generation, attempt)
            except BudgetExhausted:
                raise
            except Exception as exc:
                retryable = type(exc).__name__ in RETRYABLE or isinstance(exc, TimeoutError)
                if not retryable or attempt == self.config.retries:
                    raise
                wait = _retry_after(exc)
                await asyncio.sleep(min(wait if wait is not None else delay, 60.0))
                delay = min(delay * 2, 30.0)
        raise AssertionError("unreachable")

    async def _once(
        self,
        model: ModelConfig,
        messages: list[dict[str, str]],
        operator: str,
        candidate: str | None,
        generation: int,
        attempt: int,
    ) -> Completion:
        with self._lock:
            reason = self.stop_reason()
            if reason:
                raise BudgetExhausted(reason)
            self.calls += 1
        if self._litellm is None:
            self._litellm = await asyncio.to_thread(_import_litellm)
        kwargs: dict[str, Any] = {
            "model": model.name,
            "messages": messages,
            "timeout": self.config.timeout,
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens,
            "num_retries": 0,
            "max_retries": 0,
        }
        if model.api_base:
            kwargs["api_base"] = model.api_base
        if model.api_key_env:
            kwargs["api_key"] = os.environ.get(model.api_key_env, "")
        elif model.api_base:
            kwargs["api_key"] = "unused"  # local OpenAI-compatible servers need a value
        row: dict[str, Any] = {
            "model": model.name,
            "operator": operator,
            "candidate_id": candidate,
            "generation": generation,
            "attempt": attempt,
        }
        start = time.perf_counter()
        async with self._semaphore:
            try:
                response = await asyncio.wait_for(
                    self._litellm.acompletion(**kwargs), self.config.timeout + 5
                )
            except Exception as exc:
                status = "timeout" if "Timeout" in type(exc).__name__ else "error"
                if isinstance(exc, asyncio.TimeoutError):
                    status = "timeout"
                self.store.record_llm_call(
                    **row,
                    latency=time.perf_counter() - start,
                    status=status,
                    cost=0.0,
                    error=f"{type(exc).__name__}: {str(exc)[:300]}",
                )
                with self._lock:
                    self.failure_streak += 1
                    self.last_error = f"{type(exc).__name__}: {exc}"
                raise
        latency = time.perf_counter() - start
        usage = getattr(response, "usage", None)
        prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
        completion = int(getattr(usage, "completion_tokens", 0) or 0)
        cost = call_cost(self._litellm, response, model, prompt, completion)
        with self._lock:
            self.spent += cost
            self.failure_streak = 0
        choice = response.choices[0]
        text = choice.message.content or ""
        finish = choice.finish_reason or "stop"
        call_id = self.store.record_llm_call(
            **row,
            latency=latency,
            status="ok",
            cost=cost,
            prompt_tokens=prompt,
            completion_tokens=completion,
        )
        return Completion(text, finish, model.name, prompt, completion, cost, call_id)

    def record_rejection(self, answer: Completion, reason: str) -> None:
        """Mark ``answer``'s call as rejected, with the reason."""
        self.store.settle_llm_call(answer.call_id, status="rejected", reason=reason)

    def record_child(self, answer: Completion, child: str) -> bool:
        """Link ``answer``'s call to the candidate ``child`` it proposed; a child the run
        has already seen marks the call ``duplicate`` instead (returns False)."""
        if self.store.has_candidate(child):
            reason = f"the answer repeats candidate {child}"
            self.store.settle_llm_call(
                answer.call_id, child=child, status="duplicate", reason=reason
            )
            return False
        self.store.settle_llm_call(answer.call_id, child=child)
        return True

    def close(self) -> None:
        """Cancel what litellm left running on the background loop, then stop it."""

        async def cancel_all() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(cancel_all(), self._loop).result(timeout=5)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
