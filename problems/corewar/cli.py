"""``evo battle``: pMARS's ``-b`` command line, on the numba MARS.

Prints exactly what ``pmars -b`` prints: one ``NAME by AUTHOR scores S`` line per
warrior (followed by ``  Results: ...`` in a melee), then ``Results: W L T`` for two
warriors. An assembly error names the file and line and exits with status 3.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

USAGE_ERROR = 2
ASSEMBLY_ERROR = 3


def parser() -> argparse.ArgumentParser:
    """The option parser (pMARS's flags and defaults)."""
    p = argparse.ArgumentParser(
        prog="evo battle", description="Battle Redcode warriors (pMARS -b compatible)."
    )
    p.add_argument(
        "-b", dest="brief", action="store_true", help="brief mode (always on; for pMARS lines)"
    )
    p.add_argument("-r", dest="rounds", type=int, default=1, help="rounds to play [1]")
    p.add_argument(
        "-F",
        dest="position",
        type=int,
        default=0,
        help="fixed position of warrior 2 (seeds the placements) [random]",
    )
    p.add_argument("-s", dest="coresize", type=int, default=8000, help="core size [8000]")
    p.add_argument("-c", dest="cycles", type=int, default=80000, help="cycles until tie [80000]")
    p.add_argument("-p", dest="processes", type=int, default=8000, help="max processes [8000]")
    p.add_argument("-l", dest="length", type=int, default=100, help="max warrior length [100]")
    p.add_argument(
        "-d",
        dest="distance",
        type=int,
        default=0,
        help="min distance between warriors [max length]",
    )
    p.add_argument("-S", dest="pspace", type=int, default=0, help="P-space size [1/16 core]")
    p.add_argument("warriors", nargs="+", metavar="WARRIOR.red")
    return p


def check(args: argparse.Namespace) -> str | None:
    """Why the options are unusable (pMARS's checks), or None."""
    distance = args.distance or args.length
    positive = {"r": "rounds", "s": "coresize", "c": "cycles", "p": "processes", "l": "length"}
    for flag, name in positive.items():
        if getattr(args, name) < 1:
            return f"-{flag} must be at least 1"
    if args.distance and args.distance < args.length:
        return "-d (min distance) cannot be smaller than -l (max length)"
    if args.coresize < len(args.warriors) * distance:
        return "core size too small for this many warriors at this distance"
    if args.position and args.position < distance:
        return "-F (position of warrior 2) cannot be smaller than the warrior distance"
    if args.pspace < 0 or args.pspace > args.coresize:
        return "-S (P-space size) must lie between 1 and the core size"
    if args.position < 0:
        return "-F must not be negative"
    return None


def battle_main(argv: list[str]) -> int:
    """Run ``evo battle`` with ``argv``; returns the exit status."""
    args = parser().parse_args(argv)
    problem = check(args)
    if problem:
        print(f"evo battle: {problem}", file=sys.stderr)
        return USAGE_ERROR
    from problems.corewar.assembler import AssemblyError, assemble_listing
    from problems.corewar.redcode import Settings

    settings = Settings(
        coresize=args.coresize,
        cycles=args.cycles,
        processes=args.processes,
        maxlength=args.length,
        mindistance=args.distance or args.length,
        rounds=args.rounds,
        pspacesize=args.pspace,
        warriors=len(args.warriors),
    )
    warriors = []
    for name in args.warriors:
        path = Path(name)
        try:
            text = path.read_text(encoding="latin-1")
        except OSError as exc:
            print(f"{name}: cannot read warrior: {exc.strerror or exc}", file=sys.stderr)
            return ASSEMBLY_ERROR
        try:
            warriors.append(assemble_listing(text, settings, allow_empty=True))
        except AssemblyError as exc:
            where = f"{name}:{exc.line}" if exc.line else name
            print(f"{where}: {exc.message}", file=sys.stderr)
            return ASSEMBLY_ERROR
        for warning in warriors[-1].warnings:
            print(f"{name}: warning: {warning}", file=sys.stderr)
    # When numba's JIT serves (no compiled kernel), its first call imports scipy.linalg to
    # look for BLAS (0.2 s); nothing here uses BLAS, so this process declines the import.
    sys.modules.setdefault("scipy", None)  # type: ignore[arg-type]
    from problems.corewar.placement import rng
    from problems.corewar.scoring import pmars_score, tally
    from problems.corewar.sequential import play_in_order

    seed = args.position - settings.mindistance if args.position else rng(int(time.time()))
    # One core, as pMARS, on the compiled kernel: neither numba nor numpy is imported.
    played = play_in_order(
        [w.rows for w in warriors],
        [w.start for w in warriors],
        [w.pin for w in warriors],
        settings,
        seed,
    )
    n = played.n
    alive = [played.alive[r * n : (r + 1) * n] for r in range(played.rounds)]
    order = [played.order[r * n : (r + 1) * n] for r in range(played.rounds)]
    counts = tally(alive, order)
    for i, warrior in enumerate(warriors):
        print(f"{warrior.name} by {warrior.author} scores {pmars_score(counts[i], n)}")
        if n > 2:
            print(f"  Results: {' '.join(map(str, counts[i][:n]))} {sum(counts[i][n:])}")
    if n == 2:
        print(f"Results: {counts[0][0]} {counts[0][2]} {counts[0][1]}")
    return 0


if __name__ == "__main__":
    sys.exit(battle_main(sys.argv[1:]))
