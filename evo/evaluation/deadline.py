"""Deadlines inside a process: an alarm, then an exception thrown into the late thread.

``deadline(seconds)`` arms SIGALRM in the main thread (it interrupts sleeps and blocking
calls). Code can defeat an alarm (ignore the signal, catch the exception and carry on),
and other threads get no alarm at all; so a watchdog thread also throws
``DeadlineExceeded`` into the late thread at its next Python instruction, again and
again until the block ends. What neither can stop is a thread blocked for good inside
C code: after a grace period the watchdog says so (a ``DeadlineWarning``), because only
killing the process helps then (the loky backend does).
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

ESCALATE = 0.5
"""Seconds after the alarm before the watchdog throws into the main thread."""
REPEAT = 0.2
"""Seconds between throws while the block goes on."""
HOPELESS = 5.0
"""Seconds of throwing after which the watchdog warns that it cannot stop the block."""


class DeadlineExceeded(BaseException):
    """Raised inside a task when its time limit passes (a BaseException, so that an
    evaluator's own ``except Exception`` cannot swallow it)."""


class DeadlineWarning(RuntimeWarning):
    """A task overran its deadline and cannot be stopped in this process."""


@dataclass
class _Guard:
    thread: int
    due: float
    seconds: float
    throwing_since: float | None = None
    warned: bool = False


def _throw(thread: int, exc: type[BaseException] | None) -> None:
    """Make ``exc`` pending in ``thread`` (None clears a pending one)."""
    target = ctypes.py_object(exc) if exc is not None else None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), target)


class _Watchdog:
    """One daemon thread per process serving every guarded block."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.guards: dict[int, _Guard] = {}
        self.thread: threading.Thread | None = None

    def add(self, guard: _Guard) -> None:
        with self.lock:
            self.guards[id(guard)] = guard
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="evo-deadline", daemon=True)
                self.thread.start()
            self.lock.notify()

    def remove(self, guard: _Guard) -> None:
        """Stop guarding; clear an exception thrown but not yet raised. Safe to call while
        a throw may land: the caller retries until it returns normally."""
        with self.lock:
            self.guards.pop(id(guard), None)
            _throw(guard.thread, None)

    def _run(self) -> None:
        while True:
            with self.lock:
                now = time.monotonic()
                for guard in self.guards.values():
                    if now >= guard.due:
                        self._late(guard, now)
                wake = min((g.due for g in self.guards.values()), default=now + 60)
                self.lock.wait(max(0.0, wake - time.monotonic()))

    def _late(self, guard: _Guard, now: float) -> None:
        _throw(guard.thread, DeadlineExceeded)
        guard.throwing_since = guard.throwing_since or now
        guard.due = now + REPEAT
        if not guard.warned and now - guard.throwing_since > HOPELESS:
            guard.warned = True
            warnings.warn(
                f"a task has overrun its {guard.seconds:g} s deadline by more than "
                f"{HOPELESS + ESCALATE:g} s and does not stop (blocked inside C code, or "
                "swallowing the exception); this process cannot kill it: the loky backend "
                "kills its worker instead",
                DeadlineWarning,
                stacklevel=1,
            )


_WATCHDOG = _Watchdog()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise ``DeadlineExceeded`` in this thread after ``seconds``: by SIGALRM in the
    main thread, and by the watchdog (at once in other threads, ``ESCALATE`` later in the
    main thread) until the block ends."""
    main = threading.current_thread() is threading.main_thread()
    previous: Any = None
    if main:

        def expire(signum: int, frame: Any) -> None:
            raise DeadlineExceeded(seconds)

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    guard = _Guard(threading.get_ident(), start + seconds + (ESCALATE if main else 0), seconds)
    _WATCHDOG.add(guard)
    try:
        yield
    finally:
        _stand_down(guard, previous if main else None, main)


def _stand_down(guard: _Guard, previous: Any, main: bool) -> None:
    """Disarm everything; a throw that lands meanwhile is absorbed and the disarming
    retried, so nothing escapes the block."""
    while True:
        try:
            if main:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
            _WATCHDOG.remove(guard)
            return
        except DeadlineExceeded:
            continue
