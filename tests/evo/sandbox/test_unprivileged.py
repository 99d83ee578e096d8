"""The hostile suite once more, as an ordinary user: evo not root, bubblewrap in a user
namespace, evo's own user counted by RLIMIT_NPROC. (Run as root, the suite itself covers
the root path.)"""

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hostile_support import ROOT

from evo.sandbox.isolation import python_paths

from support import REPO

SUITE = ["tests/evo/sandbox/test_hostile.py", "tests/evo/sandbox/test_hostile_host.py"]


def free_uid(start: int = 54321) -> int:
    uid = start
    while True:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
        uid += 1


@pytest.fixture
def user_dir():
    """A directory of its own for a free uid, outside root's private pytest directory."""
    path = Path(tempfile.mkdtemp(prefix="evo-unprivileged-"))
    uid = free_uid()
    os.chown(path, uid, uid)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.skipif(not ROOT, reason="evo is not root here: the suite already ran unprivileged")
def test_the_hostile_suite_holds_for_an_unprivileged_user(user_dir):
    missing = [tool for tool in ("unshare", "mount", "umount") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"cannot make an unprivileged user's view without {', '.join(missing)}")
    uid = user_dir.stat().st_uid
    home, base = user_dir / "home", user_dir / "pytest"
    for path in (home, base):
        path.mkdir()
        os.chown(path, uid, uid)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "USER": "evo-test",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    reach = [*python_paths(), str(REPO)]
    command = ["unshare", "--mount", "--propagation", "private", sys.executable]
    command += [str(REPO / "tests" / "as_user.py"), str(uid), *reach, "--"]
    command += [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["--basetemp", str(base), *SUITE]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    report = done.stdout[-4000:] + done.stderr[-2000:]
    assert done.returncode == 0, report
    assert " passed" in done.stdout and "bubblewrap cannot run" not in done.stdout, report
