"""Classical operators for Python programs: edits inside EVOLVE-BLOCKs that keep the
program parseable (an edit that would not parse is not made).

Constants are perturbed, arithmetic operators and comparisons swapped, and two parents
exchange statements between their blocks; text outside the blocks is never touched.
"""

from __future__ import annotations

import ast

import numpy as np

from problems.program.blocks import block_ranges, in_blocks

SWAPS = {
    ast.Add: "-",
    ast.Sub: "+",
    ast.Mult: "/",
    ast.Div: "*",
    ast.FloorDiv: "/",
    ast.Lt: "<=",
    ast.LtE: "<",
    ast.Gt: ">=",
    ast.GtE: ">",
    ast.Eq: "!=",
    ast.NotEq: "==",
}
SYMBOLS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}


def parses(source: str) -> bool:
    """Whether ``source`` is valid Python."""
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return True


def _splice(source: str, node: ast.AST, text: str) -> str:
    """``source`` with the single-line span of ``node`` replaced by ``text``."""
    lines = source.splitlines(keepends=True)
    row = node.lineno - 1
    line = lines[row]
    lines[row] = line[: node.col_offset] + text + line[node.end_col_offset :]
    return "".join(lines)


def _constants(tree: ast.AST, ranges: list[tuple[int, int]]) -> list[ast.Constant]:
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant)
        and type(n.value) in (int, float)
        and n.lineno == n.end_lineno
        and in_blocks(n.lineno - 1, ranges)
    ]


def perturb_constant(source: str, rng: np.random.Generator) -> str | None:
    """Change one number inside a block (a relative step for floats, +-1..3 for ints)."""
    tree = ast.parse(source)
    candidates = _constants(tree, block_ranges(source))
    if not candidates:
        return None
    node = candidates[int(rng.integers(len(candidates)))]
    if isinstance(node.value, int):
        value: float = node.value + int(rng.choice([-3, -2, -1, 1, 2, 3]))
        text = str(int(value))
    else:
        scale = abs(node.value) if node.value else 0.1
        value = node.value + float(rng.normal(0.0, 0.1)) * scale
        text = repr(round(value, 6))
    return _splice(source, node, text)


def swap_operator(source: str, rng: np.random.Generator) -> str | None:
    """Swap one arithmetic operator or comparison inside a block for a related one."""
    tree = ast.parse(source)
    ranges = block_ranges(source)
    lines = source.splitlines(keepends=True)
    sites = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and type(node.op) in SWAPS:
            left, right, op = node.left, node.right, node.op
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in SWAPS:
            left, right, op = node.left, node.comparators[0], node.ops[0]
        else:
            continue
        if left.end_lineno == right.lineno and in_blocks(right.lineno - 1, ranges):
            sites.append((left, right, op))
    if not sites:
        return None
    left, right, op = sites[int(rng.integers(len(sites)))]
    row = right.lineno - 1
    between = lines[row][left.end_col_offset : right.col_offset]
    symbol = SYMBOLS[type(op)]
    if symbol not in between:
        return None
    replaced = between.replace(symbol, SWAPS[type(op)], 1)
    line = lines[row]
    lines[row] = line[: left.end_col_offset] + replaced + line[right.col_offset :]
    return "".join(lines)


def mutate_program(source: str, rng: np.random.Generator, attempts: int = 10) -> str:
    """One edit inside the blocks; the source itself if no edit parses."""
    for _ in range(attempts):
        edit = perturb_constant if rng.random() < 0.75 else swap_operator
        child = edit(source, rng)
        if child is not None and child != source and parses(child):
            return child
    return source


def _statements(source: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Top-level statement spans (line ranges) inside the first block."""
    ranges = block_ranges(source)
    if not ranges:
        return [], []
    first, last = ranges[0]
    lines = source.splitlines(keepends=True)
    body = "".join(lines[first : last + 1])
    try:
        tree = ast.parse(_dedent(body))
    except SyntaxError:
        return [], []
    spans = [(first + s.lineno - 1, first + s.end_lineno - 1) for s in tree.body]
    return lines, spans


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text)


def crossover_programs(a: str, b: str, rng: np.random.Generator, attempts: int = 10) -> str:
    """Replace a run of ``a``'s block statements by a run of ``b``'s (same indentation)."""
    lines_a, spans_a = _statements(a)
    lines_b, spans_b = _statements(b)
    if not spans_a or not spans_b:
        return a
    for _ in range(attempts):
        i = int(rng.integers(len(spans_a)))
        j = int(rng.integers(i, len(spans_a)))
        k = int(rng.integers(len(spans_b)))
        m = int(rng.integers(k, len(spans_b)))
        head = lines_a[: spans_a[i][0]]
        tail = lines_a[spans_a[j][1] + 1 :]
        middle = lines_b[spans_b[k][0] : spans_b[m][1] + 1]
        child = "".join(head + middle + tail)
        if child != a and parses(child):
            return child
    return a
