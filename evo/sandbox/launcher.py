"""Runs inside the sandbox (stdlib only, started with ``python -I -S``: no environment
settings, no site start-up; the request lists the package directories to import from).

Usage: ``launcher.py REQUEST.json``. The request names a program file, a function in it
and JSON arguments, the descriptor to report on, and (when the sandbox starts it as
root) the unprivileged user to become before anything of the program runs. The
function's return value, or its exception with the traceback, is written to the
descriptor as one frame (``LENGTH\\n`` then that many bytes of JSON); the launcher then
waits to be killed, so nothing the program left running (a thread, a child) can hold
the result back or change it.
"""

import json
import os
import sys
import time
import types


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
        module = types.ModuleType("candidate")
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
        return json.dumps(outcome, allow_nan=True, default=repr).encode()
    except Exception as exc:  # a value JSON cannot take, or too large to encode
        error = f"result is not JSON: {type(exc).__name__}: {exc}"
        return json.dumps({"ok": False, "error": error}).encode()


def main():
    with open(sys.argv[1]) as handle:
        request = json.load(handle)
    report = request["fd"]
    os.set_inheritable(report, False)  # the program's children do not get it
    become(request["user"])
    sys.path[1:1] = request["paths"]  # installed packages, without site's start-up
    payload = encode(run(request))
    frame = b"%d\n" % len(payload) + payload
    while frame:
        frame = frame[os.write(report, frame) :]
    while True:
        time.sleep(3600)


main()
