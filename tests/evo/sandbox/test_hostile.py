"""Hostile programs: each is contained, recorded with the right status, and leaves nothing
running. The sandbox is real: child processes, resource limits, bubblewrap namespaces."""

import os
import socket
import threading
import time

import psutil
import pytest

from evo.sandbox import Limits, call
from evo.sandbox.isolation import bwrap_binary, isolation_works

ISOLATED = isolation_works(bwrap_binary())
FAST = Limits(wall_time=3.0, memory=512 << 20, output=64 << 10, processes=16)


def program(tmp_path, body):
    path = tmp_path / "hostile.py"
    path.write_text(
        "import os, sys, time, socket, signal, math\n\ndef run(*args):\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
    )
    return path


def leftovers():
    mine = psutil.Process()
    children = [
        p for p in mine.children(recursive=True) if "resource_tracker" not in " ".join(p.cmdline())
    ]
    stray = [
        p
        for p in psutil.process_iter(["cmdline"])
        if "evo/sandbox/launcher.py" in " ".join(p.info["cmdline"] or [])
    ]
    return children + stray


@pytest.fixture(autouse=True)
def nothing_left_running():
    yield
    deadline = time.monotonic() + 3
    while leftovers() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not leftovers()


def test_a_trivial_program_runs(tmp_path):
    outcome = call(program(tmp_path, "return {'answer': 42, 'cwd': os.getcwd()}"), "run")
    assert outcome.status == "ok" and outcome.value["answer"] == 42
    assert outcome.value["cwd"].startswith("/tmp/evo-sandbox-") and outcome.isolated == ISOLATED


def test_a_launcher_under_tmp_stays_visible(tmp_path, monkeypatch):
    """A checkout (or venv) under /tmp, which the sandbox otherwise sees empty."""
    import shutil

    from evo.sandbox import runner

    copy = tmp_path / "checkout" / "launcher.py"
    copy.parent.mkdir()
    shutil.copyfile(runner.LAUNCHER, copy)
    monkeypatch.setattr(runner, "LAUNCHER", copy)
    outcome = call(program(tmp_path, "return {'answer': 42}"), "run")
    assert outcome.status == "ok" and outcome.value == {"answer": 42}, outcome.reason


def test_infinite_loop_times_out(tmp_path):
    outcome = call(program(tmp_path, "while True:\n    pass"), "run", limits=FAST)
    assert outcome.status == "timeout" and "killed after 3" in outcome.reason


def test_sleeping_past_the_limit_times_out(tmp_path):
    start = time.monotonic()
    outcome = call(program(tmp_path, "time.sleep(60)"), "run", limits=FAST)
    assert outcome.status == "timeout" and time.monotonic() - start < 6


def test_fork_bomb_is_capped_and_killed(tmp_path):
    outcome = call(
        program(
            tmp_path, "while True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
        ),
        "run",
        limits=FAST,
    )
    assert outcome.status == "timeout"


def test_memory_bomb_fails_with_memory_error(tmp_path):
    outcome = call(
        program(tmp_path, "hoard = []\nwhile True:\n    hoard.append(bytearray(50_000_000))"),
        "run",
        limits=FAST,
    )
    assert outcome.status == "error" and "MemoryError" in outcome.reason


def test_a_gigabyte_of_output_is_cut_off(tmp_path):
    outcome = call(
        program(
            tmp_path, "chunk = 'x' * 1_000_000\nfor _ in range(1000):\n    sys.stdout.write(chunk)"
        ),
        "run",
        limits=FAST,
    )
    assert outcome.status == "error" and "output exceeded" in outcome.reason
    assert len(outcome.stdout) <= FAST.output


def test_secrets_never_reach_the_child(tmp_path, monkeypatch):
    for name in ("OPENAI_API_KEY", "GITHUB_TOKEN", "MY_SECRET", "DB_PASSWORD", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "sk-leak-0123456789abcdef0123456789")
    outcome = call(program(tmp_path, "return dict(os.environ)"), "run")
    assert outcome.status == "ok"
    assert not [
        k for k in outcome.value if any(s in k for s in ("KEY", "TOKEN", "SECRET", "PASSWORD"))
    ]
    assert "sk-leak" not in str(outcome.value)


def test_writing_outside_its_directory_fails_or_stays_private(tmp_path):
    marker = f"/tmp/evo-escape-{os.getpid()}"
    body = (
        f"written = []\nfor target in ['/etc/evo-escape', '{tmp_path}/escape', '{marker}', '../escape']:\n"
        "    try:\n        open(target, 'w').write('x')\n        written.append(target)\n"
        "    except OSError as exc:\n        written.append(type(exc).__name__)\n"
        "return written"
    )
    outcome = call(program(tmp_path, body), "run")
    assert outcome.status == "ok"
    assert not os.path.exists("/etc/evo-escape") and not (tmp_path / "escape").exists()
    if ISOLATED:
        assert not os.path.exists(marker)  # /tmp inside is private
        assert all(v.endswith("Error") for v in outcome.value[:2])  # refused, not written
    else:
        pytest.skip("no bubblewrap here: only resource limits apply")


def test_network_connections_are_refused(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(3)
    port = server.getsockname()[1]
    accepted = []
    threading.Thread(target=lambda: accepted.append(_accept(server)), daemon=True).start()
    body = (
        f"try:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2).send(b'hi')\n"
        "    return 'connected'\nexcept OSError as exc:\n    return type(exc).__name__"
    )
    if ISOLATED:
        outcome = call(program(tmp_path, body), "run")
        assert outcome.status == "ok" and outcome.value != "connected"
        time.sleep(0.5)
        assert accepted in ([], [None])
    else:
        with pytest.warns(UserWarning, match="untrusted code runs with resource limits only"):
            call(program(tmp_path, "return 1"), "run")
    server.close()


def _accept(server):
    try:
        return server.accept()
    except OSError:
        return None


def test_signalling_the_parent_does_not_reach_it(tmp_path):
    body = (
        "results = []\nfor pid in (os.getppid(), int(args[0])):\n    try:\n"
        "        os.kill(pid, signal.SIGTERM)\n        results.append('sent')\n"
        "    except OSError as exc:\n        results.append(type(exc).__name__)\nreturn results"
    )
    outcome = call(program(tmp_path, body), "run", [os.getpid()])
    assert psutil.pid_exists(os.getpid())  # we are still here
    if ISOLATED:
        assert outcome.status in ("ok", "error")
        assert outcome.value is None or outcome.value[1] == "ProcessLookupError"


def test_crashes_and_garbage_are_errors(tmp_path):
    crash = call(program(tmp_path, "os.kill(os.getpid(), signal.SIGSEGV)"), "run", limits=FAST)
    assert crash.status == "error" and ("SIGSEGV" in crash.reason or "status" in crash.reason)
    raised = call(program(tmp_path, "raise ValueError('boom')"), "run")
    assert raised.status == "error" and "ValueError: boom" in raised.reason
    assert "Traceback" in raised.artifacts["traceback"]
    forged = call(
        program(
            tmp_path,
            "open(os.path.join(os.getcwd(), 'result.json'), 'w').write('{not json')\nos._exit(0)",
        ),
        "run",
        limits=FAST,
    )
    assert forged.status == "error" and "unreadable result" in forged.reason
