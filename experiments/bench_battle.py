"""Core War simulator speed: `evo battle` against pMARS as whole processes, the kernel
alone, batch scaling, and start-up with cold and warm caches.

Run: python experiments/bench_battle.py [--rounds 1000]
With PMARS=/path/to/pmars (a headless build) the same battles are timed through pMARS;
otherwise the comparison uses the figure recorded on this machine: pMARS simulates
about 1.3e8 instructions per second on one core.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO.parent / "shared" / "corewar" / "warriors" / "examples"
HILL = REPO.parent / "shared" / "corewar" / "warriors" / "94nop"
PMARS_RATE = 1.3e8
MATCHES = [
    (EXAMPLES / "aeka.red", EXAMPLES / "rave.red", 3000),
    (HILL / "damageinc.red", HILL / "pyramid55.red", 7042),
    (HILL / "fixed.red", HILL / "comphunter.red", 4158),
]
EVO = [sys.executable, "-c", "from evo.cli import console; console()", "battle"]
"""What the installed `evo battle` runs (the pyenv shim, if any, is left out)."""


def timed(command: list[str], env: dict[str, str] | None = None, repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs of a whole process."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        best = min(best, time.perf_counter() - start)
    return best


def instructions(w1: Path, w2: Path, rounds: int, position: int) -> int:
    """Instructions the battle simulates (counted by the simulator itself)."""
    from problems.corewar.assembler import assemble
    from problems.corewar.battle import battle
    from problems.corewar.redcode import Settings

    settings = Settings(rounds=rounds)
    warriors = [assemble(p.read_text(encoding="latin-1"), settings) for p in (w1, w2)]
    result = battle(warriors, settings, position - settings.mindistance, observe=True)
    return int(result.observations[..., 0].sum())


def whole_processes(rounds: int) -> None:
    pmars = os.environ.get("PMARS")
    print(f"== {rounds}-round battles as whole processes, one core (best of 3) ==")
    print(f"{'battle':<34}{'instr':>10}{'evo':>9}{'evo JIT':>9}{'pmars':>9}{'ratio':>8}")
    for w1, w2, position in MATCHES:
        count = instructions(w1, w2, rounds, position)
        args = ["-r", str(rounds), "-F", str(position), str(w1), str(w2)]
        compiled = timed(EVO + args)
        jit = timed(EVO + args, dict(os.environ, EVO_NO_AOT="1"))
        reference = timed([pmars, "-b", *args]) if pmars else count / PMARS_RATE
        label = f"{w1.stem} v {w2.stem}"
        print(
            f"{label:<34}{count:>10.2e}{compiled:>8.2f}s{jit:>8.2f}s{reference:>8.2f}s"
            f"{reference / compiled:>7.2f}x"
        )
    source = "measured" if pmars else f"recorded rate {PMARS_RATE:.1e}/s"
    print(
        f"(pmars: {source}; evo: the kernel compiled ahead of time, evo JIT: EVO_NO_AOT=1;"
        " ratio = pmars time / evo time, above 1 means evo is faster)"
    )


def kernel_rate(rounds: int) -> None:
    """Simulated instructions per second of the kernel alone, in this process."""
    from problems.corewar.assembler import assemble
    from problems.corewar.battle import battle
    from problems.corewar.redcode import Settings

    print(f"== kernel alone, {rounds} rounds in order, one core (best of 3) ==")
    for w1, w2, position in MATCHES:
        settings = Settings(rounds=rounds)
        warriors = [assemble(p.read_text(encoding="latin-1"), settings) for p in (w1, w2)]
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            battle(warriors, settings, position - settings.mindistance, parallel=False)
            best = min(best, time.perf_counter() - start)
        count = instructions(w1, w2, rounds, position)
        print(f"{w1.stem + ' v ' + w2.stem:<34}{count / best:>10.3e} instructions/s")


def batch_scaling() -> None:
    import numba

    from problems.corewar.assembler import assemble
    from problems.corewar.battle import run_pairs
    from problems.corewar.redcode import Settings

    settings = Settings(rounds=10)
    paths = sorted(HILL.glob("*.red"))[:24]
    warriors = [assemble(p.read_text(encoding="latin-1"), settings) for p in paths]
    pairs = [(i, j) for i in range(len(warriors)) for j in range(len(warriors)) if i < j][:64]
    run_pairs(warriors, pairs[:2], settings, 1)
    print("== batch API: 64 pairs x 10 rounds ==")
    rates = {}
    for threads in (1, 2):
        numba.set_num_threads(threads)
        start = time.perf_counter()
        result = run_pairs(warriors, pairs, settings, 1, observe=True)
        elapsed = time.perf_counter() - start
        rates[threads] = result.observations[..., 0].sum() / elapsed
        print(f"{threads} thread(s): {elapsed:.2f} s, {rates[threads]:.2e} instructions/s")
    print(f"scaling on 2 cores: {rates[2] / rates[1]:.2f}x")


def startup() -> None:
    w = str(EXAMPLES / "aeka.red")
    command = EVO + ["-r", "1", "-F", "3000", w, w]
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        cold = timed(command, env, repeat=1)
        warm = timed(command, env)
        jit = timed(command, dict(env, EVO_NO_AOT="1"))
    bare = timed([sys.executable, "-c", "pass"])
    numpy = timed([sys.executable, "-c", "import numpy"])
    print("== start-up of `evo battle -r 1` ==")
    print(
        f"cold caches (numba's and the compiled kernel's): {cold:.2f} s; cached: {warm:.2f} s;"
        f" cached JIT only (EVO_NO_AOT=1): {jit:.2f} s; for scale, python alone: {bare:.2f} s,"
        f" python importing numpy: {numpy:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=1000)
    args = parser.parse_args()
    startup()
    whole_processes(args.rounds)
    kernel_rate(args.rounds)
    batch_scaling()


if __name__ == "__main__":
    main()
