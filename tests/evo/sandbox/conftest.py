"""Hostile programs: after every test, nothing is left behind (no process, no sandbox
directory); orphans a program detaches come back to this process to be seen."""

from __future__ import annotations

import ctypes
import secrets
import time
from pathlib import Path

import pytest
from hostile_support import PR_SET_CHILD_SUBREAPER, leftovers, reap_zombies, traces


@pytest.fixture(scope="module", autouse=True)
def orphans_come_back_here():
    """Make this process the subreaper of everything it starts while this module runs,
    so that a process a program detaches (double fork, new session) shows up as ours."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1)
    yield
    libc.prctl(PR_SET_CHILD_SUBREAPER, 0)
    reap_zombies()


@pytest.fixture(autouse=True)
def nothing_left_behind():
    before = traces()
    yield
    deadline = time.monotonic() + 3
    while leftovers(before) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not leftovers(before)


@pytest.fixture
def secret(tmp_path):
    """A 0600 file in $HOME holding a marker: ``(path, marker)``."""
    marker = f"evo-secret-{secrets.token_hex(8)}"
    home = Path.home()
    path = home / f".evo-test-secret-{secrets.token_hex(4)}"
    path.write_text(marker)
    path.chmod(0o600)
    yield path, marker
    path.unlink(missing_ok=True)
