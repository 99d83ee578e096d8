"""The Pareto front the figures highlight."""

import numpy as np

from evo.selection.pareto import first_front


def test_the_front_is_the_points_nothing_dominates():
    points = np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0], [0.6, 0.6], [0.5, 0.5001]])
    assert first_front(points).tolist() == [0, 1, 2]
    assert first_front(-points).tolist() == [0, 2, 3]
    assert first_front(np.empty((0, 2))).tolist() == []
