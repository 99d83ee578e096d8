"""Prompt templates (text files in ``evo/llm/prompts``) filled from a variation context."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from evo.selection.base import Member

TEMPLATES = Path(__file__).with_name("prompts")
MAX_ARTIFACT = 1500


@cache
def template(name: str) -> Template:
    """The template ``prompts/<name>.txt``."""
    return Template((TEMPLATES / f"{name}.txt").read_text())


def render(name: str, **fields: Any) -> str:
    """Fill a template; missing fields are left empty."""
    return template(name).safe_substitute({k: "" if v is None else v for k, v in fields.items()})


def metrics_text(member: Member) -> str:
    """``name=value`` pairs of a member's objectives, or its status."""
    evaluation = member.evaluation
    if not evaluation.ok:
        return f"{evaluation.status.value}"
    return ", ".join(f"{k}={v:.6g}" for k, v in evaluation.objectives.items())


def artifacts_text(member: Member) -> str:
    """The parent's artifacts (stderr, tracebacks), clipped."""
    parts = []
    for name, text in member.evaluation.artifacts.items():
        parts.append(f"### {name}\n{str(text)[-MAX_ARTIFACT:]}")
    return "\n".join(parts)


def genome_text(genome: Any) -> str:
    """A genome as prompt text (JSON for structured genomes)."""
    return genome if isinstance(genome, str) else json.dumps(genome, indent=1)


def inspirations_text(members: list[Member], language: str) -> str:
    """Other members of the population, with their scores."""
    if not members:
        return "(none yet)"
    return "\n".join(
        f"### scores: {metrics_text(m)}\n```{language}\n{genome_text(m.candidate.genome)}\n```"
        for m in members
    )


def lessons_text(lessons: list[str]) -> str:
    """The experience pool's lessons as a bullet list."""
    return "\n".join(f"- {text.lstrip('- ')}" for text in lessons) or "(none yet)"
