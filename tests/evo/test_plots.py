"""The figure helpers that compute something: the highlighted Pareto front."""

import numpy as np

from evo.plots import nondominated


def test_the_front_is_the_points_nothing_dominates():
    points = np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0], [0.6, 0.6], [0.5, 0.5001]])
    assert nondominated(points, [-1, -1]).tolist() == [True, True, True, False, False]
    assert nondominated(points, [1, 1]).tolist() == [True, False, True, True, False]
