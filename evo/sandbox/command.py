"""What starts one sandboxed child: its inputs, request, command line, environment,
descriptors, and the set-up it runs before ``exec`` (limits, user, death with parent)."""

from __future__ import annotations

import ctypes
import functools
import marshal
import os
import shutil
import signal
import site
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evo.sandbox import isolation as iso
from evo.sandbox.limits import Limits, apply_rlimits, scrubbed_environment, tasks_of

LAUNCHER = Path(__file__).with_name("launcher.py")
PR_SET_PDEATHSIG = 1


class Descriptors:
    """The descriptors one call opens; whatever is still open is closed on exit."""

    def __init__(self) -> None:
        self._open: list[int] = []

    def add(self, fd: int) -> int:
        self._open.append(fd)
        return fd

    def pipe(self) -> tuple[int, int]:
        read, write = os.pipe()
        return self.add(read), self.add(write)

    def close(self, fds: Iterable[int]) -> None:
        for fd in fds:
            if fd in self._open:
                self._open.remove(fd)
                os.close(fd)

    def __enter__(self) -> Descriptors:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(list(self._open))


@dataclass
class Plan:
    """How to start the child.

    Attributes:
        command, env, cwd: what to run, with what environment, where.
        passed: descriptors the child inherits (close ours once it has started).
        report: our end of the pipe the launcher reports on.
        info: our end of the pipe bubblewrap writes its info to (-1 without it).
        user: the call's own (uid, gid) when evo is root (None otherwise).
        drop: whether to become ``user`` before ``exec`` (root without bubblewrap; with
            it, the launcher does).
        nproc: the RLIMIT_NPROC to set.
    """

    command: list[str]
    env: dict[str, str]
    cwd: Path
    passed: list[int]
    report: int
    info: int = -1
    user: tuple[int, int] | None = None
    drop: bool = False
    nproc: int = 0


def write_inputs(workspace: Path, program: str | Path, files: dict[str, str]) -> None:
    """Copy the program and write its files into ``workspace``, readable by all."""
    for name, text in {"program.py": None, **files}.items():
        if not name or "/" in name or name in (".", "..", "request"):
            raise ValueError(f"sandbox file name {name!r} is not a plain, free file name")
        target = workspace / name
        if text is None:
            shutil.copyfile(program, target)
        else:
            target.write_text(text)
        target.chmod(0o644)


def plan(
    workspace: Path,
    function: str,
    args: list[Any],
    limits: Limits,
    isolation: iso.Isolation,
    fds: Descriptors,
) -> Plan:
    """Write the request and build the command for a call whose inputs are written."""
    user = iso.sandbox_identity() if os.geteuid() == 0 else None
    report, report_end = fds.pipe()
    info, info_end = fds.pipe() if isolation.active else (-1, -1)
    inside = iso.WORK if isolation.active else str(workspace)
    request = {
        "program": f"{inside}/program.py",
        "function": function,
        "args": args,
        "paths": site.getsitepackages(),
        "fd": report_end,
        "user": list(user) if user and isolation.active else None,
        "scratch": scratch_files(limits) if user and isolation.active else None,
    }
    request_path = workspace / "request"
    request_path.write_bytes(marshal.dumps(request))
    request_path.chmod(0o644)
    # A fresh uid runs nothing yet; evo's own user shares the count with all it runs.
    nproc = limits.processes + (0 if user else tasks_of(os.getuid()))
    if not isolation.active:
        os.chmod(workspace, 0o1777)  # its uid writes here, and deletes only its own files
        command = [sys.executable, "-I", "-S", str(LAUNCHER), str(request_path)]
        env = scrubbed_environment(os.environ, str(workspace), str(workspace))
        return Plan(command, env, workspace, [report_end], report, -1, user, True, nproc)
    shown = {f"{iso.WORK}/{p.name}": p for p in workspace.iterdir() if p != request_path}
    shown |= {iso.LAUNCHER: LAUNCHER, iso.REQUEST: request_path}
    copies = {inside: fds.add(os.open(host, os.O_RDONLY)) for inside, host in shown.items()}
    seccomp = None
    if isolation.filter is not None:
        seccomp = fds.add(iso.seccomp_pipe(isolation.filter))
    prefix = iso.bwrap_command(
        isolation.binary or "", isolation.userns, limits.scratch or 0, copies, seccomp, info_end
    )
    command = [*prefix, sys.executable, "-I", "-S", iso.LAUNCHER, iso.REQUEST]
    passed = [report_end, info_end, *copies.values(), *([seccomp] if seccomp else [])]
    env = scrubbed_environment(os.environ, iso.WORK, "/tmp")
    return Plan(command, env, workspace, passed, report, info, user, False, nproc)


def scratch_files(limits: Limits) -> list[int]:
    """``[bytes, files]`` of each scratch mount: one file per 4 KiB page, at least 1024."""
    size = limits.scratch or 0
    return [size, max(1024, size // 4096)]


@functools.cache
def _prctl() -> Callable[..., int]:
    return ctypes.CDLL(None, use_errno=True).prctl


def child_setup(plan: Plan, limits: Limits) -> Callable[[], None]:
    """A ``preexec_fn``: resource limits, then (root without bubblewrap) the call's own
    user, then death with its parent (set last: a change of user clears it), or an exit
    at once if the parent is already gone."""
    prctl = _prctl()
    drop = plan.user if plan.drop else None
    parent = os.getpid()

    def setup() -> None:
        apply_rlimits(limits, plan.nproc)
        if drop is not None:
            os.setgroups([])
            os.setgid(drop[1])
            os.setuid(drop[0])
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)

    return setup


def kill_user(uid: int) -> None:
    """Kill every process of ``uid`` (a call's own uid): a child becomes that user and
    signals all processes it may, which are exactly those."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def start_failure(exc: OSError, plan: Plan) -> str:
    """Why the child could not start, with what to do about it."""
    text = f"the sandbox could not start: {exc}"
    if plan.drop and plan.user is not None:
        text += (
            f" (it runs as uid {plan.user[0]}, which must be able to read {sys.executable} "
            "and its libraries: install bubblewrap, or make the interpreter readable by all)"
        )
    return text
