"""Helpers of the hostile-program tests (tests/evo/sandbox): programs, limits, and what
counts as left behind (a process, a sandbox directory)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import psutil
import pytest

from evo.sandbox import Limits
from evo.sandbox.isolation import SANDBOX_IDS
from evo.sandbox.runner import detect

ISOLATION = detect()
ISOLATED = ISOLATION.active
ROOT = os.geteuid() == 0
FAST = Limits(wall_time=3.0, memory=512 << 20, output=64 << 10, processes=16, scratch=8 << 20)
HEADER = (
    "import os, sys, time, socket, signal, math, json, ctypes, subprocess, threading\n\n"
    "def run(*args):\n"
)
PR_SET_CHILD_SUBREAPER = 36

needs_isolation = pytest.mark.skipif(
    not ISOLATED, reason=f"bubblewrap cannot run here ({ISOLATION.reason})"
)


def program(tmp_path: Path, body: str, name: str = "hostile.py") -> Path:
    """A file whose ``run(*args)`` has ``body`` (indented for it)."""
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"    {line}\n" for line in body.splitlines()))
    return path


def reap_zombies() -> None:
    """Collect orphans that were handed to us and have ended."""
    for child in psutil.Process().children():
        try:
            if child.status() == psutil.STATUS_ZOMBIE:
                os.waitpid(child.pid, os.WNOHANG)
        except (psutil.Error, ChildProcessError):
            continue


def leftovers(before: set[str]) -> list[str]:
    """What runs or exists now that should not: our live descendants (resource trackers
    live as long as we do), processes of a sandbox's own user, new sandbox directories."""
    reap_zombies()
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() == psutil.STATUS_ZOMBIE:
                continue
            line = " ".join(child.cmdline())
        except psutil.Error:
            continue
        if "resource_tracker" not in line:
            found.append(f"process {child.pid}: {line[:120]}")
    for proc in psutil.process_iter(["uids", "cmdline"]):
        if proc.info["uids"] and proc.info["uids"].real in SANDBOX_IDS:
            found.append(f"process of a sandbox's user {proc.pid}: {proc.info['cmdline']}")
    found += [path for path in traces() if path not in before]
    return found


def traces() -> set[str]:
    """Sandbox and program directories that exist now."""
    root = Path(tempfile.gettempdir())
    return {str(p) for pattern in ("evo-sandbox-*", "evo-program-*") for p in root.glob(pattern)}


def leaked(outcome, marker: str) -> bool:
    """Whether ``marker`` appears anywhere in what a call returned."""
    text = repr(outcome.value) + outcome.reason + outcome.stdout + outcome.stderr
    return marker in text + repr(outcome.artifacts)
