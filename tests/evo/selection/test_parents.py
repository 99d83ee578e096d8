import numpy as np

from evo.records import Candidate, Evaluation
from evo.selection import Member, RankWeightedSelector, TournamentSelector


def population(n):
    return [Member(Candidate.new(i), Evaluation()) for i in range(n)]


def test_tournament_prefers_better_ranks():
    pop = population(10)
    picks = TournamentSelector(3).select(pop, 5000, np.random.default_rng(0))
    counts = np.bincount([pop.index(m) for m in picks], minlength=10)
    assert counts[0] > counts[5] > counts[9]


def test_rank_weighted_down_weights_parents_with_many_children():
    pop = population(5)
    children = {}
    selector = RankWeightedSelector(children, pressure=2.0, penalty=1.0)
    before = selector.weights(pop)
    assert np.all(np.diff(before) < 0) and abs(before.sum() - 1) < 1e-12
    children[pop[0].id] = 9
    after = selector.weights(pop)
    assert after[0] < before[0] / 5 and after[1] > before[1]
    picks = selector.select(pop, 3000, np.random.default_rng(1))
    share_top = sum(m is pop[0] for m in picks) / 3000
    assert abs(share_top - after[0]) < 0.03
