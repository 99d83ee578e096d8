"""Reading Redcode source: physical lines to the logical lines the assembler expands.

Handles backslash continuation, the ``;redcode`` start (and stop) lines, the
``;name``/``;author``/``;strategy`` comments, ``;assert`` lines, trailing comments,
and the header of pMARS load files (``Program "NAME" (length N) by "AUTHOR"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from problems.corewar.tokens import Tok, next_token

LOAD_FILE_HEADER = re.compile(r'^Program "(?P<name>.*)" \(length \d+\) by "(?P<author>.*)"\s*$')


@dataclass
class Line:
    """One logical source line: its text and its (1-based) line number."""

    text: str
    number: int


@dataclass
class Source:
    """The lines to assemble and the metadata comments."""

    lines: list[Line] = field(default_factory=list)
    name: str = "Unknown"
    author: str = "Anonymous"
    strategy: list[str] = field(default_factory=list)


def strip_comment(text: str) -> str:
    """``text`` up to its first ``;``."""
    cut = text.find(";")
    return text if cut < 0 else text[:cut]


def _logical_lines(text: str) -> list[tuple[str, int]]:
    """Physical lines (cut at a carriage return, as pMARS does) joined where a line
    ends with a backslash."""
    out: list[tuple[str, int]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.split("\r", 1)[0]
        if not pending:
            start = number
        if raw.endswith("\\"):
            pending += raw[:-1]
            continue
        out.append((pending + raw, start))
        pending = ""
    if pending:
        out.append((pending, start))
    return out


def _metadata(source: Source, line: str, after: int, number: int) -> bool:
    """Handle a comment line; returns True if it is a ``;redcode`` line."""
    kind, token, end = next_token(line, after)
    keyword = token.upper()
    if keyword == "REDCODE" and end == after + 7:
        return True
    rest = line[end:].lstrip(" \t\n\v\f\r")
    if keyword == "NAME":
        source.name = rest or "Unknown"
    elif keyword == "AUTHOR":
        source.author = rest or "Anonymous"
    elif keyword == "STRATEGY":
        source.strategy.append(rest)
    elif keyword == "ASSERT":
        source.lines.append(Line(line[:end] + strip_comment(line[end:]), number))
    return False


def read_source(text: str) -> Source:
    """Split ``text`` into logical lines and metadata, as pMARS reads a file."""
    source = Source()
    starts = 0
    logical = _logical_lines(text)
    if logical and (header := LOAD_FILE_HEADER.match(logical[0][0])):
        source.name, source.author = header["name"], header["author"]
        logical = logical[1:]
    for line, number in logical:
        kind, _, after = next_token(line, 0)
        if kind is Tok.NONE:
            continue
        if kind is Tok.COMMENT:
            if _metadata(source, line, after, number):
                starts += 1
                if starts == 1:
                    source.lines.clear()
                else:
                    break
            continue
        source.lines.append(Line(strip_comment(line), number))
    return source
