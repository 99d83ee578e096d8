"""One battle's rounds in order on one core, as pMARS plays them, without numpy: what
``evo battle`` runs, and what ``battle`` uses when results must carry over (P-space)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from problems.corewar.compiled import Rounds, play_rounds
from problems.corewar.layout import pack
from problems.corewar.placement import schedule
from problems.corewar.redcode import Settings


def pspace_rows(pins: Sequence[int | None]) -> list[int]:
    """Which P-space each warrior uses: warriors with the same PIN share one."""
    rows, shared = [], {}
    for i, pin in enumerate(pins):
        rows.append(shared.setdefault(pin, i) if pin is not None else i)
    return rows


def play_in_order(
    codes: Sequence[Iterable[Sequence[int]]],
    starts: Sequence[int],
    pins: Sequence[int | None],
    settings: Settings,
    seed: int,
    *,
    observe: bool = False,
) -> Rounds:
    """``settings.rounds`` rounds among warriors given by their code rows
    ``(op, mod, amode, a, bmode, b)``, start offsets and PINs, placed as pMARS would
    from ``seed``; P-space and results carry from round to round."""
    instr, a, b, offsets, lengths = pack(codes)
    plan = schedule(len(lengths), settings, settings.rounds, seed)
    return play_rounds(
        instr,
        a,
        b,
        offsets,
        lengths,
        starts,
        [p for positions, _ in plan for p in positions],
        [starter for _, starter in plan],
        settings.coresize,
        settings.cycles,
        settings.processes,
        settings.pspace,
        pspace_rows(pins),
        observe,
    )
