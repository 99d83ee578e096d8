"""Runs inside the sandbox (stdlib only, started with ``python -I -S``: no environment
settings, no site start-up; the request lists the package directories to import from).

Usage: ``launcher.py REQUEST.json``. The request names a program file, a function in it
and JSON arguments; the function's return value is written as JSON to the request's
result file. Exceptions are reported the same way, with their traceback.
"""

import importlib.util
import json
import sys
import traceback


def main() -> None:
    with open(sys.argv[1]) as handle:
        request = json.load(handle)
    sys.path[1:1] = request.get("paths", [])  # installed packages, without site's start-up
    try:
        spec = importlib.util.spec_from_file_location("candidate", request["program"])
        module = importlib.util.module_from_spec(spec)
        sys.modules["candidate"] = module
        spec.loader.exec_module(module)
        value = getattr(module, request["function"])(*request.get("args", []))
        outcome = {"ok": True, "value": value}
    except BaseException as exc:  # the program's failure is the result
        outcome = {
            "ok": False,
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(limit=8),
        }
    try:
        text = json.dumps(outcome, allow_nan=True, default=repr)
    except (TypeError, ValueError) as exc:
        text = json.dumps({"ok": False, "error": f"result is not JSON: {exc}"})
    with open(request["result"], "w") as handle:
        handle.write(text)


main()
