"""Redcode integer expressions, evaluated the way pMARS evaluates them.

64-bit C arithmetic (truncating division, wrap-around on overflow, which pMARS only
warns about), comparisons and logic giving 0 or 1, and the single-letter registers
``a``..``z`` with assignment (``x=5``) that persist for one assembly.
"""

from __future__ import annotations

from problems.corewar.tokens import is_space

EQUAL, NEQU, GTE, LTE, AND, OR, IDENT = range(7)
"""Two-character operators and the identity operator, numbered as in pMARS (a plain
character operator is its code point)."""

INT64 = 1 << 64


class ExpressionError(ValueError):
    """An expression that cannot be evaluated: ``reason`` is 'bad' or 'division by zero'."""


def wrap(value: int) -> int:
    """``value`` as a signed 64-bit integer."""
    value %= INT64
    return value - INT64 if value >= INT64 // 2 else value


def precedence(op: int) -> int:
    """Binding strength of an operator (0 for anything that is not one)."""
    if op in (ord("*"), ord("/"), ord("%")):
        return 5
    if op in (ord("+"), ord("-")):
        return 4
    if op in (ord(">"), ord("<"), EQUAL, NEQU, GTE, LTE):
        return 3
    return {AND: 2, OR: 1}.get(op, 0)


def _divide(x: int, y: int) -> tuple[int, int]:
    quotient = abs(x) // abs(y)
    if (x < 0) != (y < 0):
        quotient = -quotient
    return quotient, x - y * quotient


class Evaluator:
    """Evaluates expression strings; registers persist between calls."""

    def __init__(self) -> None:
        self.registers = [0] * 26
        self.overflow = False
        self._error: str | None = None
        self._saved = 0

    def evaluate(self, text: str) -> int:
        """The value of ``text``; raises ``ExpressionError``."""
        self._error = None
        self.overflow = False
        self._saved = 0
        value, end = self._eval(-1, 0, IDENT, text, 0)
        if end < len(text) and self._error is None:
            self._error = "bad"
        if self._error is not None:
            raise ExpressionError(self._error)
        return value

    def _fail(self, reason: str) -> None:
        if self._error is None or reason == "division by zero":
            self._error = reason

    def _calc(self, x: int, y: int, op: int) -> int:
        if op == ord("+"):
            z = x + y
        elif op == ord("-"):
            z = x - y
        elif op == ord("*"):
            z = x * y
        elif op in (ord("/"), ord("%")):
            if y == 0:
                self._fail("division by zero")
                return 0
            quotient, remainder = _divide(x, y)
            z = quotient if op == ord("/") else remainder
        elif op == AND:
            z = int(bool(x) and bool(y))
        elif op == OR:
            z = int(bool(x) or bool(y))
        elif op == EQUAL:
            z = int(x == y)
        elif op == NEQU:
            z = int(x != y)
        elif op == ord("<"):
            z = int(x < y)
        elif op == ord(">"):
            z = int(x > y)
        elif op == LTE:
            z = int(x <= y)
        elif op == GTE:
            z = int(x >= y)
        elif op == IDENT:
            z = y
        else:
            self._fail("bad")
            return 0
        if wrap(z) != z:
            self.overflow = True
        return wrap(z)

    def _operator(self, text: str, i: int) -> tuple[int | None, int]:
        ch = text[i]
        following = text[i + 1] if i + 1 < len(text) else ""
        two = {"&": AND, "|": OR, "=": EQUAL, "!": NEQU}
        if ch in two:
            return (two[ch] if following == ("=" if ch in "=!" else ch) else None), i + 2
        if ch in "<>":
            if following == "=":
                return (LTE if ch == "<" else GTE), i + 2
            return ord(ch), i + 1
        return ord(ch), i + 1

    def _value(self, text: str, i: int) -> tuple[int, int]:
        while i < len(text) and is_space(text[i]):
            i += 1
        ch = text[i] if i < len(text) else ""
        if ch == "(":
            value, i = self._eval(-1, 0, IDENT, text, i + 1)
            if i >= len(text) or text[i] != ")":
                self._fail("bad")
            return value, i + 1
        if ch == "-":
            value, i = self._value(text, i + 1)
            return wrap(-value), i
        if ch == "!":
            value, i = self._value(text, i + 1)
            return int(value == 0), i
        if ch == "+":
            return self._value(text, i + 1)
        if ch.isascii() and ch.isalpha():
            return self._register(text, i + 1, ord(ch.upper()) - ord("A"))
        j = i
        while j < len(text) and text[j].isdigit() and text[j].isascii():
            j += 1
        if j == i:
            self._fail("bad")
            return 0, i
        return wrap(int(text[i:j][:19])), j

    def _register(self, text: str, i: int, register: int) -> tuple[int, int]:
        while i < len(text) and is_space(text[i]):
            i += 1
        if text[i : i + 1] == "=" and text[i + 1 : i + 2] != "=":
            value, i = self._eval(-1, 0, IDENT, text, i + 1)
            self.registers[register] = value
            return value, i
        return self.registers[register], i

    def _eval(self, previous: int, left: int, op1: int, text: str, i: int) -> tuple[int, int]:
        value, i = self._value(text, i)
        while i < len(text) and is_space(text[i]):
            i += 1
        if i >= len(text) or text[i] == ")":
            return self._calc(left, value, op1), i
        op2, i = self._operator(text, i)
        if op2 is None:
            self._fail("bad")
            return 0, len(text)
        self._saved = 0
        prec1, prec2 = precedence(op1), precedence(op2)
        if prec1 >= prec2:
            if prec2 >= previous or prec1 <= previous:
                return self._eval(prec1, self._calc(left, value, op1), op2, text, i)
            self._saved = op2
            return self._calc(left, value, op1), i
        right, i = self._eval(prec1, value, op2, text, i)
        result = self._calc(left, right, op1)
        if self._saved and precedence(self._saved) >= previous:
            saved, self._saved = self._saved, 0
            result, i = self._eval(prec2, result, saved, text, i)
        return result, i
