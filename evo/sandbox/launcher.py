"""Runs inside the sandbox (stdlib only, started with ``python -I -S``: no environment
settings, no site start-up; the request lists the package directories to import from).

Usage: ``launcher.py REQUEST``. The request (a ``marshal``-ed dict written by evo) names
a program file, a function in it and its arguments, the descriptor to report on, and
(when the sandbox starts it as root) the number of files its scratch mounts may hold
and the unprivileged user to become before anything of the program runs. The
function's return value, or its exception with the traceback, is written to the
descriptor as one frame (``LENGTH\\n`` then that many bytes of JSON); the launcher then
waits to be killed, so nothing the program left running (a thread, a child) can hold
the result back or change it. It imports no more than it must (the ``json`` package
alone would cost more than a third of a trivial call): ``_json``'s encoder writes the
report.
"""

import _json
import marshal
import os
import sys
import time

ENCODE = _json.make_encoder(
    None, repr, _json.encode_basestring_ascii, None, ": ", ", ", False, False, True
)
"""What ``json.dumps(value, default=repr)`` uses, without importing ``json`` and ``re``."""


REMOUNT = 32 | 2 | 4 | (1 << 21)
"""MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_RELATIME: bubblewrap's tmpfs flags, kept."""


def cap_files(scratch):
    """Remount /tmp and /dev/shm with at most ``scratch = (bytes, files)`` (bubblewrap
    sets no file count, and each empty file costs the kernel memory; needs
    CAP_SYS_ADMIN, which ``become`` then drops with every other capability)."""
    if scratch is None:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    options = b"size=%d,nr_inodes=%d,mode=1777" % tuple(scratch)
    for path in (b"/tmp", b"/dev/shm"):
        if libc.mount(None, path, None, REMOUNT, options) != 0:
            raise OSError(ctypes.get_errno(), f"cannot cap the files of {path.decode()}")


def become(user):
    """Drop to ``user`` (uid, gid) for good: supplementary groups, gid, then uid."""
    if user is not None and os.getuid() == 0:
        os.setgroups([])
        os.setgid(user[1])
        os.setuid(user[0])


def run(request):
    try:
        path = request["program"]
        with open(path, "rb") as handle:
            code = compile(handle.read(), path, "exec")
        module = type(sys)("candidate")
        module.__file__ = path
        sys.modules["candidate"] = module
        exec(code, module.__dict__)
        return {"ok": True, "value": getattr(module, request["function"])(*request["args"])}
    except BaseException as exc:  # the program's failure is the result
        import traceback

        return {
            "ok": False,
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(limit=8),
        }


def encode(outcome):
    try:
        return "".join(ENCODE(outcome, 0)).encode()
    except Exception as exc:  # a value JSON cannot take, or too large to encode
        error = f"result is not JSON: {type(exc).__name__}: {exc}"
        return "".join(ENCODE({"ok": False, "error": error}, 0)).encode()


def main():
    with open(sys.argv[1], "rb") as handle:
        request = marshal.loads(handle.read())
    report = request["fd"]
    os.set_inheritable(report, False)  # the program's children do not get it
    cap_files(request["scratch"])
    become(request["user"])
    sys.path[1:1] = request["paths"]  # installed packages, without site's start-up
    payload = encode(run(request))
    frame = b"%d\n" % len(payload) + payload
    while frame:
        frame = frame[os.write(report, frame) :]
    while True:
        time.sleep(3600)


main()
