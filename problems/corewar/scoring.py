"""pMARS's tallies and scores from the rounds' outcomes (plain Python: ``evo battle``
runs without numpy)."""

from __future__ import annotations

from collections.abc import Sequence


def tally(alive: Sequence[Sequence[int]], death_order: Sequence[Sequence[int]]) -> list[list[int]]:
    """pMARS's per-warrior tallies over rounds: ``[i][s-1]`` rounds survived with ``s``
    survivors, ``[i][n + k - 1]`` deaths while ``n - k + 1`` were alive (k = 1, 2, ...).

    ``alive[r][i]`` says whether warrior ``i`` survived round ``r``; ``death_order[r]``
    lists the warriors that died in it, in order, padded with -1.
    """
    n = len(alive[0]) if alive else 0
    counts = [[0] * (2 * n - 1) for _ in range(n)]
    for survived, died in zip(alive, death_order, strict=True):
        survivors = sum(1 for x in survived if x)
        for i in range(n):
            if survived[i]:
                counts[i][survivors - 1] += 1
        for k, warrior in enumerate(died):
            if warrior >= 0:
                counts[warrior][2 * n - 2 - k] += 1
    return counts


def pmars_score(counts: Sequence[int], warriors: int) -> int:
    """pMARS's default score: ``(W*W-1)/S`` points per round survived with S survivors."""
    return sum(
        n * ((warriors * warriors - 1) // survivors)
        for survivors, n in enumerate(counts[:warriors], start=1)
    )
