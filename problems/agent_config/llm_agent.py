"""A model-driven household agent over litellm: its system prompt, model, temperature,
step limit, context window, allowed actions and skill advice come from the config.

Each turn the model reads the latest observation (and, if the config says so, the
admissible actions) and answers with one action. Cost is the tokens used. A model
failure (after litellm's retries) ends the task with an exception, which the adapter
records as a crash of that task with its reason.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from typing import Any

from problems.agent_config.outcome import Outcome
from problems.agent_config.schemas import LLMAgentConfig
from problems.household.env import NOTHING, HouseholdEnv

UNAVAILABLE = "That action is not available to you."
CLIP = 160


def _litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


def skill_advice(skills: Sequence[Mapping[str, Any]]) -> str:
    """A skill library as advice text for the system prompt."""
    lines = []
    for skill in skills:
        body = skill.get("body", "")
        steps = body if isinstance(body, str) else "; ".join(body)
        when = skill.get("precondition") or "any time"
        about = f": {skill['description']}" if skill.get("description") else ""
        lines.append(
            f"- {skill.get('name')}{about}. When: {when}. Steps: {steps}. "
            f"Done when: {skill.get('check')}."
        )
    return (
        "Skills that have worked before ({obj} is the object, {target} the receptacle):\n"
        + "\n".join(lines)
    )


def parse_action(reply: str) -> str:
    """The action in a model's reply: its first non-empty line, without decoration."""
    for line in reply.strip().splitlines():
        line = line.strip().strip("`*\"'").strip()
        for prefix in ("action:", "> ", ">"):
            if line.lower().startswith(prefix):
                line = line[len(prefix) :].strip()
        if line:
            return line.rstrip(".")
    return ""


class ModelCaller:
    """One litellm chat completion per call, with a timeout, retries and token counts."""

    def __init__(
        self,
        config: LLMAgentConfig,
        api_base: str | None,
        api_key_env: str | None,
        timeout: float,
        retries: int,
    ) -> None:
        self.config = config
        self.kwargs: dict[str, Any] = {
            "model": config.model,
            "temperature": config.temperature,
            "max_tokens": config.max_tokens,
            "timeout": timeout,
            "num_retries": retries,
        }
        if api_base:
            self.kwargs["api_base"] = api_base
        if api_key_env:
            self.kwargs["api_key"] = os.environ.get(api_key_env, "")
        elif api_base:
            self.kwargs["api_key"] = "unused"  # local OpenAI-compatible servers need a value
        self.tokens = 0
        self.dollars = 0.0

    def __call__(self, messages: list[dict[str, str]]) -> str:
        litellm = _litellm()
        response = litellm.completion(messages=messages, **self.kwargs)
        usage = getattr(response, "usage", None)
        self.tokens += int(getattr(usage, "total_tokens", 0) or 0)
        with contextlib.suppress(Exception):  # models litellm has no price for cost 0 here
            self.dollars += float(litellm.completion_cost(completion_response=response) or 0.0)
        return response.choices[0].message.content or ""


def run_agent(
    config: dict[str, Any],
    task: dict[str, Any],
    *,
    api_base: str | None = None,
    api_key_env: str | None = None,
    timeout: float = 30.0,
    retries: int = 2,
) -> Outcome:
    """Run the model-driven agent on one household task.

    Args:
        config: ``LLMAgentConfig`` fields plus ``skills`` (advice when ``use_skills``).
        task: a household task (``{"seed", "kind", ...}``).
        api_base: an OpenAI-compatible endpoint (e.g. a local server).
        api_key_env: the environment variable holding the API key (never the key).
        timeout: seconds per model call.
        retries: litellm retries per model call.
    """
    settings = LLMAgentConfig.model_validate({k: v for k, v in config.items() if k != "skills"})
    env = HouseholdEnv.from_seed(int(task["seed"]), task.get("kind"))
    call = ModelCaller(settings, api_base, api_key_env, timeout, retries)
    system = settings.system_prompt
    if settings.use_skills and config.get("skills"):
        system += "\n\n" + skill_advice(config["skills"])
    system += "\nYou may use these actions: " + ", ".join(settings.tools) + "."
    turns: list[dict[str, str]] = []
    trace = [f"Task: {env.goal}"]
    observation = env.intro()
    while env.steps < settings.max_steps and not env.goal_reached():
        prompt = observation
        if settings.show_admissible:
            prompt += "\nAdmissible actions: " + "; ".join(env.admissible())
        turns.append({"role": "user", "content": prompt})
        window = turns[-(2 * settings.history - 1) :]
        if window[0] is not turns[0]:  # the task itself always stays in view
            window = [turns[0]] + window
        messages = [{"role": "system", "content": system}] + window
        action = parse_action(call(messages))
        turns.append({"role": "assistant", "content": action})
        verb = action.split(" ", 1)[0].lower() if action else ""
        if verb not in settings.tools:
            env.steps += 1
            observation = UNAVAILABLE
        else:
            observation = env.step(action)
        trace.append(f"> {action}: {observation[:CLIP]}")
    success = env.goal_reached()
    note = "" if success else f"not solved in {env.steps} steps; last: {observation[:CLIP]}"
    if observation in (NOTHING, UNAVAILABLE) and not success:
        note += " (the last action did not apply)"
    return Outcome(
        score=env.score(),
        success=success,
        steps=env.steps,
        tokens=call.tokens,
        cost=call.dollars,
        trace="\n".join(trace),
        note=note,
    )
