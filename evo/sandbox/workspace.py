"""Private host directories held by a live process, and the sweep of those whose owner
died (a worker killed on a deadline, ``evo run`` killed outright)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

PREFIXES = ("evo-sandbox-", "evo-program-")
GRACE = 1.0
"""Seconds a directory must exist before a sweep may judge it abandoned."""


class Workspace:
    """A fresh directory under the temporary directory, locked (``flock``) while this
    process holds it. ``prefix`` must be one of ``PREFIXES`` for sweeps to find it."""

    def __init__(self, prefix: str = "evo-sandbox-") -> None:
        self.path = Path(tempfile.mkdtemp(prefix=prefix))
        self._lock = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def remove(self) -> None:
        """Delete the directory, then release it."""
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._lock)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def _abandoned(path: Path) -> bool:
    """Whether ``path`` is ours, old enough, and no live process holds its lock."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        info = os.fstat(handle)
        if info.st_uid != os.geteuid() or time.time() - info.st_ctime < GRACE:
            return False
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # held by a live process
        return True
    finally:
        os.close(handle)


def sweep() -> list[str]:
    """Remove the directories of dead evaluations; returns what was removed."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in Path(tempfile.gettempdir()).iterdir():
            if entry.name.startswith(PREFIXES) and _abandoned(entry):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(str(entry))
    return removed
