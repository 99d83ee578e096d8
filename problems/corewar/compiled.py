"""``rounds.play_rounds`` compiled ahead of time, so a battle starts without numba or numpy.

Importing numba and setting up its dispatchers costs about 0.4 s per process and numpy
0.06 s, both longer than many whole pMARS battles. The sequential battle kernel is
therefore also built (``native_build``), once per machine and kernel source, into a plain
shared library in the cache directory, and called here through ctypes on ``array``
buffers. Where it cannot be built or loaded (no C compiler, no writable cache) the
numba-jitted function serves, and the reason is written beside the library so that later
processes do not try again. ``EVO_NO_AOT=1`` always uses the jitted function, and so do
cores too large for uint16 (``layout.core_typecode``), for which the library is not built.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import hashlib
import importlib.util
import os
import sys
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from problems.corewar.layout import (
    ARGUMENTS,
    ENTRY,
    OBSERVATIONS,
    STATE_ROWS,
    core_typecode,
    queue_length,
)

HERE = Path(__file__).resolve().parent
SOURCES = (
    "redcode.py",
    "layout.py",
    "rare_ops.py",
    "duel.py",
    "mars.py",
    "rounds.py",
    "native_build.py",
    "compiled.py",
)
"""What the library is built from: a change to any of them renames it."""
DISABLE = "EVO_NO_AOT"


def cache_dir() -> Path:
    """Where compiled kernels live: beside numba's cache when ``NUMBA_CACHE_DIR`` is set,
    else in the user's cache directory."""
    root = os.environ.get("NUMBA_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    return Path(root or Path.home() / ".cache") / "evo-corewar"


def _installed_file(package: str, name: str) -> Path:
    """A file of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ImportError(f"{package} is not installed")
    return Path(spec.origin).parent / name


def library_name() -> str:
    """A name that changes with the kernel's source, numba, llvmlite and the machine."""
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((HERE / name).read_bytes())
    digest.update(_installed_file("numba", "_version.py").read_bytes())
    digest.update(_installed_file("llvmlite", "_version.py").read_bytes())
    digest.update(repr((sys.version, os.uname().machine)).encode())
    return f"corewar_rounds_{digest.hexdigest()[:16]}.so"


def _load(path: Path) -> Callable:
    function = getattr(ctypes.CDLL(str(path)), ENTRY)
    function.argtypes = [
        ctypes.c_void_p if kind.endswith("*") else ctypes.c_int64 for _, kind in ARGUMENTS
    ]
    function.restype = ctypes.c_int64
    return function


def _give_up(failed: Path, exc: Exception) -> None:
    """Say once why the compiled kernel cannot serve (its build or its loading failed),
    and remember it so later processes do not retry."""
    reason = " ".join(f"{type(exc).__name__}: {exc}".split())
    print(
        f"evo: cannot use the Core War kernel compiled ahead of time ({reason}); "
        f"using numba's JIT, which starts about 0.5 s slower (delete {failed} to retry)",
        file=sys.stderr,
    )
    with contextlib.suppress(OSError):
        failed.write_text(reason + "\n", encoding="utf-8")


def _load_or_build() -> Callable | None:
    """The compiled entry point, or None where the JIT must serve."""
    if os.environ.get(DISABLE, "") not in ("", "0"):
        return None
    directory = cache_dir()
    path = directory / library_name()
    failed = path.with_suffix(".failed")
    if not path.exists() and not failed.exists():
        try:
            directory.mkdir(parents=True, exist_ok=True)
            with open(directory / "build.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # one build; other processes wait for it
                if not path.exists() and not failed.exists():
                    from problems.corewar.native_build import build

                    build(path)
        except Exception as exc:  # noqa: BLE001 - any build failure means: use the JIT
            _give_up(failed, exc)
    if path.exists() and not failed.exists():
        try:
            return _load(path)
        except (OSError, AttributeError) as exc:
            _give_up(failed, exc)
    return None


@functools.cache
def kernel() -> Callable | None:
    """The compiled entry point (loaded or built once per process), or None for the JIT."""
    return _load_or_build()


@dataclass(frozen=True)
class Rounds:
    """What ``play_rounds`` reports, as flat ``array`` buffers in row-major order.

    Attributes:
        alive: ``(rounds, n)`` survivors, 0 or 1.
        order: ``(rounds, n)`` deaths in order, -1 padded.
        observations: ``(rounds, n, OBSERVATIONS)`` per-warrior observations.
    """

    rounds: int
    n: int
    alive: array
    order: array
    observations: array


def play_rounds(
    instr: Sequence[int],
    a: Sequence[int],
    b: Sequence[int],
    offsets: Sequence[int],
    lengths: Sequence[int],
    starts: Sequence[int],
    positions: Sequence[int],
    starters: Sequence[int],
    size: int,
    cycles: int,
    processes: int,
    psize: int,
    pspace_index: Sequence[int],
    track: bool,
) -> Rounds:
    """All rounds of one battle in order (P-space carried over) on one core.

    ``positions`` holds each round's ``n`` positions one round after another; every
    other sequence is per warrior (``n``), per code cell or per round (``starters``).
    """
    n, rounds = len(lengths), len(starters)
    buffers = {
        "instr": array("i", instr),
        "a": array("i", a),
        "b": array("i", b),
        "offsets": array("q", offsets),
        "lengths": array("q", lengths),
        "starts": array("q", starts),
        "positions": array("q", positions),
        "starters": array("q", starters),
        "pspace_index": array("q", pspace_index),
        "alive": array("B", bytes(rounds * n)),
        "order": array("q", [-1]) * (rounds * n),
        "observations": array("q", bytes(8 * rounds * n * OBSERVATIONS)),
        "core": array(core_typecode(size), [0]) * (4 * size),
        "queue": array("i", bytes(4 * queue_length(n, processes))),
        "state": array("q", bytes(8 * STATE_ROWS * n)),
        "written": array("B", bytes(n * size if track else 1)),
        "pspace": array("i", bytes(4 * n * psize)),
        "last_result": array("i", bytes(4 * n)),
    }
    _check(buffers, n, rounds, size, processes, psize)
    sizes = {
        "n": n,
        "rounds": rounds,
        "code_length": len(buffers["instr"]),
        "size": size,
        "cycles": cycles,
        "processes": processes,
        "psize": psize,
        "queue_length": len(buffers["queue"]),
        "track": int(track),
    }
    entry = kernel() if buffers["core"].typecode == "H" else None  # its core is uint16
    if entry is None:
        _play_jitted(buffers, sizes)
    else:
        entry(
            *(
                buffers[name].buffer_info()[0] if kind.endswith("*") else sizes[name]
                for name, kind in ARGUMENTS
            )
        )
    return Rounds(rounds, n, buffers["alive"], buffers["order"], buffers["observations"])


def _check(
    buffers: dict[str, array], n: int, rounds: int, size: int, processes: int, psize: int
) -> None:
    """Refuse what would make the kernel, which checks no index, touch memory it does not
    own: inconsistent lengths, numbers outside the core, references past the code."""
    problems = []
    code = len(buffers["instr"])
    if min(n, size, processes, psize) < 1:
        problems.append("warriors, core size, processes and P-space size must be positive")
    for name, length in (("a", code), ("b", code), ("offsets", n), ("starts", n),
                         ("pspace_index", n), ("positions", rounds * n)):  # fmt: skip
        if len(buffers[name]) != length:
            problems.append(f"{name}: {len(buffers[name])} numbers, expected {length}")
    if not problems:
        ranges = {
            "a": size, "b": size, "positions": size, "starters": n, "pspace_index": n,
            "lengths": code + 1, "offsets": code + 1,
        }  # fmt: skip
        for name, bound in ranges.items():
            if any(not 0 <= x < bound for x in buffers[name]):
                problems.append(f"{name}: numbers outside [0, {bound})")
        if any(o + k > code for o, k in zip(buffers["offsets"], buffers["lengths"], strict=True)):
            problems.append("offsets + lengths run past the code")
    if problems:
        raise ValueError("cannot play these rounds: " + "; ".join(problems))


def _play_jitted(buffers: dict[str, array], sizes: dict[str, int]) -> None:
    """The compiled entry point's work, done by the numba-jitted ``play_rounds``."""
    import numpy as np

    from problems.corewar.rounds import play_rounds as jitted

    n, rounds, size, track = sizes["n"], sizes["rounds"], sizes["size"], bool(sizes["track"])
    shapes = {
        "positions": (rounds, n),
        "alive": (rounds, n),
        "order": (rounds, n),
        "observations": (rounds, n, OBSERVATIONS),
        "state": (STATE_ROWS, n),
        "written": (n, size) if track else (1, 1),
        "pspace": (n, sizes["psize"]),
    }
    arrays = {
        name: np.frombuffer(buffer, dtype=np.bool_ if name == "alive" else buffer.typecode)
        for name, buffer in buffers.items()
    }
    arrays = {name: a.reshape(shapes.get(name, a.shape)) for name, a in arrays.items()}
    jitted(
        arrays["instr"], arrays["a"], arrays["b"], arrays["offsets"], arrays["lengths"],
        arrays["starts"], arrays["positions"], arrays["starters"], sizes["cycles"],
        sizes["processes"], arrays["pspace_index"], track, arrays["alive"], arrays["order"],
        arrays["observations"], arrays["core"], arrays["queue"], arrays["state"],
        arrays["written"], arrays["pspace"], arrays["last_result"],
    )  # fmt: skip
