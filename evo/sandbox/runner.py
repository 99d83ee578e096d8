"""Run untrusted Python in a fresh, limited, isolated child process."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from evo.sandbox import command, seccomp
from evo.sandbox import isolation as iso
from evo.sandbox.limits import Limits
from evo.sandbox.result import FrameError, parse
from evo.sandbox.supervise import Watched, watch
from evo.sandbox.workspace import Workspace


@dataclass
class Outcome:
    """What one sandboxed call gave.

    Attributes:
        status: ``ok``, ``error`` (crash, exception, garbage or oversized output or
            result, scratch space filled) or ``timeout``.
        value: the function's JSON return value when ok.
        reason: why it is not ok.
        stdout, stderr: captured output (capped).
        wall_time: seconds.
        isolated: whether bubblewrap's isolation was in force.
        artifacts: the program's traceback, when it raised.
    """

    status: str
    value: Any = None
    reason: str = ""
    stdout: str = ""
    stderr: str = ""
    wall_time: float = 0.0
    isolated: bool = False
    artifacts: dict[str, str] = field(default_factory=dict)


def call(
    program: str | Path,
    function: str,
    args: list[Any] | None = None,
    limits: Limits | None = None,
    files: dict[str, str] | None = None,
) -> Outcome:
    """Call ``function(*args)`` of the Python file ``program`` in a sandbox.

    The program and ``files`` (name to text) are its working directory's contents.
    Whatever happens, including an exception raised into this call (a deadline),
    everything it started is killed and its directory removed.
    """
    isolation = detect()
    iso.warn_missing(isolation)
    limits = (limits or Limits()).resolved()
    return _call(program, function, args or [], limits, files or {}, isolation)


def _call(
    program: str | Path,
    function: str,
    args: list[Any],
    limits: Limits,
    files: dict[str, str],
    isolation: iso.Isolation,
) -> Outcome:
    with Workspace() as workspace, command.Descriptors() as fds:
        command.write_inputs(workspace.path, program, files)
        plan = command.plan(workspace.path, function, args, limits, isolation, fds)
        return _run(plan, limits, fds, isolation.active)


@functools.cache
def detect() -> iso.Isolation:
    """What isolation works here: probed once per process by a real call through
    bubblewrap (mounts, seccomp, the launcher's remount and drop, the report)."""
    userns = os.geteuid() != 0
    trial = iso.Isolation(iso.bwrap_binary(), userns, seccomp.program())
    if trial.binary is None:
        return replace(trial, reason="bubblewrap is not installed")
    with Workspace() as scratch:
        probe = scratch.path / "probe.py"
        probe.write_text("def probe():\n    return 42\n")
        limits = Limits(wall_time=30, scratch=1 << 20)
        try:
            outcome = _call(probe, "probe", [], limits, {}, trial)
        except OSError as exc:
            outcome = Outcome("error", reason=str(exc))
    if outcome.status == "ok" and outcome.value == 42:
        return trial
    why = (outcome.reason + " " + outcome.stderr.strip()[-200:]).strip()
    return iso.Isolation(None, userns, trial.filter, f"bubblewrap fails here: {why[:300]}")


def _run(plan: command.Plan, limits: Limits, fds: command.Descriptors, isolated: bool) -> Outcome:
    """Start the child, watch it, and kill everything it started, whatever happens."""
    start = time.perf_counter()
    try:
        process = subprocess.Popen(
            plan.command,
            cwd=plan.cwd,
            env=plan.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=plan.passed,
            preexec_fn=command.child_setup(plan, limits),
            start_new_session=True,
        )
    except OSError as exc:
        return Outcome("error", reason=command.start_failure(exc, plan))
    fds.close(plan.passed)  # the child holds them now
    try:
        watched = watch(process, plan.report, limits.output, limits.wall_time, start)
        full = _full_scratch(plan.info, limits) if watched.stop == "reported" else ""
    finally:
        _stop(process, plan)
    return _outcome(watched, full, process.returncode, limits, isolated)


def _stop(process: subprocess.Popen, plan: command.Plan) -> None:
    """Kill everything the child started and reap it. Each step is retried if an
    exception is thrown into it (a deadline's watchdog); the first such exception is
    raised once all steps are done."""
    steps: list[Callable[[], object]] = [lambda: _kill_group(process)]
    if plan.drop and plan.user is not None:  # no PID namespace: find them by owner
        steps.append(functools.partial(command.kill_user, plan.user[0]))
    steps += [process.wait, *(s.close for s in (process.stdout, process.stderr) if s)]
    delayed: BaseException | None = None
    for step in steps:
        for _ in range(3):
            try:
                step()
                break
            except BaseException as exc:  # raised again below
                delayed = delayed or exc
    if delayed is not None:
        raise delayed


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _full_scratch(info: int, limits: Limits) -> str:
    """Which scratch mount the program filled ("" if none; always "" without bubblewrap).
    Read from outside, through the sandbox's root, while it still runs."""
    if info < 0:
        return ""
    try:
        os.set_blocking(info, False)  # bubblewrap wrote it before starting the launcher
        pid = int(json.loads(os.read(info, 4096))["child-pid"])
        for mount in ("/tmp", "/dev/shm"):
            room = os.statvfs(f"/proc/{pid}/root{mount}")
            if room.f_bfree == 0 or room.f_ffree == 0:
                return f"the program filled its scratch space {mount} ({limits.scratch} bytes)"
    except (OSError, ValueError, KeyError, TypeError):
        return "the sandbox ended before its scratch space could be checked"
    return ""


def _outcome(
    watched: Watched, full: str, code: int | None, limits: Limits, isolated: bool
) -> Outcome:
    stdout = watched.stdout.decode(errors="replace")
    stderr = watched.stderr.decode(errors="replace")
    outcome = Outcome("error", stdout=stdout, stderr=stderr, wall_time=watched.elapsed)
    outcome.isolated = isolated
    if watched.stop == "timeout":
        outcome.status, outcome.reason = "timeout", f"killed after {limits.wall_time:g} s"
    elif watched.stop == "output":
        outcome.reason = f"output exceeded {limits.output} bytes"
    elif watched.stop == "frame":
        outcome.reason = watched.detail
    elif watched.stop == "exited":
        outcome.reason = _exit_reason(code, stderr, isolated)
    elif full:
        outcome.reason = full
    else:
        try:
            report = parse(watched.frame.payload())
        except FrameError as exc:
            outcome.reason = str(exc)
            return outcome
        if report.ok:
            outcome.status, outcome.value = "ok", report.value
        else:
            outcome.reason = report.error
            outcome.artifacts["traceback"] = report.traceback
    return outcome


def _exit_reason(code: int | None, stderr: str, isolated: bool) -> str:
    """Why a program that ended without a report ended. bubblewrap passes a signal
    death on as 128 + the signal number."""
    signum = -code if code is not None and code < 0 else None
    if isolated and code is not None and 128 < code < 128 + signal.NSIG:
        signum = code - 128
    if signum is not None:
        name = signal.Signals(signum).name if signum in signal.valid_signals() else signum
        hint = " (CPU time limit)" if signum == signal.SIGXCPU else ""
        return f"killed by {name}{hint}"
    if code == 0:
        return "the program ended without a result"
    tail = stderr.strip().splitlines()[-1:] or [""]
    return f"exited with status {code}: {tail[0][:300]}"
