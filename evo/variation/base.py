"""The ``Operator`` extension point and the registry of operators by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evo.problem import Problem
from evo.records import Genome
from evo.selection.base import Member


@dataclass
class VariationContext:
    """What an operator may use besides its parents.

    Attributes:
        problem: the problem being evolved.
        rng: a generator private to this proposal.
        generation: the generation being proposed.
        population: the parents' island, best first (for inspirations).
        extras: run-level helpers other subsystems attach (e.g. an LLM client).
    """

    problem: Problem
    rng: np.random.Generator
    generation: int
    population: Sequence[Member] = ()
    extras: dict[str, Any] = field(default_factory=dict)


class Operator:
    """Makes new genomes from ``arity`` parents.

    ``propose`` may be a coroutine function (operators that call a model); the engine
    awaits those concurrently.
    """

    name: str = ""
    arity: int = 1

    def propose(self, parents: Sequence[Member], context: VariationContext) -> list[Genome]:
        raise NotImplementedError

    def check(self, problem: Problem) -> str | None:
        """Why this operator cannot work on ``problem``, or ``None`` if it can."""
        return None


OperatorFactory = Callable[..., Operator]
_OPERATORS: dict[str, OperatorFactory] = {}


def register(name: str) -> Callable[[OperatorFactory], OperatorFactory]:
    """Class decorator: make an operator available under ``name`` in configs."""

    def add(factory: OperatorFactory) -> OperatorFactory:
        _OPERATORS[name] = factory
        return factory

    return add


BUILTIN_PACKAGES = ("evo.genomes",)
"""Packages of evo whose operators register when imported: imported at the first lookup,
so a config may name them whatever else was imported before."""


def _registry() -> dict[str, OperatorFactory]:
    for package in BUILTIN_PACKAGES:
        importlib.import_module(package)
    return _OPERATORS


def operator_names() -> list[str]:
    """Names of all registered operators (evo's built-in ones included)."""
    return sorted(_registry())


def build_operator(name: str, **kwargs: Any) -> Operator:
    """Instantiate the operator registered as ``name``."""
    operator = _registry()[name](**kwargs)
    operator.name = name
    return operator
