"""A plain-Python MARS: slow and simple, the reference the numba simulator is tested against.

It follows pMARS 0.9.2 step by step: operands are evaluated into registers (the
A-target's A and B numbers, then the B-target's), ``MOV.I`` copies the A-target's
opcode and modes from core but its numbers from the registers, process queues are
bounded by ``processes``, and the cycle budget shrinks when a warrior dies.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from problems.corewar import redcode as rc
from problems.corewar.redcode import Settings, Warrior

A_FIELD_MODES = (rc.A_INDIRECT, rc.A_PREDEC, rc.A_POSTINC)
PREDEC = (rc.A_PREDEC, rc.B_PREDEC)
POSTINC = (rc.A_POSTINC, rc.B_POSTINC)

Trace = Callable[[int, int, list[int]], None]
"""Called before each executed instruction with (warrior index, address, core cell)."""


@dataclass
class RoundOutcome:
    """How a round ended.

    Attributes:
        alive: which warriors still had processes at the end.
        death_order: warrior indices in the order they died.
        cycles: instructions executed in the round (all warriors).
        executed: instructions executed by each warrior.
    """

    alive: list[bool]
    death_order: list[int] = field(default_factory=list)
    cycles: int = 0
    executed: list[int] = field(default_factory=list)


class Core:
    """The memory array: one ``[op, mod, amode, aval, bmode, bval]`` list per cell."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.cells = [[rc.DAT, rc.M_F, rc.DIRECT, 0, rc.DIRECT, 0] for _ in range(size)]

    def load(self, position: int, code: np.ndarray) -> None:
        for i, row in enumerate(code):
            self.cells[(position + i) % self.size] = [int(x) for x in row]


class PSpace:
    """P-space of one warrior (cell 0 is its own last result; the rest may be shared)."""

    def __init__(self, cells: list[int], last_result: int) -> None:
        self.cells = cells
        self.last_result = last_result

    def get(self, index: int) -> int:
        index %= len(self.cells)
        return self.cells[index] if index else self.last_result

    def set(self, index: int, value: int) -> None:
        index %= len(self.cells)
        if index:
            self.cells[index] = value
        else:
            self.last_result = value


def _operand(core: Core, pc: int, mode: int, value: int) -> tuple[int, int, int]:
    """Evaluate one operand: ``(address, A-number, B-number)`` of its target."""
    size = core.size
    pointer = (value + pc) % size
    cell = core.cells[pointer]
    if mode == rc.DIRECT:
        return pointer, cell[rc.A_VALUE], cell[rc.B_VALUE]
    column = rc.A_VALUE if mode in A_FIELD_MODES else rc.B_VALUE
    offset = cell[column]
    if mode in PREDEC:
        offset = offset - 1 if offset > 0 else size - 1
        cell[column] = offset
    target = (offset + pointer) % size
    a_number, b_number = core.cells[target][rc.A_VALUE], core.cells[target][rc.B_VALUE]
    if mode in POSTINC:
        cell[column] = offset + 1 if offset + 1 < size else 0
    return target, a_number, b_number


class Mars:
    """Runs rounds for a fixed set of warriors under ``settings``."""

    def __init__(self, warriors: list[Warrior], settings: Settings) -> None:
        self.warriors = warriors
        self.settings = settings
        self.last_core: Core | None = None
        shared: dict[int, list[int]] = {}
        self.pspaces = []
        for w in warriors:
            cells = [0] * settings.pspace
            if w.pin is not None:
                cells = shared.setdefault(w.pin, cells)
            self.pspaces.append(PSpace(cells, settings.coresize - 1))

    def round(self, positions: list[int], starter: int, trace: Trace | None = None) -> RoundOutcome:
        """Play one round with warrior ``i`` loaded at ``positions[i]``."""
        s, n = self.settings, len(self.warriors)
        core = self.last_core = Core(s.coresize)
        queues: list[deque[int]] = [deque() for _ in range(n)]
        for k in range(n):
            i = (starter + k) % n
            queues[i].append((positions[i] + self.warriors[i].start) % s.coresize)
            core.load(positions[i], self.warriors[i].code)
        order = [(starter + k) % n for k in range(n)]
        outcome = RoundOutcome(alive=[True] * n, executed=[0] * n)
        left, cycle, turn = n, s.cycles * n, 0
        while True:
            w = order[turn]
            if trace is not None:
                pc = queues[w][0]
                trace(w, pc, list(core.cells[pc]))
            outcome.cycles += 1
            outcome.executed[w] += 1
            if self.step(core, queues[w], self.pspaces[w]):
                turn = (turn + 1) % len(order)
            else:
                outcome.alive[w] = False
                outcome.death_order.append(w)
                cycle = cycle - 1 - (cycle - 1) // left
                left -= 1
                if left < 2:
                    break
                order.pop(turn)
                turn %= len(order)
            cycle -= 1
            if cycle == 0 or cycle < -s.cycles * n:  # pMARS would run on past zero here
                break
        for i in range(n):
            self.pspaces[i].last_result = left if outcome.alive[i] else 0
        return outcome

    def step(self, core: Core, queue: deque[int], pspace: PSpace) -> bool:
        """Execute the next process of one warrior; False when the warrior died."""
        size = core.size
        pc = queue.popleft()
        op, mod, amode, aval, bmode, bval = core.cells[pc]
        if amode == rc.IMMEDIATE:
            addr_a, aa, ab = pc, aval, bval
        else:
            addr_a, aa, ab = _operand(core, pc, amode, aval)
        if bmode == rc.IMMEDIATE:
            addr_b, ba, bb = pc, aval, bval
        else:
            addr_b, ba, bb = _operand(core, pc, bmode, bval)
        # aa/ab: A and B numbers of the A-target; ba/bb: of the B-target (registers).
        target = core.cells[addr_b]
        following = (pc + 1) % size
        if op == rc.DAT:
            return self._die(queue)
        if op == rc.MOV:
            if mod == rc.M_I:
                source = core.cells[addr_a]
                core.cells[addr_b] = [source[0], source[1], source[2], aa, source[4], ab]
            else:
                self._move(target, mod, aa, ab)
        elif op in (rc.ADD, rc.SUB, rc.MUL):
            combine = {
                rc.ADD: lambda b, a: (b + a) % size,
                rc.SUB: lambda b, a: (b - a) % size,
                rc.MUL: lambda b, a: (b * a) % size,
            }[op]
            self._arith(target, mod, aa, ab, ba, bb, combine)
        elif op in (rc.DIV, rc.MOD):
            if not self._divide(target, mod, aa, ab, ba, bb, op == rc.DIV):
                return self._die(queue)
        elif op in (rc.JMZ, rc.JMN, rc.DJN):
            if op == rc.DJN:
                if mod in (rc.M_A, rc.M_BA, rc.M_F, rc.M_X, rc.M_I):
                    target[rc.A_VALUE] = (target[rc.A_VALUE] - 1) % size
                if mod in (rc.M_B, rc.M_AB, rc.M_F, rc.M_X, rc.M_I):
                    target[rc.B_VALUE] = (target[rc.B_VALUE] - 1) % size
                ba, bb = ba - 1, bb - 1
            zero_a, zero_b = ba == 0, bb == 0
            if mod in (rc.M_A, rc.M_BA):
                zero = zero_a
            elif mod in (rc.M_B, rc.M_AB):
                zero = zero_b
            else:
                zero = zero_a and zero_b
            jump = zero if op == rc.JMZ else not zero
            queue.append(addr_a if jump else following)
            return True
        elif op in (rc.SEQ, rc.CMP, rc.SNE, rc.SLT):
            if op == rc.SLT:
                skip = self._compare(mod, aa, ab, ba, bb, lambda b, a: a < b, None)
            else:
                a_cell, b_cell = core.cells[addr_a], core.cells[addr_b]
                same_instruction = all(a_cell[k] == b_cell[k] for k in (0, 1, 2, 4))
                equal = self._compare(mod, aa, ab, ba, bb, lambda b, a: a == b, same_instruction)
                skip = equal if op != rc.SNE else not equal
            queue.append((pc + 2) % size if skip else following)
            return True
        elif op == rc.JMP:
            queue.append(addr_a)
            return True
        elif op == rc.SPL:
            queue.append(following)
            if len(queue) < self.settings.processes:
                queue.append(addr_a)
            return True
        elif op == rc.LDP:
            if mod == rc.M_A:
                target[rc.A_VALUE] = pspace.get(aa)
            elif mod == rc.M_AB:
                target[rc.B_VALUE] = pspace.get(aa)
            elif mod == rc.M_BA:
                target[rc.A_VALUE] = pspace.get(ab)
            else:
                target[rc.B_VALUE] = pspace.get(ab)
        elif op == rc.STP:
            if mod == rc.M_A:
                pspace.set(ba, aa)
            elif mod == rc.M_AB:
                pspace.set(bb, aa)
            elif mod == rc.M_BA:
                pspace.set(ba, ab)
            else:
                pspace.set(bb, ab)
        queue.append(following)
        return True

    @staticmethod
    def _die(queue: deque[int]) -> bool:
        return len(queue) > 0

    @staticmethod
    def _move(target: list[int], mod: int, aa: int, ab: int) -> None:
        if mod in (rc.M_A, rc.M_F, rc.M_I):
            target[rc.A_VALUE] = aa
        if mod in (rc.M_B, rc.M_F, rc.M_I):
            target[rc.B_VALUE] = ab
        if mod == rc.M_AB:
            target[rc.B_VALUE] = aa
        if mod == rc.M_BA:
            target[rc.A_VALUE] = ab
        if mod == rc.M_X:
            target[rc.B_VALUE], target[rc.A_VALUE] = aa, ab

    @staticmethod
    def _arith(
        target: list[int],
        mod: int,
        aa: int,
        ab: int,
        ba: int,
        bb: int,
        combine: Callable[[int, int], int],
    ) -> None:
        if mod == rc.M_A:
            target[rc.A_VALUE] = combine(ba, aa)
        elif mod == rc.M_B:
            target[rc.B_VALUE] = combine(bb, ab)
        elif mod == rc.M_AB:
            target[rc.B_VALUE] = combine(bb, aa)
        elif mod == rc.M_BA:
            target[rc.A_VALUE] = combine(ba, ab)
        elif mod == rc.M_X:
            target[rc.B_VALUE] = combine(bb, aa)
            target[rc.A_VALUE] = combine(ba, ab)
        else:
            target[rc.A_VALUE] = combine(ba, aa)
            target[rc.B_VALUE] = combine(bb, ab)

    @staticmethod
    def _divide(
        target: list[int], mod: int, aa: int, ab: int, ba: int, bb: int, quotient: bool
    ) -> bool:
        """DIV/MOD; False when the process dies (a zero divisor, after the other half)."""

        def apply(b: int, a: int) -> int:
            return b // a if quotient else b % a

        pairs = {
            rc.M_A: [(rc.A_VALUE, ba, aa)],
            rc.M_B: [(rc.B_VALUE, bb, ab)],
            rc.M_AB: [(rc.B_VALUE, bb, aa)],
            rc.M_BA: [(rc.A_VALUE, ba, ab)],
            rc.M_X: [(rc.A_VALUE, ba, ab), (rc.B_VALUE, bb, aa)],
        }.get(mod, [(rc.A_VALUE, ba, aa), (rc.B_VALUE, bb, ab)])
        alive = True
        for column, b, a in pairs:
            if a == 0:
                alive = False
            else:
                target[column] = apply(b, a)
        return alive

    @staticmethod
    def _compare(
        mod: int,
        aa: int,
        ab: int,
        ba: int,
        bb: int,
        test: Callable[[int, int], bool],
        same_instruction: bool | None,
    ) -> bool:
        if mod == rc.M_A:
            return test(ba, aa)
        if mod == rc.M_B:
            return test(bb, ab)
        if mod == rc.M_AB:
            return test(bb, aa)
        if mod == rc.M_BA:
            return test(ba, ab)
        if mod == rc.M_X:
            return test(bb, aa) and test(ba, ab)
        both = test(ba, aa) and test(bb, ab)
        if mod == rc.M_I and same_instruction is not None:
            return both and same_instruction
        return both
