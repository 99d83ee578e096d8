"""``rounds.play_rounds`` compiled ahead of time, so a battle starts without numba.

Importing numba and setting up its dispatchers costs about 0.4 s per process, longer
than many whole pMARS battles. The sequential battle kernel is therefore also built,
once per machine and kernel source, with numba's ahead-of-time compiler (``numba.pycc``)
into an extension module in the cache directory; importing that needs numpy alone.
Where it cannot be built or loaded (no C compiler, a numba without pycc, no writable
cache) the numba-jitted function serves, and the reason is written beside the module so
that later processes do not try again. ``EVO_NO_AOT=1`` always uses the jitted function.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import numpy as np

from problems.corewar.layout import OBSERVATIONS

HERE = Path(__file__).resolve().parent
SOURCES = (
    "redcode.py",
    "layout.py",
    "rare_ops.py",
    "duel.py",
    "mars.py",
    "rounds.py",
    "compiled.py",
)
"""What the compiled module is built from: a change to any of them renames it."""
DISABLE = "EVO_NO_AOT"
SIGNATURE = (
    "i8(i4[::1], i4[::1], i4[::1], i8[::1], i8[::1], i8[::1], i8[:, ::1], i8[::1],"
    " i8, i8, i8, i8, i8[::1], b1, b1[:, ::1], i8[:, ::1], i8[:, :, ::1])"
)
"""The exported signature: the compiled function trusts its arguments' types, so
``play_rounds`` below converts every argument to exactly these."""

_kernel: Callable | None = None


def cache_dir() -> Path:
    """Where compiled kernels live: beside numba's cache when ``NUMBA_CACHE_DIR`` is set,
    else in the user's cache directory."""
    root = os.environ.get("NUMBA_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    return Path(root or Path.home() / ".cache") / "evo-corewar"


def numba_version_file() -> Path:
    """numba's ``_version.py``, found without importing numba (or importlib.metadata)."""
    spec = importlib.util.find_spec("numba")
    if spec is None or spec.origin is None:
        raise ImportError("numba is not installed")
    return Path(spec.origin).parent / "_version.py"


def module_name() -> str:
    """A name that changes with the kernel's source, Python, numba, numpy and machine."""
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((HERE / name).read_bytes())
    digest.update(repr((sys.version, os.uname().machine, np.__version__)).encode())
    digest.update(numba_version_file().read_bytes())
    return f"corewar_rounds_{digest.hexdigest()[:16]}"


def build(name: str, directory: Path) -> Path:
    """Compile ``play_rounds`` into extension module ``name`` in ``directory``."""
    import tempfile
    import warnings

    from problems.corewar.rounds import play_rounds as jitted

    with tempfile.TemporaryDirectory(dir=directory) as scratch, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycc's pending deprecation
        from numba.pycc import CC

        cc = CC(name)
        cc.output_dir = scratch
        cc.export("play_rounds", SIGNATURE)(jitted.py_func)
        cc.compile()
        built = Path(scratch) / f"{name}{sysconfig.get_config_var('EXT_SUFFIX')}"
        target = directory / built.name
        os.replace(built, target)
    return target


def _import(name: str, path: Path) -> Callable:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.play_rounds


def _jitted() -> Callable:
    from problems.corewar.rounds import play_rounds

    return play_rounds


def _give_up(failed: Path, exc: Exception) -> None:
    """Say once why the compiled kernel cannot serve (its build or its import failed),
    and remember it so later processes do not retry."""
    reason = " ".join(f"{type(exc).__name__}: {exc}".split())
    print(
        f"evo: cannot use the Core War kernel compiled ahead of time ({reason}); "
        f"using numba's JIT, which starts about 0.4 s slower (delete {failed} to retry)",
        file=sys.stderr,
    )
    with contextlib.suppress(OSError):
        failed.write_text(reason + "\n", encoding="utf-8")


def _load_or_build() -> Callable:
    if os.environ.get(DISABLE, "") not in ("", "0"):
        return _jitted()
    name, directory = module_name(), cache_dir()
    path = directory / f"{name}{sysconfig.get_config_var('EXT_SUFFIX')}"
    failed = directory / f"{name}.failed"
    if not path.exists() and not failed.exists():
        try:
            directory.mkdir(parents=True, exist_ok=True)
            with open(directory / "build.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # one build; other processes wait for it
                if not path.exists() and not failed.exists():
                    build(name, directory)
        except Exception as exc:  # noqa: BLE001 - any build failure means: use the JIT
            _give_up(failed, exc)
    if path.exists() and not failed.exists():
        try:
            return _import(name, path)
        except ImportError as exc:
            _give_up(failed, exc)
    return _jitted()


def kernel() -> Callable:
    """The sequential rounds kernel: compiled ahead of time when possible."""
    global _kernel
    if _kernel is None:
        _kernel = _load_or_build()
    return _kernel


def play_rounds(
    instr: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    offsets: np.ndarray,
    lengths: np.ndarray,
    starts: np.ndarray,
    positions: np.ndarray,
    starters: np.ndarray,
    size: int,
    cycles: int,
    processes: int,
    psize: int,
    pspace_index: np.ndarray,
    track: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All rounds of one battle in order (P-space carried over) on one core:
    ``(alive, order, observations)``."""

    def typed(array: np.ndarray, dtype: type) -> np.ndarray:
        return np.ascontiguousarray(array, dtype=dtype)

    positions = typed(positions, np.int64)
    rounds, n = positions.shape
    alive = np.zeros((rounds, n), dtype=np.bool_)
    order = np.full((rounds, n), -1, dtype=np.int64)
    observations = np.zeros((rounds, n, OBSERVATIONS), dtype=np.int64)
    kernel()(
        typed(instr, np.int32),
        typed(a, np.int32),
        typed(b, np.int32),
        typed(offsets, np.int64),
        typed(lengths, np.int64),
        typed(starts, np.int64),
        positions,
        typed(starters, np.int64),
        int(size),
        int(cycles),
        int(processes),
        int(psize),
        typed(pspace_index, np.int64),
        bool(track),
        alive,
        order,
        observations,
    )
    return alive, order, observations
