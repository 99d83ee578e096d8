"""Watch one sandboxed process until its report is whole, it ends, it writes too much,
or its deadline passes: one thread, non-blocking reads, every stream capped."""

from __future__ import annotations

import os
import select
import subprocess
import time
from dataclasses import dataclass, field

from evo.sandbox.result import Frame, FrameError

CHUNK = 1 << 16


@dataclass
class Watched:
    """What the process gave, and why watching stopped.

    Attributes:
        frame: the report as far as it arrived.
        stdout, stderr: output kept (at most the cap each).
        stop: ``reported`` (the frame is whole), ``exited``, ``timeout``, ``output``
            (stdout or stderr over the cap) or ``frame`` (a malformed or oversized report).
        detail: what is wrong with the frame, for ``frame``.
        elapsed: seconds from start to the stop.
    """

    frame: Frame
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    stop: str = ""
    detail: str = ""
    elapsed: float = 0.0


class _Reader:
    """Non-blocking reads of the output pipes and the report descriptor."""

    def __init__(self, watched: Watched, stdout: int, stderr: int, report: int, cap: int) -> None:
        self.watched, self.report, self.cap = watched, report, cap
        self.sinks = {stdout: watched.stdout, stderr: watched.stderr}
        self.seen = {stdout: 0, stderr: 0}
        self.open = [stdout, stderr, report]
        for fd in self.open:
            os.set_blocking(fd, False)

    def drain(self, fd: int) -> None:
        """Take everything ``fd`` holds now; stop at a cap or a whole frame."""
        while not self.watched.stop:
            try:
                chunk = os.read(fd, CHUNK)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                self.open.remove(fd)
                return
            if fd == self.report:
                self._frame(chunk)
            else:
                self._output(fd, chunk)

    def _frame(self, chunk: bytes) -> None:
        try:
            self.watched.frame.feed(chunk)
        except FrameError as exc:
            self.watched.stop, self.watched.detail = "frame", str(exc)
            return
        if self.watched.frame.complete:
            self.watched.stop = "reported"

    def _output(self, fd: int, chunk: bytes) -> None:
        sink = self.sinks[fd]
        sink += chunk[: max(0, self.cap - len(sink))]
        self.seen[fd] += len(chunk)
        if self.seen[fd] > self.cap:
            self.watched.stop = "output"


def _exit_handle(process: subprocess.Popen) -> int | None:
    """A pidfd that becomes readable when the process ends (None where unsupported)."""
    try:
        return os.pidfd_open(process.pid)
    except (AttributeError, OSError):
        return None


def watch(
    process: subprocess.Popen, report: int, cap: int, wall_time: float, start: float
) -> Watched:
    """Read ``process``'s stdout, stderr and ``report`` descriptor until a stop."""
    assert process.stdout is not None and process.stderr is not None
    watched = Watched(Frame(cap))
    reader = _Reader(watched, process.stdout.fileno(), process.stderr.fileno(), report, cap)
    ended = _exit_handle(process)
    deadline = start + wall_time
    try:
        while not watched.stop:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                watched.stop = "timeout"
                break
            waits = reader.open + ([ended] if ended is not None else [])
            pause = remaining if ended is not None else min(remaining, 0.02)
            ready, _, _ = select.select(waits, [], [], pause)
            exited = ended in ready if ended is not None else process.poll() is not None
            for fd in list(reader.open) if exited else ready:
                if fd != ended:
                    reader.drain(fd)
            if exited and not watched.stop:
                watched.stop = "exited"
    finally:
        if ended is not None:
            os.close(ended)
    watched.elapsed = time.perf_counter() - start
    return watched
