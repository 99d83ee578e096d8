"""Shared fixtures: configs built from dicts, run directories, the `evo` command."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from support import EVO, REPO


def run_evo(*args: str, cwd: Path | None = None, timeout: float = 300, **kw: Any):
    """Run the `evo` console script in a subprocess and capture its output."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="200")
    return subprocess.run(
        [*EVO, *args],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


@pytest.fixture
def evo_cli():
    return run_evo
