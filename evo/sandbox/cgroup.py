"""A pids cgroup around one sandboxed run (root only: RLIMIT_NPROC does not bind root,
and only root may make cgroups). Its name is a random token, never a host pid."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator

ROOTS = ("/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup")
PREFIX = "evo-sandbox-"


def _usable_roots() -> Iterator[str]:
    for root in ROOTS:
        if os.path.isfile(os.path.join(root, "cgroup.procs")):
            yield root


class ProcessCap:
    """A pids cgroup named after ``token``; ``path`` is None where none can be made."""

    def __init__(self, limit: int, token: str) -> None:
        self.path: str | None = None
        if os.geteuid() != 0:
            return
        for root in _usable_roots():
            path = os.path.join(root, PREFIX + token)
            try:
                os.mkdir(path)
                with open(os.path.join(path, "pids.max"), "w") as handle:
                    handle.write(str(limit))
            except OSError:
                with contextlib.suppress(OSError):
                    os.rmdir(path)
                continue
            self.path = path
            return

    def enter(self) -> None:
        """Move the calling process (and so its descendants) into the cgroup."""
        if self.path is not None:
            with open(os.path.join(self.path, "cgroup.procs"), "w") as handle:
                handle.write(str(os.getpid()))

    def remove(self) -> None:
        """Kill whatever is still inside, then delete the cgroup."""
        if self.path is not None:
            remove(self.path)


def members(path: str) -> list[int]:
    """The pids in a cgroup (none once it is gone)."""
    try:
        with open(os.path.join(path, "cgroup.procs")) as handle:
            return [int(line) for line in handle if line.strip()]
    except (OSError, ValueError):
        return []


def remove(path: str, patience: float = 2.0) -> bool:
    """Kill every process in the cgroup at ``path`` and delete it; False if it stayed."""
    deadline = time.monotonic() + patience
    while True:
        for pid in members(path):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        try:
            os.rmdir(path)
            return True
        except FileNotFoundError:
            return True
        except OSError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)


def existing() -> list[tuple[str, str]]:
    """``(token, path)`` of every evo sandbox cgroup on this host."""
    found = []
    for root in _usable_roots():
        with contextlib.suppress(OSError):
            for name in os.listdir(root):
                if name.startswith(PREFIX):
                    found.append((name[len(PREFIX) :], os.path.join(root, name)))
    return found
