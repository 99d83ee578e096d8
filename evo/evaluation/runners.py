"""Runners execute tasks (evaluations, matches) and yield each result as it completes.

Every runner yields each task index exactly once: the task's own result, or a
``TaskFailure`` when the task could not produce one (killed on a hard deadline,
its worker died, it could not be sent). The parallelism is injected, as in pymoo:
the engine only sees ``Runner.map``.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Any, Literal

from evo.evaluation.lifetime import die_with_parent
from evo.sandbox import sweep

FailureKind = Literal["timeout", "error"]


@dataclass(frozen=True)
class TaskFailure:
    """A task that produced no result, why, and how long it had run (seconds)."""

    kind: FailureKind
    reason: str
    elapsed: float = 0.0


Task = tuple[Callable[..., Any], tuple[Any, ...]]


class Runner:
    """Base class: run ``fn(*args)`` tasks; ``timeout`` is the per-task limit in seconds."""

    def map(self, tasks: Sequence[Task], timeout: float) -> Iterator[tuple[int, Any]]:
        """Yield ``(index, result or TaskFailure)`` for every task, in completion order."""
        raise NotImplementedError

    def close(self) -> None:
        """Release workers."""


class SequentialRunner(Runner):
    """Runs tasks one after another in this process (deterministic, no start-up cost).

    Its deadline is the task's own (``evo.evaluation.deadline``): an alarm, then an
    exception thrown into the task until it stops. A task blocked for good inside C code
    cannot be stopped in-process; a warning then says so (loky kills such a worker).
    """

    def map(self, tasks: Sequence[Task], timeout: float) -> Iterator[tuple[int, Any]]:
        for index, (fn, args) in enumerate(tasks):
            yield index, fn(*args)


def age(since: float) -> float:
    """Seconds since the monotonic time ``since``."""
    return time.monotonic() - since


def grace(timeout: float) -> float:
    """Extra time before a parent kills a task the in-worker deadline did not stop."""
    return max(2.0, 0.25 * timeout)


class LokyRunner(Runner):
    """Local process pool (joblib's loky executor) with hard per-task deadlines.

    At most ``workers`` tasks are in flight, so a task's clock starts when it is sent.
    A task still running ``timeout + grace`` seconds after it was sent (stuck where the
    in-worker alarm cannot reach it) is recorded as a timeout and the pool's workers are
    killed and replaced; the other tasks in flight are sent again. When a worker dies,
    the tasks it may have been running are retried one at a time, so only the task that
    kills its worker again is recorded as an error.
    """

    def __init__(self, workers: int = 2) -> None:
        self.workers = workers
        self._executor: Any = None

    def _pool(self) -> Any:
        if self._executor is None:
            from joblib.externals.loky import get_reusable_executor

            self._executor = get_reusable_executor(
                max_workers=self.workers,
                timeout=600,
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            )
        return self._executor

    def _submit(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Future:
        from joblib.externals.loky.process_executor import BrokenProcessPool

        try:
            return self._pool().submit(fn, *args)
        except BrokenProcessPool:  # a worker died since the last look: start a fresh pool
            self._executor = None
            return self._pool().submit(fn, *args)

    def _kill(self) -> None:
        """Kill the workers, then remove the sandboxes they were running."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, kill_workers=True)
            self._executor = None
            sweep()

    def map(self, tasks: Sequence[Task], timeout: float) -> Iterator[tuple[int, Any]]:
        from joblib.externals.loky.process_executor import BrokenProcessPool

        queue: deque[tuple[int, bool]] = deque((i, False) for i in range(len(tasks)))
        inflight: dict[Future, tuple[int, float, bool]] = {}
        hard_limit = timeout + grace(timeout)
        while queue or inflight:
            isolating = any(isolated for _, _, isolated in inflight.values())
            while queue and not isolating and len(inflight) < self.workers:
                index, isolated = queue[0]
                if isolated and inflight:
                    break
                queue.popleft()
                fn, args = tasks[index]
                future = self._submit(fn, args)
                inflight[future] = (index, time.monotonic(), isolated)
                isolating = isolated
            done, _ = wait(list(inflight), timeout=0.1, return_when=FIRST_COMPLETED)
            broken: list[tuple[int, bool]] = []
            for future in done:
                index, sent, isolated = inflight.pop(future)
                try:
                    yield index, future.result()
                except BrokenProcessPool as exc:
                    if isolated:
                        failure = TaskFailure("error", f"worker process died: {exc}", age(sent))
                        yield index, failure
                    else:
                        broken.append((index, True))
                except Exception as exc:
                    reason = f"task failed: {type(exc).__name__}: {exc}"
                    yield index, TaskFailure("error", reason, age(sent))
            if broken:
                self._executor = None  # the broken pool cannot be reused
                queue.extendleft(sorted(broken, reverse=True))
            now = time.monotonic()
            overdue = [f for f, (_, sent, _) in inflight.items() if now - sent > hard_limit]
            if overdue:
                for future in overdue:
                    index, sent, _ = inflight.pop(future)
                    reason = f"killed after {hard_limit:g} s"
                    yield index, TaskFailure("timeout", reason, age(sent))
                requeue = [(index, isolated) for index, _, isolated in inflight.values()]
                inflight.clear()
                self._kill()
                queue.extendleft(sorted(requeue, reverse=True))

    def close(self) -> None:
        self._kill()


def _indexed(index: int, fn: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Any:
    """Run ``fn`` in a helper thread so a hung task cannot hold the result back."""
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(fn(*args)), daemon=True)
    limit = timeout + grace(timeout)
    started = time.monotonic()
    thread.start()
    thread.join(limit)
    if thread.is_alive() or not box:
        return index, TaskFailure("timeout", f"no result after {limit:g} s", age(started))
    return index, box[0]


class DaskRunner(Runner):
    """Runs tasks on a dask.distributed cluster through joblib's dask backend.

    Workers run tasks in threads, which no alarm reaches: the deadline's watchdog throws
    into them instead, and a task that still overruns is reported as a timeout and its
    thread abandoned.
    """

    def __init__(self, address: str, connect_timeout: float = 30.0) -> None:
        self.address = address
        self.connect_timeout = connect_timeout
        self._client: Any = None

    def _connect(self) -> Any:
        if self._client is None:
            try:
                from distributed import Client
            except ImportError as exc:
                from evo.errors import ConfigError

                raise ConfigError(
                    "evaluation.backend: dask needs the 'distributed' extra "
                    "(pip install 'evo[distributed]')"
                ) from exc
            try:
                self._client = Client(self.address, timeout=self.connect_timeout)
            except OSError as exc:
                from evo.errors import ConfigError

                raise ConfigError(
                    f"evaluation.scheduler_address: cannot reach {self.address}: {exc}"
                ) from None
        return self._client

    def map(self, tasks: Sequence[Task], timeout: float) -> Iterator[tuple[int, Any]]:
        from joblib import Parallel, delayed, parallel_config

        self._connect()
        with parallel_config(backend="dask"):
            results = Parallel(return_as="generator_unordered")(
                delayed(_indexed)(i, fn, args, timeout) for i, (fn, args) in enumerate(tasks)
            )
            yield from results

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def make_runner(backend: str, workers: int = 2, scheduler_address: str | None = None) -> Runner:
    """The runner for an ``evaluation.backend`` setting."""
    if backend == "sequential":
        return SequentialRunner()
    if backend == "loky":
        return LokyRunner(workers)
    if backend == "dask":
        return DaskRunner(scheduler_address or "")
    raise ValueError(f"unknown evaluation backend {backend!r}")
