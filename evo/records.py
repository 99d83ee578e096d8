"""Immutable records that flow through a run: candidates, evaluations, matches."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal

Genome = Any
"""A JSON-serialisable value: source text, a mapping of named texts, or a typed config."""

Direction = Literal["max", "min"]


class Status(StrEnum):
    """Outcome of one evaluation. Failures are data, not exceptions."""

    OK = "ok"
    INVALID = "invalid"
    ERROR = "error"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class Objective:
    """A named objective and whether larger (``max``) or smaller (``min``) is better."""

    name: str
    direction: Direction = "max"

    def __post_init__(self) -> None:
        if self.direction not in ("max", "min"):
            raise ValueError(f"objective {self.name!r}: direction must be 'max' or 'min'")

    def sign(self) -> float:
        """+1 for maximised objectives, -1 for minimised ones."""
        return 1.0 if self.direction == "max" else -1.0


def canonical_json(value: Any) -> str:
    """Stable JSON text of a genome: sorted keys, no whitespace."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def genome_id(genome: Genome) -> str:
    """Content hash of a genome (16 hex digits of SHA-256 over its canonical JSON)."""
    return hashlib.sha256(canonical_json(genome).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Candidate:
    """A proposed genome and where it came from.

    Attributes:
        id: content hash of the genome.
        genome: the JSON-serialisable genome.
        parents: ids of the parents (empty for seeds).
        operator: name of the operator that made it (``seed`` for the initial ones).
        generation: generation in which it was proposed.
        island: island it belongs to.
    """

    id: str
    genome: Genome
    parents: tuple[str, ...] = ()
    operator: str = "seed"
    generation: int = 0
    island: int = 0

    @classmethod
    def new(cls, genome: Genome, **fields: Any) -> Candidate:
        """A candidate whose id is the content hash of ``genome``."""
        return cls(id=genome_id(genome), genome=genome, **fields)


@dataclass(frozen=True)
class Evaluation:
    """The result of evaluating one candidate.

    Attributes:
        candidate_id: id of the evaluated candidate (filled in by the engine).
        status: ok, invalid, error or timeout.
        objectives: objective name to value; empty unless ``status`` is ok.
        instance_scores: optional per-instance (per-test, per-opponent) scores.
        descriptors: optional behaviour descriptors (for archives and plots).
        feedback: text that later prompts may quote (reasons for failure, hints).
        artifacts: named texts such as stderr or traces.
        wall_time: seconds spent evaluating.
    """

    candidate_id: str = ""
    status: Status = Status.OK
    objectives: Mapping[str, float] = field(default_factory=dict)
    instance_scores: Mapping[str, float] = field(default_factory=dict)
    descriptors: Mapping[str, float] = field(default_factory=dict)
    feedback: str = ""
    artifacts: Mapping[str, str] = field(default_factory=dict)
    wall_time: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the evaluation succeeded and its objectives are usable."""
        return self.status is Status.OK

    @classmethod
    def failure(cls, status: Status, reason: str, **fields: Any) -> Evaluation:
        """A failed evaluation whose feedback is ``reason``."""
        return cls(status=Status(status), feedback=reason, **fields)

    def with_fields(self, **changes: Any) -> Evaluation:
        """A copy with some fields replaced."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Match:
    """One pairwise game: ``outcome`` in [0, 1] is the score of ``a`` (1 win, 0.5 draw)."""

    a: str
    b: str
    outcome: float
    generation: int = 0

    def __post_init__(self) -> None:
        if not (0.0 <= self.outcome <= 1.0) or math.isnan(self.outcome):
            raise ValueError(f"match outcome must lie in [0, 1], got {self.outcome!r}")
