"""Sandbox overhead: the cost of running a trivial program in a fresh, limited, isolated
process (target: under 50 ms), next to what it is made of: a bare interpreter start
(``python -I -S``, as the launcher runs) and the same start inside bubblewrap's
namespaces and mounts.

Run: python experiments/bench_sandbox.py [--repeat 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from evo.sandbox import call
from evo.sandbox.isolation import bwrap_command, seccomp_pipe
from evo.sandbox.runner import detect


def timings(action: Callable[[], object], repeat: int) -> list[float]:
    action()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        out.append(time.perf_counter() - start)
    return out


def bare_bwrap() -> None:
    """bubblewrap with the sandbox's full plan around ``python -I -S -c pass``."""
    isolation = detect()
    fd = seccomp_pipe(isolation.filter) if isolation.filter else None
    try:
        prefix = bwrap_command(isolation.binary or "", isolation.userns, 1 << 20, {}, fd, None)
        subprocess.run(
            [*prefix, sys.executable, "-I", "-S", "-c", "pass"],
            check=True,
            pass_fds=() if fd is None else (fd,),
        )
    finally:
        if fd is not None:
            os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    repeat = parser.parse_args().repeat
    isolation = detect()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        program = Path(tmp) / "trivial.py"
        program.write_text("def run():\n    return 1\n")
        bare = [sys.executable, "-I", "-S", "-c", "pass"]
        rows.append(("bare `python -I -S -c pass`", timings(lambda: subprocess.run(bare), repeat)))
        if isolation.active:
            rows.append(("the same inside bubblewrap", timings(bare_bwrap, repeat)))
        rows.append(("sandboxed trivial call", timings(lambda: call(program, "run"), repeat)))
    kind = "bubblewrap " + ("(user namespace)" if isolation.userns else "(root; a uid of its own)")
    print(f"isolation: {kind if isolation.active else 'none: ' + isolation.reason}")
    print(f"{'':<34}{'median':>10}{'p90':>10}")
    for label, values in rows:
        p90 = sorted(values)[int(0.9 * len(values))]
        print(f"{label:<34}{statistics.median(values) * 1e3:>8.1f}ms{p90 * 1e3:>8.1f}ms")
    overhead = statistics.median(rows[-1][1])
    print(
        f"sandbox cost per evaluation: {overhead * 1e3:.1f} ms (target < 50 ms): "
        f"{'met' if overhead < 0.05 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
