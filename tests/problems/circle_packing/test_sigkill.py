"""`evo run` killed outright (SIGKILL) in the middle of a loky circle-packing run leaves
no process behind: workers, resource trackers and sandboxes all end within seconds, and
the next run's sweep removes the sandbox directories."""

import ctypes
import random
import signal
import subprocess
import time

import psutil
import pytest
from hostile_support import traces

from evo.sandbox import sweep

from support import EVO, REPO

PR_SET_CHILD_SUBREAPER = 36


@pytest.fixture
def subreaper():
    """Orphans of what this test starts come back to this process, to be counted."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1)
    yield
    libc.prctl(PR_SET_CHILD_SUBREAPER, 0)


def alive_descendants(ignore: frozenset[int] = frozenset()) -> list[psutil.Process]:
    """Live processes under this one, but for ``ignore`` (what ran before the test)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        if child.pid in ignore:
            continue
        try:
            if child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
            else:
                child.wait(0)
        except psutil.Error:
            continue
    return found


def sandboxes_running(processes: list[psutil.Process]) -> bool:
    try:
        return any("/evo/launcher.py" in " ".join(p.cmdline()) for p in processes)
    except psutil.Error:
        return False


def test_sigkill_of_evo_run_leaves_no_process_alive(tmp_path, subreaper):
    before = traces()
    ours = frozenset(p.pid for p in alive_descendants())  # e.g. this process's own trackers
    run = subprocess.Popen(
        [*EVO, "run", str(REPO / "experiments" / "circle_packing.yaml"), "-q"]
        + ["--run-dir", str(tmp_path / "run"), "--set", "budget.evaluations=400"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not sandboxes_running(alive_descendants(ours)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert run.poll() is None, "the run ended before any evaluation was in flight"
        moment = random.uniform(0.0, 3.0)
        time.sleep(moment)  # a random moment once evaluations are in flight
        seen = len(alive_descendants(ours))
        run.send_signal(signal.SIGKILL)
        run.wait()
        time.sleep(5)
        left = [f"{p.pid} {' '.join(p.cmdline())[:150]}" for p in alive_descendants(ours)]
    finally:
        for process in alive_descendants(ours):
            process.kill()
    assert seen >= 3, "expected workers and sandboxes under the run"
    assert not left, f"killed {moment:.2f} s into evaluations; still alive: {left}"
    time.sleep(1.1)
    sweep()
    assert traces() <= before
