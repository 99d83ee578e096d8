"""Sandbox overhead: the cost of running a trivial program in a fresh, limited, isolated
process (target: under 50 ms), next to a bare interpreter start.

Run: python experiments/bench_sandbox.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evo.sandbox import call
from evo.sandbox.isolation import bwrap_binary, isolation_works


def timings(action, repeat: int = 30) -> list[float]:
    action()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        program = Path(tmp) / "trivial.py"
        program.write_text("def run():\n    return 1\n")
        bare = timings(lambda: subprocess.run([sys.executable, "-I", "-c", "pass"], check=True))
        sandboxed = timings(lambda: call(program, "run"))
    isolated = isolation_works(bwrap_binary())
    kind = "bubblewrap (no network, read-only root, private /tmp, own PIDs)"
    print(f"isolation: {kind if isolated else 'resource limits only'}")
    print(f"{'':<34}{'median':>10}{'p90':>10}")
    for label, values in (
        ("bare `python -I -c pass`", bare),
        ("sandboxed trivial call", sandboxed),
    ):
        p90 = sorted(values)[int(0.9 * len(values))]
        print(f"{label:<34}{statistics.median(values) * 1e3:>8.1f}ms{p90 * 1e3:>8.1f}ms")
    overhead = statistics.median(sandboxed)
    print(
        f"sandbox cost per evaluation: {overhead * 1e3:.1f} ms (target < 50 ms): "
        f"{'met' if overhead < 0.05 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
