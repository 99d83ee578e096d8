"""Run untrusted Python in a fresh, limited, isolated child process."""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from evo.sandbox.isolation import bwrap_binary, bwrap_command, isolation_works, warn_unisolated
from evo.sandbox.limits import Limits, ProcessCap, child_setup, scrubbed_environment

LAUNCHER = Path(__file__).with_name("launcher.py")


@dataclass
class Outcome:
    """What one sandboxed call gave.

    Attributes:
        status: ``ok``, ``error`` (crash, exception, garbage output, output over the cap)
            or ``timeout``.
        value: the function's JSON return value when ok.
        reason: why it is not ok.
        stdout, stderr: captured output (capped).
        wall_time: seconds.
        isolated: whether network and filesystem isolation was in force.
    """

    status: str
    value: Any = None
    reason: str = ""
    stdout: str = ""
    stderr: str = ""
    wall_time: float = 0.0
    isolated: bool = False
    artifacts: dict[str, str] = field(default_factory=dict)


def _drain(
    stream: IO[bytes],
    cap: int,
    sink: list[bytes],
    over: threading.Event,
    process: subprocess.Popen,
) -> None:
    """Read ``stream`` to the end, keeping at most ``cap`` bytes; more kills the child."""
    kept = 0
    while chunk := stream.read1(65536):
        if kept < cap:
            sink.append(chunk[: cap - kept])
        kept += len(chunk)
        if kept > cap:
            over.set()
            _kill_group(process)
            return


def _wait(process: subprocess.Popen, seconds: float) -> bool:
    """Wait for the child to end (woken at once by its pidfd); False on timeout."""
    try:
        handle = os.pidfd_open(process.pid)
    except (AttributeError, OSError):  # no pidfd: Popen's own (coarser) wait
        try:
            process.wait(timeout=seconds)
            return True
        except subprocess.TimeoutExpired:
            return False
    try:
        ready, _, _ = select.select([handle], [], [], seconds)
        return bool(ready)
    finally:
        os.close(handle)


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def call(
    program: str | Path,
    function: str,
    args: list[Any] | None = None,
    limits: Limits | None = None,
    files: dict[str, str] | None = None,
) -> Outcome:
    """Call ``function(*args)`` of the Python file ``program`` in a sandbox.

    The program is copied into a fresh temporary working directory (with ``files``),
    run by the launcher, and the directory is removed afterwards.
    """
    limits = limits or Limits()
    workdir = tempfile.mkdtemp(prefix="evo-sandbox-")
    try:
        os.chmod(workdir, 0o777)
        target = Path(workdir) / "program.py"
        shutil.copyfile(program, target)
        for name, text in (files or {}).items():
            (Path(workdir) / name).write_text(text)
        request = Path(workdir) / "request.json"
        result = Path(workdir) / "result.json"
        request.write_text(
            json.dumps(
                {
                    "program": str(target),
                    "function": function,
                    "args": args or [],
                    "result": str(result),
                    "paths": site.getsitepackages(),
                }
            )
        )
        return _run(workdir, request, result, limits)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(workdir: str, request: Path, result: Path, limits: Limits) -> Outcome:
    cap = ProcessCap(limits.processes)
    try:
        return _supervise(workdir, request, result, limits, cap)
    finally:
        cap.remove()


def _supervise(
    workdir: str, request: Path, result: Path, limits: Limits, cap: ProcessCap
) -> Outcome:
    setup = child_setup(limits, cap)
    binary = bwrap_binary()
    isolated = isolation_works(binary)
    if not isolated:
        warn_unisolated("bubblewrap is unavailable or cannot create namespaces here")
    visible = [str(LAUNCHER.parent), sys.prefix, sys.base_prefix, *site.getsitepackages()]
    prefix = bwrap_command(binary, workdir, visible) if isolated and binary else []
    command = prefix + [sys.executable, "-I", "-S", str(LAUNCHER), str(request)]
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=workdir,
        env=scrubbed_environment(os.environ, workdir),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=setup,
        start_new_session=True,
    )
    outputs: dict[str, list[bytes]] = {"stdout": [], "stderr": []}
    over = threading.Event()
    readers = [
        threading.Thread(
            target=_drain,
            args=(getattr(process, name), limits.output, sink, over, process),
            daemon=True,
        )
        for name, sink in outputs.items()
    ]
    for reader in readers:
        reader.start()
    timed_out = not _wait(process, limits.wall_time) and not over.is_set()
    _kill_group(process)
    process.wait()
    for reader in readers:
        reader.join(timeout=1)
    elapsed = time.perf_counter() - start
    stdout = b"".join(outputs["stdout"]).decode(errors="replace")
    stderr = b"".join(outputs["stderr"]).decode(errors="replace")
    outcome = Outcome("error", stdout=stdout, stderr=stderr, wall_time=elapsed, isolated=isolated)
    if timed_out:
        outcome.status, outcome.reason = "timeout", f"killed after {limits.wall_time:g} s"
    elif over.is_set():
        outcome.reason = f"output exceeded {limits.output} bytes"
    elif process.returncode != 0:
        outcome.reason = _exit_reason(process.returncode, stderr)
    else:
        _read_result(outcome, result)
    return outcome


def _exit_reason(code: int, stderr: str) -> str:
    if code < 0:
        name = signal.Signals(-code).name
        hint = " (CPU time limit)" if -code == signal.SIGXCPU else ""
        return f"killed by {name}{hint}"
    tail = stderr.strip().splitlines()[-1:] or [""]
    return f"exited with status {code}: {tail[0][:300]}"


def _read_result(outcome: Outcome, result: Path) -> None:
    try:
        data = json.loads(result.read_text())
    except FileNotFoundError:
        outcome.reason = "the program ended without a result"
        return
    except (OSError, ValueError) as exc:
        outcome.reason = f"unreadable result: {exc}"
        return
    if not isinstance(data, dict) or "ok" not in data:
        outcome.reason = "garbled result"
    elif data["ok"]:
        outcome.status, outcome.value = "ok", data.get("value")
    else:
        outcome.reason = str(data.get("error", "failed"))
        outcome.artifacts["traceback"] = str(data.get("traceback", ""))
