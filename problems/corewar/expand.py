"""Assembler pass 1: labels, EQU text substitution, FOR/ROF blocks, ;assert.

This follows pMARS's expansion closely, quirks included (it is what the reference
outcomes were produced with): EQU is textual and may span lines, a label before FOR
names the loop counter (``&counter`` appends it as two digits), references to labels
already seen become offsets from the current line, and lines after END are ignored.
The output is one text line per instruction or pseudo-instruction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from problems.corewar.expressions import Evaluator, ExpressionError
from problems.corewar.redcode import OPCODES
from problems.corewar.source import Line
from problems.corewar.tokens import Tok, char_at, is_space, next_token

OPCODE_NAMES = OPCODES
PSEUDO_OPS = ("ORG", "END", "PIN")
MAX_LABELS = 7
"""How many labels may name one line (pMARS's limit)."""
MAX_LINES = 1000
"""How many lines the source may generate (pMARS's MAXINSTR)."""
MAX_EXPANSION = 255
"""Characters an expanded line may hold (pMARS's 256-byte buffer with its NUL)."""


class State(IntEnum):
    """What the expander expects next on a line (pMARS's wdecl)."""

    NIL = 0  # start of a line
    LABEL = 1  # after one or more labels
    VALUE = 2  # in the operands of an instruction
    COMMAND = 3  # a complete instruction line
    PSEUDO = 4  # in the operand of ORG / END / PIN (labels are absolute)
    FOR = 5
    ROF = 6
    ERROR = -1


class Kind(IntEnum):
    """Symbol table entries."""

    TEXT = 0  # EQU (and predefined constants)
    LABEL = 1
    COUNTER = 2  # FOR loop counter


@dataclass(eq=False)
class Symbol:
    """A group of names bound to one definition (compared by identity: two nested FOR
    counters can hold equal values)."""

    names: list[str]
    kind: Kind
    value: int = 0
    text: list[Line] = field(default_factory=list)
    visiting: bool = False


@dataclass
class Diagnostics:
    """Errors and warnings with their line numbers."""

    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, message))


class Buffer:
    """The expanded text of the line being built."""

    def __init__(self) -> None:
        self.text = ""


class Expander:
    """Pass 1 over the source lines; ``symbols`` is shared with pass 2."""

    def __init__(
        self,
        lines: list[Line],
        constants: dict[str, int],
        evaluator: Evaluator,
        diagnostics: Diagnostics,
    ) -> None:
        self.lines = lines
        self.evaluator = evaluator
        self.diag = diagnostics
        self.symbols: list[Symbol] = [
            Symbol([name], Kind.TEXT, text=[Line(str(value), 0)])
            for name, value in constants.items()
        ]
        self.pending: list[str] = []
        self.line = 0
        self.skipping = 0
        self.going = True
        self.asserted = False
        self.output: list[Line] = []
        self.index = 0

    # helpers ---------------------------------------------------------------
    def lookup(self, name: str) -> Symbol | None:
        """The newest definition of ``name``."""
        for symbol in reversed(self.symbols):
            if name in symbol.names:
                return symbol
        return None

    @property
    def here(self) -> Line:
        return self.lines[self.index]

    def error(self, message: str) -> State:
        self.diag.error(self.here.number, message)
        return State.ERROR

    def stop(self, message: str) -> State:
        """An error after which expanding further is pointless."""
        if self.going:
            self.error(message)
            self.going = False
        return State.ERROR

    def evaluate(self, text: str) -> int | None:
        try:
            value = self.evaluator.evaluate(text)
        except ExpressionError as exc:
            message = "division by zero" if str(exc) == "division by zero" else "bad expression"
            self.error(f"{message}: {text.strip()!r}")
            return None
        return value

    # the pass --------------------------------------------------------------
    def run(self) -> list[Line]:
        """Expand every line; returns the instruction lines."""
        while self.index < len(self.lines) and self.going:
            buffer = Buffer()
            result = self.traverse(self.here.text, buffer, State.NIL)
            if result is State.COMMAND:
                self.output.append(Line(buffer.text, self.here.number))
            elif result is State.ROF:
                self.error("ROF without FOR")
            self.index += 1
        if self.pending:
            self.diag.warn(0, f"labels at the end name no instruction: {' '.join(self.pending)}")
        return self.output

    def traverse(self, text: str, out: Buffer, state: State) -> State:
        """Expand ``text`` into ``out`` (pMARS's trav2)."""
        kind, token, end = next_token(text, 0)
        if kind is Tok.NONE:
            return state
        if kind is Tok.COMMENT:
            if state is State.NIL and not self.skipping:
                _, word, after = next_token(text, end)
                if word.upper() == "ASSERT":
                    self.assertion(text[after:], out)
            return state
        if kind is not Tok.WORD:
            if self.skipping:
                return State.NIL
            if state <= State.LABEL:
                return self.error(f"unexpected {token!r}")
            out.text += token
            return self.traverse(text[end:], out, state)
        return self.word(token, text, end, out, state)

    def word(self, token: str, text: str, end: int, out: Buffer, state: State) -> State:
        upper = token.upper()
        rest = text[end:]
        if upper == "ROF":
            if self.skipping:
                self.skipping -= 1
                return State.ERROR
            return State.ROF if state <= State.LABEL else self.error("ROF out of place")
        if upper == "FOR":
            if self.skipping:
                self.skipping += 1
                return State.ERROR
            return self.block(rest, out) if state <= State.LABEL else self.error("FOR out of place")
        if token == "CURLINE":
            if self.skipping:
                return State.NIL
            if state <= State.LABEL:
                return self.error("CURLINE cannot start a line")
            out.text += str(self.line) + (" " if is_space(char_at(rest, 0)) else "")
            return self.traverse(rest, out, state)
        if upper == "EQU":
            if self.skipping:
                return State.NIL
            return self.define(rest) if state <= State.LABEL else self.error("EQU out of place")
        if upper in OPCODE_NAMES or upper in PSEUDO_OPS:
            if self.skipping:
                return State.NIL
            if state > State.LABEL:
                return self.error(f"{token} out of place")
            return self.instruction(upper, text, end, out)
        if self.skipping:
            return self.traverse(rest, out, State.NIL)
        return self.name(token, text, end, out, state)

    def instruction(self, opcode: str, text: str, end: int, out: Buffer) -> State:
        j = end
        while j < len(text) and not is_space(text[j]):
            j += 1
        out.text += opcode + text[end:j] + (" " if is_space(char_at(text, j)) else "")
        pseudo = opcode in PSEUDO_OPS
        result = self.traverse(text[j:], out, State.PSEUDO if pseudo else State.VALUE)
        if result is State.ERROR:
            return State.ERROR
        if self.pending:
            self.symbols.append(Symbol(self.pending, Kind.LABEL, self.line))
            self.pending = []
        if not pseudo:
            self.line += 1
        elif opcode == "END":
            self.going = False
        return State.COMMAND

    def name(self, token: str, text: str, end: int, out: Buffer, state: State) -> State:
        ok = True
        while char_at(text, end) == "&" and char_at(text, end + 1).isalpha() and ok:
            kind, part, end = next_token(text, end + 1)
            counter = self.lookup(part)
            if kind is Tok.WORD and counter is not None and counter.kind is Kind.COUNTER:
                token += f"{counter.value:02d}"
            else:
                self.error(f"cannot append {part!r}: not a FOR counter")
                ok = False
        rest = text[end:]
        symbol = self.lookup(token)
        if symbol is not None:
            if symbol.kind is Kind.TEXT:
                if symbol.visiting:
                    return self.error(f"recursive EQU {token!r}")
                return self.substitute(rest, out, state, symbol)
            if state <= State.LABEL:
                self.diag.warn(self.here.number, f"label {token!r} redefined; line ignored")
                return State.ERROR
            if symbol.kind is Kind.COUNTER:
                value = f"{symbol.value:02d}"
            elif state is State.PSEUDO:
                value = str(symbol.value)
            else:
                value = str(symbol.value - self.line)
            out.text += value + (" " if is_space(char_at(rest, 0)) else "")
            return self.traverse(rest, out, state)
        if state <= State.LABEL:
            if len(self.pending) < MAX_LABELS:
                self.pending.insert(0, token)
            else:
                self.error(f"too many labels on one line ({token!r})")
            if char_at(rest, 0) == ":":
                rest = rest[1:]
            return self.traverse(rest, out, State.LABEL)
        out.text += token + (" " if is_space(char_at(rest, 0)) else "")
        return self.traverse(rest, out, state)

    def define(self, text: str) -> State:
        """``EQU``: the pending labels name the text (continued by following EQU lines)."""
        if not self.pending:
            self.diag.warn(self.here.number, "EQU without a label is ignored")
            return State.VALUE
        symbol = Symbol(self.pending, Kind.TEXT, text=[Line(text, self.here.number)])
        self.symbols.append(symbol)
        self.pending = []
        while self.index + 1 < len(self.lines):
            following = self.lines[self.index + 1]
            _, word, end = next_token(following.text, 0)
            if word.upper() != "EQU":
                break
            self.index += 1
            symbol.text.append(Line(following.text[end:], following.number))
        return State.VALUE

    def substitute(self, rest: str, out: Buffer, state: State, symbol: Symbol) -> State:
        """Expand an EQU in place; each extra line of a multi-line EQU becomes a line.
        A line that outgrows pMARS's buffer ends the pass (EQUs that double at each
        level would otherwise grow without bound)."""
        if len(out.text) > MAX_EXPANSION:
            return self.stop("buffer overflow: substitution is too complex")
        symbol.visiting = True
        state = self.traverse(symbol.text[0].text, out, state)
        for done, extra in zip(symbol.text, symbol.text[1:], strict=False):
            if not self.going:
                break
            if not self.skipping and state is State.COMMAND:
                self.output.append(Line(out.text, done.number))
            out.text = ""
            state = self.traverse(extra.text, out, State.NIL)
        if is_space(char_at(rest, 0)):
            out.text += " "
        symbol.visiting = False
        return self.traverse(rest, out, state)

    def assertion(self, text: str, out: Buffer) -> None:
        self.traverse(text, out, State.VALUE)
        try:
            value = self.evaluator.evaluate(out.text)
        except ExpressionError:
            self.diag.warn(self.here.number, f"invalid assertion {out.text.strip()!r}")
            return
        self.asserted = True
        if value == 0:
            self.error(f"assertion failed: {text.strip()}")

    def block(self, text: str, out: Buffer) -> State:
        """``FOR count`` ... ``ROF``: expand the body ``count`` times."""
        counter_names: list[str] = []
        if self.pending:
            counter_names = [self.pending[0]]
            if len(self.pending) > 1:
                self.symbols.append(Symbol(self.pending[1:], Kind.LABEL, self.line))
            self.pending = []
        out.text = ""
        self.traverse(text, out, State.VALUE)
        count = self.evaluate(out.text)
        if count is None:
            return State.FOR
        if count <= 0:
            self.skipping += 1
            return State.FOR
        count &= 0xFFFF  # pMARS counts repetitions in an unsigned short
        counter = Symbol(counter_names, Kind.COUNTER, visiting=True)
        self.symbols.append(counter)
        start = self.index
        counter.value = 1
        while self.going and counter.value <= count:
            self.index = start
            while self.going:
                if self.index + 1 >= len(self.lines):
                    self.diag.warn(self.lines[start].number, "FOR without ROF")
                    self.going = False
                    break
                self.index += 1
                body = Buffer()
                result = self.traverse(self.here.text, body, State.NIL)
                if result is State.ROF:
                    break
                if result is State.COMMAND:
                    self.output.append(Line(body.text, self.here.number))
                    if len(self.output) > MAX_LINES:
                        self.stop(f"lines generated by the source exceed the limit {MAX_LINES}")
            counter.value += 1
        self.symbols.remove(counter)
        return State.FOR
