"""The Redcode tokenizer: pMARS's token classes, one token at a time."""

from __future__ import annotations

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


EXPR_CHARS = "()/+-%!="
MODE_CHARS = "#$@<>*{}"


def is_word_start(ch: str) -> bool:
    """Letters (ASCII) and underscore start an identifier."""
    return ch == "_" or ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def is_word_char(ch: str) -> bool:
    """Characters that continue an identifier."""
    return is_word_start(ch) or ch.isdigit()


def is_space(ch: str) -> bool:
    """C's isspace in the C locale."""
    return ch in " \t\n\v\f\r"


def skip_space(text: str, i: int) -> int:
    """Index of the first non-space character at or after ``i``."""
    while i < len(text) and is_space(text[i]):
        i += 1
    return i


def char_at(text: str, i: int) -> str:
    """``text[i]``, or the empty string past the end (C's terminating NUL)."""
    return text[i] if i < len(text) else ""


def next_token(text: str, i: int) -> tuple[Tok, str, int]:
    """The token starting at or after ``i``: ``(class, text, index after it)``."""
    i = skip_space(text, i)
    if i >= len(text):
        return Tok.NONE, "", i
    ch = text[i]
    if ch.isdigit() and ch.isascii():
        j = i
        while j < len(text) and text[j].isdigit() and text[j].isascii():
            j += 1
        return Tok.NUMBER, text[i:j], j
    if is_word_start(ch):
        j = i
        while j < len(text) and is_word_char(text[j]):
            j += 1
        return Tok.WORD, text[i:j], j
    if ch in EXPR_CHARS:
        return Tok.EXPR, ch, i + 1
    if ch in MODE_CHARS:
        return Tok.MODE, ch, i + 1
    if ch == "&":
        if char_at(text, i + 1) == "&":
            return Tok.EXPR, "&&", i + 2
        return Tok.APPEND, ch, i + 1
    if ch == ";":
        return Tok.COMMENT, ch, i + 1
    if ch == ",":
        return Tok.COMMA, ch, i + 1
    if ch == ".":
        return Tok.DOT, ch, i + 1
    if ch == "|" and char_at(text, i + 1) == "|":
        return Tok.EXPR, "||", i + 2
    return Tok.MISC, ch, i + 1
