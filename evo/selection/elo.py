"""ELO ratings fitted to all matches at once (Bradley-Terry), and rating-based survival.

Ratings are the maximum-likelihood (Newton's method) Bradley-Terry strengths of the players on the
Elo scale (400 points = 10:1 odds). Every player also gets ``prior_games`` virtual
draws against an anchor at the initial rating, which keeps ratings finite when a
player has won (or lost) everything. The fit depends only on the set of matches,
never on their order, and a non-transitive cycle settles at equal ratings instead of
oscillating.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from evo.records import Match
from evo.selection.base import Member, Survival


def _log_likelihood(theta, a, b, score, prior_games):
    diff = theta[a] - theta[b]
    games = np.sum(score * -np.logaddexp(0.0, -diff) + (1.0 - score) * -np.logaddexp(0.0, diff))
    prior = -0.5 * prior_games * np.sum(np.logaddexp(0.0, -theta) + np.logaddexp(0.0, theta))
    return games + prior


def fit_ratings(
    matches: Iterable[Match],
    players: Iterable[str],
    *,
    prior_games: float = 2.0,
    initial: float = 1500.0,
    tolerance: float = 1e-9,
    max_iterations: int = 100,
) -> dict[str, tuple[float, float]]:
    """Fit ratings of ``players`` from the matches among them (Newton's method).

    Returns:
        player id to ``(rating, real games played)``. Matches involving anyone outside
        ``players`` are ignored.
    """
    index = {p: i for i, p in enumerate(dict.fromkeys(players))}
    n = len(index)
    if n == 0:
        return {}
    rows = [(index[m.a], index[m.b], m.outcome) for m in matches if m.a in index and m.b in index]
    a = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    b = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    score = np.fromiter((r[2] for r in rows), dtype=float, count=len(rows))
    games = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    theta = np.zeros(n)
    current = _log_likelihood(theta, a, b, score, prior_games)
    for _ in range(max_iterations):
        p_match = 1.0 / (1.0 + np.exp(theta[b] - theta[a]))
        p_prior = 1.0 / (1.0 + np.exp(-theta))
        gradient = np.bincount(a, score - p_match, n) - np.bincount(b, score - p_match, n)
        gradient += prior_games * (0.5 - p_prior)
        weight = p_match * (1.0 - p_match)
        hessian = np.zeros((n, n))
        np.add.at(hessian, (a, b), weight)
        hessian += hessian.T
        hessian = np.diag(hessian.sum(axis=1) + prior_games * p_prior * (1.0 - p_prior)) - hessian
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        while True:
            candidate = theta + scale * step
            value = _log_likelihood(candidate, a, b, score, prior_games)
            if value >= current - 1e-12 or scale < 1e-6:
                break
            scale *= 0.5
        theta, current = candidate, value
        if np.max(np.abs(scale * step)) < tolerance:
            break
    ratings = initial + 400.0 / np.log(10.0) * theta
    return {p: (float(ratings[i]), float(games[i])) for p, i in index.items()}


class EloSurvival(Survival):
    """Keeps the best-rated members; ties broken by id, never by insertion order."""

    def __init__(self, ratings: Mapping[str, tuple[float, float]]) -> None:
        self.ratings = ratings

    def survive(self, members: Sequence[Member], size: int) -> list[Member]:
        def key(member: Member) -> tuple[int, float, str]:
            rating = self.ratings.get(member.id, (-np.inf, 0.0))[0]
            return (0 if member.evaluation.ok else 1, -rating, member.id)

        return sorted(members, key=key)[:size]
