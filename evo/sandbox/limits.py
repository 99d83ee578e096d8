"""Resource limits and the environment a sandboxed child gets."""

from __future__ import annotations

import contextlib
import os
import re
import resource
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

SECRET = re.compile(r"KEY|TOKEN|SECRET|PASSWORD", re.IGNORECASE)
ALLOWED = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONHASHSEED")


@dataclass(frozen=True)
class Limits:
    """What one sandboxed run may use.

    Attributes:
        wall_time: seconds before the whole process group is killed.
        cpu_time: CPU seconds (RLIMIT_CPU); defaults to the wall time plus one.
        memory: address space in bytes (RLIMIT_AS).
        file_size: largest file it may write, in bytes (RLIMIT_FSIZE).
        processes: processes it may run at once (a pids cgroup when run as root,
            otherwise RLIMIT_NPROC on top of what its user already runs).
        open_files: open file descriptors (RLIMIT_NOFILE).
        output: bytes of stdout and of stderr kept; more is an error.
    """

    wall_time: float = 10.0
    cpu_time: float | None = None
    memory: int = 1 << 30
    file_size: int = 16 << 20
    processes: int = 32
    open_files: int = 64
    output: int = 1 << 20


def scrubbed_environment(source: Mapping[str, str], home: str) -> dict[str, str]:
    """An allowlisted environment; nothing whose name looks like a secret passes."""
    env = {k: v for k, v in source.items() if k in ALLOWED and not SECRET.search(k)}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.update(HOME=home, TMPDIR=home, PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
    return env


def _processes_of(uid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count


class ProcessCap:
    """A pids cgroup holding one sandboxed run (root only; RLIMIT_NPROC does not bind
    root). ``path`` is None where no pids controller can be used."""

    ROOTS = ("/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup")

    def __init__(self, limit: int) -> None:
        self.path: str | None = None
        if os.geteuid() != 0:
            return
        for root in self.ROOTS:
            if not os.path.isfile(os.path.join(root, "cgroup.procs")):
                continue
            path = os.path.join(root, f"evo-sandbox-{os.getpid()}-{id(self)}")
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
        """Delete the cgroup once it is empty."""
        if self.path is None:
            return
        for _ in range(200):
            try:
                os.rmdir(self.path)
                return
            except OSError:
                time.sleep(0.005)


def child_setup(limits: Limits, cap: ProcessCap) -> Callable[[], None]:
    """A ``preexec_fn`` that applies the limits in the child before it runs anything."""
    nproc = _processes_of(os.getuid()) + limits.processes
    cpu = int(limits.cpu_time or limits.wall_time + 1)

    def setup() -> None:
        cap.enter()
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size, limits.file_size))
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))

    return setup
