import numpy as np

from evo.records import Candidate, Evaluation, Objective, Status
from evo.selection import Member, ParetoSurvival, hypervolume, minimisation_matrix, nsga2_order


def members(points, objectives=("f", "g")):
    return [
        Member(Candidate.new(list(p)), Evaluation(objectives=dict(zip(objectives, p, strict=True))))
        for p in points
    ]


def brute_force_ranks(F):
    n = len(F)
    dominated_by = [
        [j for j in range(n) if np.all(F[j] <= F[i]) and np.any(F[j] < F[i])] for i in range(n)
    ]
    rank, remaining, level = np.full(n, -1), set(range(n)), 0
    while remaining:
        front = {i for i in remaining if not any(j in remaining for j in dominated_by[i])}
        for i in front:
            rank[i] = level
        remaining -= front
        level += 1
    return rank


def test_nsga2_order_lists_fronts_in_dominance_order():
    rng = np.random.default_rng(0)
    F = rng.random((200, 3))
    order = nsga2_order(F)
    ranks = brute_force_ranks(F)
    assert sorted(order) == list(range(200))
    assert np.all(np.diff(ranks[order]) >= 0)


def test_directions_are_respected():
    objectives = [Objective("f", "min"), Objective("g", "max")]
    F = minimisation_matrix(members([(1, 2)]), objectives)
    assert F.tolist() == [[1.0, -2.0]]


def test_survival_keeps_front_and_extremes_and_drops_failures_first():
    front = [(0.0, 1.0), (0.25, 0.5), (0.5, 0.3), (1.0, 0.0)]
    dominated = [(0.9, 0.9), (0.8, 0.95)]
    failed = [Member(Candidate.new("bad"), Evaluation.failure(Status.ERROR, "boom"))]
    pool = members(dominated + front) + failed
    objectives = [Objective("f", "min"), Objective("g", "min")]
    kept = ParetoSurvival(objectives).survive(pool, 4)
    assert {tuple(m.evaluation.objectives.values()) for m in kept} == set(front)
    everything = ParetoSurvival(objectives).survive(pool, 10)
    assert everything[-1] is failed[0]


def test_hypervolume_of_known_fronts():
    ref = np.array([1.0, 1.0])
    assert hypervolume(np.array([[0.5, 0.5]]), ref) == 0.25
    assert hypervolume(np.array([[0.0, 0.5], [0.5, 0.0]]), ref) == 0.75
    assert hypervolume(np.array([[2.0, 2.0]]), ref) == 0.0
    # ZDT1's true front, densely sampled, approaches the analytic value at (1.1, 1.1)
    f1 = np.linspace(0, 1, 2001)
    F = np.column_stack([f1, 1 - np.sqrt(f1)])
    assert abs(hypervolume(F, np.array([1.1, 1.1])) - (0.1 + 2 / 3 + 0.11)) < 1e-3
