"""Config schemas of the two built-in household agents (typed genomes)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from problems.household.catalog import RECEPTACLE_TYPES

PROMPTS = Path(__file__).with_name("prompts")
ReceptacleType = Literal[RECEPTACLE_TYPES]  # type: ignore[valid-type]
ActionVerb = Literal[
    "go", "open", "close", "take", "put", "clean", "heat", "cool", "use", "examine", "look",
    "inventory",
]  # fmt: skip


class SkillAgentConfig(BaseModel):
    """Knobs of the built-in skill-executing agent (its skills come with the genome)."""

    model_config = ConfigDict(extra="forbid")

    max_steps: int = Field(20, ge=5, le=80, description="actions allowed per task")
    search_order: list[ReceptacleType] = Field(
        default_factory=lambda: ["countertop"],
        min_length=1,
        max_length=len(RECEPTACLE_TYPES),
        json_schema_extra={"unique": True},
        description="receptacle types 'search' visits, in order",
    )
    open_containers: bool = Field(False, description="whether 'search' opens closed receptacles")
    exploration: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="share of the remaining steps 'search' may spend on unvisited receptacles "
        "once the search order is exhausted",
    )
    retries: int = Field(0, ge=0, le=3, description="failed runs of one skill allowed per task")
    plan_depth: int = Field(
        1, ge=1, le=4, description="how deep preconditions are achieved with other skills"
    )
    skill_choice: Literal["first", "shortest"] = Field(
        "first", description="which applicable skill to try first: library order or fewest steps"
    )


def default_system_prompt() -> str:
    """The seed system prompt of the model-driven agent (a data file)."""
    return (PROMPTS / "agent_system.txt").read_text().strip()


class LLMAgentConfig(BaseModel):
    """What the model-driven agent is made of; the system prompt is free text."""

    model_config = ConfigDict(extra="forbid")

    system_prompt: str = Field(
        default_factory=default_system_prompt, min_length=20, max_length=4000
    )
    model: str = Field("openai/gpt-4o-mini", min_length=1, description="litellm model name")
    temperature: float = Field(0.2, ge=0.0, le=1.5)
    max_steps: int = Field(30, ge=3, le=60, description="actions allowed per task")
    max_tokens: int = Field(48, ge=8, le=512, description="tokens per model reply")
    history: int = Field(10, ge=1, le=40, description="recent observation turns kept in the prompt")
    show_admissible: bool = Field(True, description="list the admissible actions each turn")
    tools: list[ActionVerb] = Field(
        default_factory=lambda: list(ActionVerb.__args__),
        min_length=3,
        json_schema_extra={"unique": True},
        description="action verbs the agent may use",
    )
    use_skills: bool = Field(True, description="give the skill library to the model as advice")
