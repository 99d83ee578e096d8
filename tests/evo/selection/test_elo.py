import itertools
import random

import numpy as np
import pytest

from evo.records import Candidate, Evaluation, Match, Status
from evo.selection import EloSurvival, Member, fit_ratings


def test_a_cycle_rates_everyone_equally():
    matches = [Match("a", "b", 1), Match("b", "c", 1), Match("c", "a", 1)]
    ratings = fit_ratings(matches * 50, "abc")
    values = [r for r, _ in ratings.values()]
    assert max(values) - min(values) < 1e-6
    assert all(abs(v - 1500) < 1e-6 for v in values)


def test_rating_does_not_depend_on_match_order():
    rng = random.Random(0)
    matches = [Match(a, b, rng.choice([0, 0.5, 1])) for a, b in itertools.permutations("abcde", 2)]
    first = fit_ratings(matches, "abcde")
    rng.shuffle(matches)
    second = fit_ratings(matches, "edcba")
    for p in "abcde":
        assert first[p][0] == pytest.approx(second[p][0], abs=1e-6)


def test_winning_everything_does_not_blow_up():
    ratings = fit_ratings([Match("a", "b", 1.0)] * 1000, "ab")
    assert 1500 < ratings["a"][0] < 3500 and ratings["a"][0] + ratings["b"][0] == pytest.approx(
        3000
    )
    assert ratings["a"][1] == 1000


def test_recovers_known_strengths():
    rng = np.random.default_rng(1)
    truth = {str(i): 1500 + 100 * (i - 5) for i in range(11)}
    matches = []
    for _ in range(20000):
        a, b = rng.choice(list(truth), 2, replace=False)
        p = 1 / (1 + 10 ** ((truth[b] - truth[a]) / 400))
        matches.append(Match(a, b, float(rng.random() < p)))
    ratings = fit_ratings(matches, truth, prior_games=0.1)
    for player, value in truth.items():
        assert ratings[player][0] == pytest.approx(value, abs=25)


def test_matches_outside_the_players_are_ignored():
    ratings = fit_ratings([Match("a", "z", 1.0)] * 10 + [Match("a", "b", 0.5)], "ab")
    assert ratings["a"][0] == pytest.approx(ratings["b"][0]) and ratings["a"][1] == 1


def test_elo_survival_orders_by_rating_with_failures_last_and_ties_by_id():
    def member(genome, ok=True):
        status = Status.OK if ok else Status.ERROR
        return Member(Candidate.new(genome), Evaluation(status=status))

    a, b, c, d = member("a"), member("b"), member("c"), member("d", ok=False)
    ratings = {a.id: (1400.0, 1), b.id: (1600.0, 1), c.id: (1400.0, 1), d.id: (2000.0, 1)}
    survivors = EloSurvival(ratings).survive([d, c, a, b], 4)
    assert survivors[0] is b and survivors[-1] is d
    assert [m.id for m in survivors[1:3]] == sorted([a.id, c.id])
    assert EloSurvival(ratings).survive([d, a, c, b], 4) == survivors
