"""The Redcode tokenizer: pMARS's token classes, one token at a time."""

from __future__ import annotations

import re
from enum import IntEnum


class Tok(IntEnum):
    """Token classes, as pMARS distinguishes them."""

    NONE = 0
    NUMBER = 1
    WORD = 2
    EXPR = 3  # ( ) / + - % ! = && ||
    MODE = 4  # # $ @ < > * { }
    APPEND = 5  # a single &
    COMMENT = 6  # ;
    COMMA = 7
    DOT = 8
    MISC = 9


SPACE = " \t\n\v\f\r"
"""C's isspace in the C locale."""
_TOKEN = re.compile(rf"[{SPACE}]*+(?:([0-9]+)|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\|)|(.))", re.S)
"""Spaces, then a number, an identifier (ASCII, as C's isalnum), ``&&``/``||`` or one
character."""
_SINGLE = (
    dict.fromkeys("()/+-%!=", Tok.EXPR)  # with && and ||: expression operators
    | dict.fromkeys("#$@<>*{}", Tok.MODE)
    | {"&": Tok.APPEND, ";": Tok.COMMENT, ",": Tok.COMMA, ".": Tok.DOT}
)


def is_space(ch: str) -> bool:
    """C's isspace in the C locale."""
    return ch in SPACE


def char_at(text: str, i: int) -> str:
    """``text[i]``, or the empty string past the end (C's terminating NUL)."""
    return text[i] if i < len(text) else ""


def next_token(text: str, i: int) -> tuple[Tok, str, int]:
    """The token starting at or after ``i``: ``(class, text, index after it)``."""
    match = _TOKEN.match(text, i)
    if match is None:  # only spaces are left
        return Tok.NONE, "", len(text)
    number, word, pair, single = match.groups()
    if number is not None:
        return Tok.NUMBER, number, match.end()
    if word is not None:
        return Tok.WORD, word, match.end()
    if pair is not None:
        return Tok.EXPR, pair, match.end()
    return _SINGLE.get(single, Tok.MISC), single, match.end()
