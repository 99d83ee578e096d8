"""EVOLVE-BLOCK regions of a Python source (OpenEvolve's markers)."""

from __future__ import annotations

START = "# EVOLVE-BLOCK-START"
END = "# EVOLVE-BLOCK-END"


def block_ranges(source: str) -> list[tuple[int, int]]:
    """``(first, last)`` 0-based line numbers of the code inside each block (markers
    excluded). Without markers the whole source is one block."""
    lines = source.splitlines()
    ranges, start = [], None
    for number, line in enumerate(lines):
        text = line.strip()
        if text.startswith(START):
            start = number + 1
        elif text.startswith(END) and start is not None:
            if number > start:
                ranges.append((start, number - 1))
            start = None
    if not ranges and START not in source:
        return [(0, len(lines) - 1)] if lines else []
    return ranges


def in_blocks(line: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether 0-based ``line`` lies inside one of the blocks."""
    return any(first <= line <= last for first, last in ranges)
