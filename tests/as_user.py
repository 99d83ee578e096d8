"""Run a command as an unprivileged uid that can still reach this interpreter.

Usage (as root): ``unshare --mount --propagation private python as_user.py UID PATH... --
COMMAND...``. In the private mount namespace, every directory on the way to a PATH that
other users may not enter (``/root`` above a pyenv interpreter) is covered by a tmpfs
in which only the PATHs are bound back; then the process becomes UID (no groups, no
capabilities) and runs COMMAND. Nothing changes outside the namespace.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path


def closed_ancestor(path: Path) -> Path | None:
    """The outermost directory above ``path`` that other users cannot enter."""
    for parent in reversed(path.parents):
        if parent != Path("/") and not parent.stat().st_mode & 0o001:
            return parent
    return None


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True)


def expose(paths: list[Path]) -> None:
    """Bind ``paths`` back into tmpfs laid over the closed directories above them."""
    groups: dict[Path, list[Path]] = defaultdict(list)
    for path in paths:
        closed = closed_ancestor(path)
        if closed is not None:
            groups[closed].append(path)
    for closed, inside in groups.items():
        staged = [Path(tempfile.mkdtemp(prefix="evo-as-user-")) for _ in inside]
        for path, stage in zip(inside, staged, strict=True):
            mount("--bind", str(path), str(stage))
        mount("-t", "tmpfs", "-o", "mode=755", "tmpfs", str(closed))
        for path, stage in zip(inside, staged, strict=True):
            path.mkdir(mode=0o755, parents=True, exist_ok=True)
            mount("--bind", str(stage), str(path))
            subprocess.run(["umount", str(stage)], check=True)
            stage.rmdir()


def main() -> None:
    uid = int(sys.argv[1])
    split = sys.argv.index("--")
    expose([Path(os.path.realpath(p)) for p in sys.argv[2:split]])
    command = sys.argv[split + 1 :]
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
