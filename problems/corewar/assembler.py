"""The Redcode assembler (pMARS '94 dialect): source text to a ``Warrior``.

Pass 1 (``expand``) resolves labels, EQU, FOR/ROF and ;assert into one line per
instruction; pass 2 (here) parses each line into opcode, modifier, modes and two
expressions, applies the default modifiers, and evaluates the expressions. Any
problem raises ``AssemblyError`` with the source line number; nothing else escapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from problems.corewar.expand import OPCODE_NAMES, PSEUDO_OPS, Diagnostics, Expander, Kind
from problems.corewar.expressions import Evaluator, ExpressionError
from problems.corewar.redcode import MODE, MODIFIER, OPCODE, Settings, Warrior
from problems.corewar.source import Line, read_source
from problems.corewar.tokens import Tok, next_token

PMARS_VERSION = 92


class AssemblyError(ValueError):
    """A warrior that does not assemble; ``line`` is 1-based (0 when not tied to a line)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message


class Step(IntEnum):
    """Parser states of pass 2 (pMARS's automaton)."""

    OPCODE = 0
    MODIFIER_OR_A = 1
    MODIFIER = 2
    A_MODE = 3
    A_EXPR = 4
    B_MODE = 5
    B_EXPR = 6


def default_modifier(opcode: str, a_mode: str, b_mode: str) -> str:
    """The modifier an instruction gets when none is written."""
    if opcode in ("DAT", "NOP"):
        return "F"
    if opcode in ("MOV", "CMP", "SEQ", "SNE", "ADD", "SUB", "MUL", "DIV", "MOD"):
        if a_mode == "#":
            return "AB"
        if b_mode == "#":
            return "B"
        return "I" if opcode in ("MOV", "CMP", "SEQ", "SNE") else "F"
    if opcode in ("SLT", "LDP", "STP"):
        return "AB" if a_mode == "#" else "B"
    return "B"


@dataclass
class Parsed:
    """One parsed line of pass 2."""

    opcode: str
    modifier: str
    a_mode: str
    a_expr: str
    b_mode: str
    b_expr: str


class LineParser:
    """Parses one expanded line; forward references are resolved here."""

    def __init__(self, expander: Expander, diagnostics: Diagnostics) -> None:
        self.expander = expander
        self.diag = diagnostics

    def parse(self, line: Line, index: int) -> Parsed | None:
        self.line, self.index = line, index
        self.opcode = ""
        self.modifier = ""
        self.a_mode = self.b_mode = "$"
        self.a_expr = self.b_expr = ""
        self.fine = False
        self.last = Step.OPCODE
        errors = len(self.diag.errors)
        try:
            self.step(line.text, Step.OPCODE)
        except RecursionError:
            self.error("line too complex")
        failed = len(self.diag.errors) > errors
        if self.opcode in PSEUDO_OPS:
            return None if failed else Parsed(self.opcode, "", "$", "", "$", self.b_expr)
        if not self.opcode:
            return None
        if not self.fine:
            if not failed:
                self.error("syntax error")
            return None
        if not self.b_expr:
            if self.opcode == "DAT":
                self.b_mode, self.b_expr = self.a_mode, self.a_expr
                self.a_mode, self.a_expr = "#", "0"
            elif self.opcode in ("SPL", "JMP", "NOP"):
                self.b_mode, self.b_expr = "$", "0"
            else:
                self.error(f"{self.opcode} needs two operands")
                return None
        if failed:
            return None
        modifier = self.modifier or default_modifier(self.opcode, self.a_mode, self.b_mode)
        return Parsed(self.opcode, modifier, self.a_mode, self.a_expr, self.b_mode, self.b_expr)

    def error(self, message: str) -> None:
        self.diag.error(self.line.number, message)

    def step(self, text: str, state: Step) -> None:
        self.last = state
        kind, token, end = next_token(text, 0)
        rest = text[end:]
        if state is Step.OPCODE:
            self.fine = False
            upper = token.upper()
            if kind is Tok.WORD and upper in OPCODE_NAMES:
                self.opcode = upper
                self.step(rest, Step.MODIFIER_OR_A)
            elif kind is Tok.WORD and upper in PSEUDO_OPS:
                self.opcode = upper
                self.step(rest, Step.B_EXPR)
            else:
                self.error("opcode expected")
        elif state is Step.MODIFIER:
            self.fine = False
            if kind is Tok.WORD and token.upper() in MODIFIER:
                self.modifier = token.upper()
                self.step(rest, Step.A_MODE)
            elif kind is not Tok.NONE:
                self.error("modifier expected")
        elif state in (Step.MODIFIER_OR_A, Step.A_MODE, Step.B_MODE):
            self.fine = False
            self.mode(kind, token, text, rest, state)
        else:
            self.expression(kind, token, rest, state)

    def mode(self, kind: Tok, token: str, text: str, rest: str, state: Step) -> None:
        expression = Step.B_EXPR if state is Step.B_MODE else Step.A_EXPR
        if kind is Tok.DOT and state is Step.MODIFIER_OR_A:
            self.step(rest, Step.MODIFIER)
        elif kind is Tok.MODE:
            if state is Step.B_MODE:
                self.b_mode = token
            else:
                self.a_mode = token
            self.step(rest, expression)
        elif kind in (Tok.NUMBER, Tok.EXPR):
            self.step(text, expression)
        elif kind is Tok.WORD:
            self.symbol(token, text, rest, state, expression)
        elif kind is not Tok.NONE:
            self.error(f"{token!r} out of place")

    def expression(self, kind: Tok, token: str, rest: str, state: Step) -> None:
        if kind is Tok.COMMA and state is Step.A_EXPR:
            self.step(rest, Step.B_MODE)
        elif kind is Tok.MODE and token not in "<>*":
            self.error(f"{token!r} out of place")
        elif kind in (Tok.MODE, Tok.NUMBER, Tok.EXPR):
            self.append(token + (" " if kind is Tok.NUMBER else ""), state)
            self.step(rest, state)
        elif kind is Tok.WORD:
            self.symbol(token, rest, rest, state, state)
        elif kind is not Tok.NONE:
            self.error(f"{token!r} out of place")

    def append(self, text: str, state: Step) -> None:
        if state is Step.A_EXPR:
            self.a_expr += text
        else:
            self.b_expr += text
        self.fine = True

    def symbol(self, token: str, text: str, rest: str, state: Step, register: Step) -> None:
        """A name in an operand: EQU text, a label offset, or a one-letter register."""
        symbol = self.expander.lookup(token)
        if symbol is None:
            if len(token) != 1:
                self.error(f"undefined symbol {token!r}")
            elif register is state:
                self.append(token, state)
                self.step(rest, state)
            else:
                self.step(text, register)
            return
        if symbol.visiting:
            self.error(f"recursive EQU {token!r}")
            return
        absolute = state is Step.B_EXPR and self.opcode in PSEUDO_OPS
        if symbol.kind is Kind.TEXT:
            replacement = symbol.text[0].text
        else:
            replacement = str(symbol.value if absolute else symbol.value - self.index)
        symbol.visiting = True
        self.step(replacement, state)
        symbol.visiting = False
        self.step(rest, Step.B_EXPR if state is Step.B_EXPR else self.last)


@dataclass(frozen=True)
class Listing:
    """An assembled warrior whose code is still rows ``(op, mod, amode, a, bmode, b)``
    (``evo battle`` plays these without numpy); ``warrior()`` makes the ``Warrior``."""

    rows: list[list[int]]
    start: int
    name: str
    author: str
    strategy: str
    pin: int | None
    source: str
    warnings: tuple[str, ...]

    def warrior(self) -> Warrior:
        """The ``Warrior``, its code an ``(length, 6)`` int64 array."""
        import numpy as np

        code = np.array(self.rows, dtype=np.int64).reshape(len(self.rows), 6)
        return Warrior(
            code=code,
            start=self.start,
            name=self.name,
            author=self.author,
            strategy=self.strategy,
            pin=self.pin,
            source=self.source,
            warnings=self.warnings,
        )


def assemble(source: str, settings: Settings | None = None) -> Warrior:
    """Assemble Redcode ``source`` (or a pMARS load file) into a ``Warrior``.

    Raises:
        AssemblyError: for any problem, with the line it was found on.
    """
    return assemble_listing(source, settings).warrior()


def assemble_listing(
    source: str, settings: Settings | None = None, *, allow_empty: bool = False
) -> Listing:
    """Assemble as ``assemble`` does, stopping before the code becomes an array. With
    ``allow_empty``, source without instructions gives an empty listing and a warning,
    as in pMARS (the warrior then dies at its first step), instead of an error."""
    settings = settings or Settings()
    if not isinstance(source, str):
        raise AssemblyError(0, f"source must be text, not {type(source).__name__}")
    try:
        return _assemble(source, settings, allow_empty)
    except AssemblyError:
        raise
    except RecursionError:
        raise AssemblyError(0, "source too deeply nested") from None


def _assemble(source: str, settings: Settings, allow_empty: bool) -> Listing:
    text = read_source(source)
    diag = Diagnostics()
    evaluator = Evaluator()
    constants = {
        "CORESIZE": settings.coresize,
        "MAXPROCESSES": settings.processes,
        "MAXCYCLES": settings.cycles,
        "MAXLENGTH": settings.maxlength,
        "MINDISTANCE": settings.mindistance,
        "VERSION": PMARS_VERSION,
        "WARRIORS": settings.warriors,
        "ROUNDS": settings.rounds,
        "PSPACESIZE": settings.pspace,
    }
    expander = Expander(text.lines, constants, evaluator, diag)
    lines = expander.run()
    _raise_first(diag)
    count = expander.line
    if count > settings.maxlength:
        raise AssemblyError(0, f"too many instructions: {count} (maximum {settings.maxlength})")
    if count == 0:
        if not allow_empty:
            raise AssemblyError(0, "no instructions")
        diag.warn(0, "no instructions: the warrior dies at its first step")
    parser = LineParser(expander, diag)
    rows: list[list[int]] = []
    start, pin = 0, None
    for line in lines:
        parsed = parser.parse(line, len(rows))
        if parsed is None or diag.errors:
            continue
        if parsed.opcode in PSEUDO_OPS:
            value = _evaluate(evaluator, parsed.b_expr or "0", line, diag)
            if value is None:
                continue
            if parsed.opcode == "ORG":
                start = value % settings.coresize
            elif parsed.opcode == "PIN":
                pin = value
            elif value:
                if start:
                    diag.warn(line.number, "END address ignored: ORG already set the start")
                else:
                    start = value % settings.coresize
            continue
        a = _evaluate(evaluator, parsed.a_expr or "0", line, diag)
        b = _evaluate(evaluator, parsed.b_expr or "0", line, diag)
        if a is None or b is None:
            continue
        size = settings.coresize
        rows.append(
            [
                OPCODE[parsed.opcode],
                MODIFIER[parsed.modifier],
                MODE[parsed.a_mode],
                a % size,
                MODE[parsed.b_mode],
                b % size,
            ]
        )
    _raise_first(diag)
    if rows and start >= len(rows):
        diag.warn(0, f"start {start} lies outside the code")
    warnings = tuple(f"line {n}: {m}" if n else m for n, m in diag.warnings)
    return Listing(
        rows=rows,
        start=start,
        name=text.name,
        author=text.author,
        strategy="\n".join(text.strategy),
        pin=pin,
        source=source,
        warnings=warnings,
    )


def _evaluate(evaluator: Evaluator, text: str, line: Line, diag: Diagnostics) -> int | None:
    try:
        return evaluator.evaluate(text)
    except ExpressionError as exc:
        reason = "division by zero" if str(exc) == "division by zero" else "bad expression"
        diag.error(line.number, f"{reason}: {text.strip()!r}")
        return None


def _raise_first(diag: Diagnostics) -> None:
    if diag.errors:
        line, message = diag.errors[0]
        raise AssemblyError(line, message)
