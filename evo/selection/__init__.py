"""Survival (Pareto, ELO) and parent selection."""

from evo.selection.base import Member, Selector, Survival
from evo.selection.elo import EloSurvival, fit_ratings
from evo.selection.parents import RankWeightedSelector, TournamentSelector
from evo.selection.pareto import ParetoSurvival, hypervolume, minimisation_matrix, nsga2_order

__all__ = [
    "EloSurvival",
    "Member",
    "ParetoSurvival",
    "RankWeightedSelector",
    "Selector",
    "Survival",
    "TournamentSelector",
    "fit_ratings",
    "hypervolume",
    "minimisation_matrix",
    "nsga2_order",
]
