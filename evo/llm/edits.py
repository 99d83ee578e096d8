"""Reading a model's answer: fenced code, and SEARCH/REPLACE diffs applied tolerantly.

A diff is one or more blocks

    <<<<<<< SEARCH
    old lines
    =======
    new lines
    >>>>>>> REPLACE

Each SEARCH text must be found in the parent, inside an EVOLVE-BLOCK region when the
parent has any; matching first tries the exact text, then ignores trailing spaces, then
all indentation and blank lines (and re-indents the replacement to the match).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(r"```[\w+-]*[ \t]*\n(.*?)```", re.S)
DIFF = re.compile(r"<{5,}\s*SEARCH[ \t]*\n(.*?)\n?={5,}[ \t]*\n(.*?)\n?>{5,}\s*REPLACE", re.S)
BLOCK_START, BLOCK_END = "EVOLVE-BLOCK-START", "EVOLVE-BLOCK-END"


class EditError(ValueError):
    """An answer that cannot be turned into a genome; the message says why."""


def extract_code(answer: str) -> str:
    """The last fenced code block of an answer (the whole answer when unfenced and it
    holds no prose markers)."""
    blocks = FENCE.findall(answer)
    if blocks:
        return blocks[-1].rstrip() + "\n"
    if "```" in answer:
        raise EditError("unterminated code block (the answer looks truncated)")
    raise EditError("no fenced code block in the answer")


@dataclass(frozen=True)
class Replacement:
    """One SEARCH/REPLACE pair."""

    search: str
    replace: str


def parse_diff(answer: str) -> list[Replacement]:
    """The SEARCH/REPLACE blocks of an answer."""
    blocks = [Replacement(s, r) for s, r in DIFF.findall(answer)]
    if not blocks:
        if "<<<<<<< SEARCH" in answer:
            raise EditError("malformed SEARCH/REPLACE block (missing ======= or >>>>>>> REPLACE)")
        raise EditError("no SEARCH/REPLACE blocks in the answer")
    return blocks


def editable_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside EVOLVE-BLOCK markers (the whole text without markers)."""
    spans, start = [], None
    offset = 0
    for line in text.splitlines(keepends=True):
        if BLOCK_START in line:
            start = offset + len(line)
        elif BLOCK_END in line and start is not None:
            spans.append((start, offset))
            start = None
        offset += len(line)
    if not spans and BLOCK_START not in text:
        return [(0, len(text))]
    return spans


def _inside(spans: list[tuple[int, int]], begin: int, end: int) -> bool:
    return any(a <= begin and end <= b for a, b in spans)


def _normalised_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _find_loose(text: str, search: str) -> tuple[int, int, str] | None:
    """Span of ``search`` ignoring indentation and blank lines, with the indentation of
    the first matched line."""
    wanted = _normalised_lines(search)
    if not wanted:
        return None
    lines = text.splitlines(keepends=True)
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line)
    content = [(i, line.strip()) for i, line in enumerate(lines) if line.strip()]
    for k in range(len(content) - len(wanted) + 1):
        if [c for _, c in content[k : k + len(wanted)]] == wanted:
            first, last = content[k][0], content[k + len(wanted) - 1][0]
            indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
            return starts[first], starts[last] + len(lines[last]), indent
    return None


def _reindent(replace: str, indent: str) -> str:
    lines = replace.splitlines()
    present = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    base = min(present) if present else 0
    body = "\n".join((indent + line[base:]) if line.strip() else "" for line in lines)
    return body + "\n" if body else ""


def apply_diff(parent: str, blocks: list[Replacement]) -> str:
    """Apply every block in order; raises ``EditError`` naming the block that failed."""
    text = parent
    for number, block in enumerate(blocks, start=1):
        spans = editable_spans(text)
        at = text.find(block.search) if block.search else -1
        if at >= 0 and _inside(spans, at, at + len(block.search)):
            text = text[:at] + block.replace + text[at + len(block.search) :]
            continue
        loose = _find_loose(text, block.search)
        if loose is None:
            raise EditError(f"SEARCH block {number} does not match the program")
        begin, end, indent = loose
        if not _inside(spans, begin, end):
            raise EditError(f"SEARCH block {number} lies outside the EVOLVE-BLOCK regions")
        text = text[:begin] + _reindent(block.replace, indent) + text[end:]
    if text == parent:
        raise EditError("the diff changes nothing")
    return text
