"""Resolve the config's choices (survival mode, operators, parent selector) for a problem."""

from __future__ import annotations

from collections.abc import Mapping

from evo.config import ExperimentConfig
from evo.errors import ConfigError
from evo.problem import Problem, implements
from evo.selection import RankWeightedSelector, Selector, TournamentSelector
from evo.selection.map_elites import GridArchive
from evo.variation import Operator, build_operator, operator_names

DEFAULT_MIX = {"crossover": 0.9, "mutation": 0.1}


def uses_elo(problem: Problem, config: ExperimentConfig) -> bool:
    """Whether survival is by ELO rating (``auto``: when the problem defines ``match``)."""
    mode = config.selection.survival
    has_match = implements(problem, "match")
    if mode == "elo" and not has_match:
        raise ConfigError(
            "selection.survival: elo needs a problem with match(); "
            f"{type(problem).__name__} has none"
        )
    if mode == "pareto" and not problem.objectives:
        raise ConfigError("selection.survival: pareto needs a problem with objectives")
    if mode == "auto" and not has_match and not problem.objectives:
        raise ConfigError(f"problem {type(problem).__name__} has neither objectives nor match()")
    return mode == "elo" or (mode == "auto" and has_match)


def build_archive(problem: Problem, config: ExperimentConfig) -> GridArchive | None:
    """The MAP-Elites grid when ``selection.survival`` is ``map_elites``."""
    selection = config.selection
    if selection.survival != "map_elites" or selection.archive is None:
        return None
    if not problem.objectives:
        raise ConfigError(
            "selection.survival: map_elites ranks elites by the first objective; "
            f"{type(problem).__name__} has none"
        )
    archive = selection.archive
    return GridArchive(archive.descriptors, archive.bins, archive.ranges)


def build_operators(problem: Problem, config: ExperimentConfig) -> list[tuple[Operator, float]]:
    """The weighted operator mix; each operator must be registered and fit the problem."""
    mix = config.variation.operators
    if mix is None:
        mix = {
            name: w
            for name, w in DEFAULT_MIX.items()
            if implements(problem, "mutate" if name == "mutation" else name)
        }
        if not mix:
            raise ConfigError(
                f"variation.operators: {type(problem).__name__} defines neither mutate() nor "
                "crossover(); configure operators (see `evo problems`)"
            )
    own = dict(problem.operators())
    operators = []
    for name, weight in mix.items():
        if weight == 0:
            continue
        if name.startswith("llm_") and config.llm is None:
            raise ConfigError(f"variation.operators.{name}: needs an `llm:` section (models)")
        if name in own:
            operator = own[name]()
            operator.name = name
        elif name in operator_names():
            operator = build_operator(name)
        else:
            known = ", ".join(sorted({*operator_names(), *own}))
            raise ConfigError(f"variation.operators.{name}: unknown operator (known: {known})")
        reason = operator.check(problem)
        if reason:
            raise ConfigError(f"variation.operators.{name}: {reason}")
        operators.append((operator, weight))
    return operators


def build_selector(config: ExperimentConfig, children: Mapping[str, int]) -> Selector:
    """The parent selector named by ``selection.parents``."""
    selection = config.selection
    if selection.parents == "rank_weighted":
        return RankWeightedSelector(children, selection.pressure, selection.children_penalty)
    return TournamentSelector(selection.tournament_size)
