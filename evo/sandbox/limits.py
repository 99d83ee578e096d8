"""Resource limits and the environment a sandboxed child gets."""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import resource
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

SECRET = re.compile(r"KEY|TOKEN|SECRET|PASSWORD", re.IGNORECASE)
ALLOWED = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONHASHSEED")
MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one sandboxed run may use.

    Attributes:
        wall_time: seconds before everything it started is killed.
        cpu_time: CPU seconds (RLIMIT_CPU); defaults to the wall time plus one.
        memory: address space in bytes (RLIMIT_AS).
        file_size: largest file it may write, in bytes (RLIMIT_FSIZE).
        processes: processes (threads included) it may run at once: RLIMIT_NPROC of the
            call's own uid when evo is root; of evo's user, on top of what that user
            already runs, otherwise.
        open_files: open file descriptors (RLIMIT_NOFILE).
        output: bytes of stdout, of stderr and of the result kept; more is an error.
        scratch: size in bytes of each of its private ``/tmp`` (which holds its work
            directory) and ``/dev/shm``; filling either is an error. None: the run's
            ``evaluation.scratch`` (256 MiB unless configured).
    """

    wall_time: float = 10.0
    cpu_time: float | None = None
    memory: int = 1 << 30
    file_size: int = 16 * MiB
    processes: int = 32
    open_files: int = 64
    output: int = 1 * MiB
    scratch: int | None = None

    def resolved(self) -> Limits:
        """These limits with every default filled in."""
        return replace(self, scratch=self.scratch or default_scratch.get())


default_scratch: contextvars.ContextVar[int] = contextvars.ContextVar(
    "default_scratch", default=256 * MiB
)
"""Scratch size of calls that do not set one (the run's ``evaluation.scratch``)."""


@contextlib.contextmanager
def scratch_default(size: int | None) -> Iterator[None]:
    """Calls made inside use ``size`` bytes of scratch unless their limits say otherwise."""
    if size is None:
        yield
        return
    token = default_scratch.set(size)
    try:
        yield
    finally:
        default_scratch.reset(token)


def scrubbed_environment(source: Mapping[str, str], home: str, tmp: str) -> dict[str, str]:
    """An allowlisted environment; nothing whose name looks like a secret passes."""
    env = {k: v for k, v in source.items() if k in ALLOWED and not SECRET.search(k)}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.update(HOME=home, TMPDIR=tmp, PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
    return env


def tasks_of(uid: int) -> int:
    """How many tasks (threads) ``uid`` runs now: what RLIMIT_NPROC counts."""
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                continue
    return count


def apply_rlimits(limits: Limits, nproc: int) -> None:
    """Set the resource limits of the calling process (run in the child before exec)."""
    cpu = int(limits.cpu_time or limits.wall_time + 1)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size, limits.file_size))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
