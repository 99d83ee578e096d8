"""Pack 26 circles into the unit square, maximising the sum of their radii."""

import math

N = 26


# EVOLVE-BLOCK-START
def centres():
    """Rows of circles; the row counts, margins and stagger are the knobs to evolve."""
    rows = [5, 6, 5, 5, 5]
    margin_x = 0.1
    margin_y = 0.1
    stagger = 0.05
    points = []
    for r, count in enumerate(rows):
        y = margin_y + r * (1 - 2 * margin_y) / (len(rows) - 1)
        shift = stagger if r % 2 else 0.0
        for c in range(count):
            x = margin_x + shift + c * (1 - 2 * margin_x - shift) / max(count - 1, 1)
            points.append((min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)))
    return points[:N]


# EVOLVE-BLOCK-END


def radii_for(points, sweeps=50):
    """Grow each radius to the nearest wall or neighbour's edge, repeatedly: every
    result is a valid packing for the given centres."""
    radii = [0.0] * len(points)
    for _ in range(sweeps):
        for i, (x, y) in enumerate(points):
            limit = min(x, y, 1 - x, 1 - y)
            for j, other in enumerate(points):
                if j != i:
                    limit = min(limit, math.dist((x, y), other) - radii[j])
            radii[i] = max(0.0, limit)
    return radii


def run_packing():
    """Entry point: centres, radii and the claimed sum (the evaluator recomputes it)."""
    points = centres()
    radii = radii_for(points)
    return {"centres": [list(p) for p in points], "radii": radii, "sum": sum(radii)}
