"""Hostile programs against time, processes, memory, output, scratch space and the
result channel: each is contained, recorded with the right status, and leaves nothing
behind (checked after every test by conftest). Real processes, real limits."""

import shutil
import time
from dataclasses import replace

import psutil
import pytest
from hostile_support import FAST, ISOLATED, ROOT, needs_isolation, program

from evo.sandbox import call
from evo.sandbox.isolation import WORK
from evo.sandbox.result import MAX_DEPTH

SHORT = replace(FAST, wall_time=1.0)
"""For programs meant to run out of time."""


def test_a_trivial_program_runs_in_its_private_directory(tmp_path):
    outcome = call(program(tmp_path, "return {'answer': 42, 'cwd': os.getcwd()}"), "run")
    assert outcome.status == "ok" and outcome.value["answer"] == 42
    assert outcome.isolated == ISOLATED
    if ISOLATED:
        assert outcome.value["cwd"] == WORK


def test_a_checkout_under_tmp_still_works(tmp_path, monkeypatch):
    """The host's /tmp is hidden from the program; evo's own files there are not."""
    from evo.sandbox import command

    copy = tmp_path / "checkout" / "launcher.py"
    copy.parent.mkdir()
    shutil.copyfile(command.LAUNCHER, copy)
    monkeypatch.setattr(command, "LAUNCHER", copy)
    outcome = call(program(tmp_path, "return {'answer': 42}"), "run")
    assert outcome.status == "ok" and outcome.value == {"answer": 42}, outcome.reason


def test_infinite_loop_times_out(tmp_path):
    outcome = call(program(tmp_path, "while True:\n    pass"), "run", limits=SHORT)
    assert outcome.status == "timeout" and "killed after 1" in outcome.reason
    assert outcome.wall_time >= 1


def test_sleeping_past_the_limit_times_out(tmp_path):
    start = time.monotonic()
    outcome = call(program(tmp_path, "time.sleep(60)"), "run", limits=SHORT)
    assert outcome.status == "timeout" and time.monotonic() - start < 4


def test_stopping_itself_times_out(tmp_path):
    outcome = call(program(tmp_path, "os.kill(os.getpid(), signal.SIGSTOP)"), "run", limits=SHORT)
    assert outcome.status == "timeout"


def test_cpu_time_limit_kills_a_spinning_program(tmp_path):
    limits = replace(FAST, wall_time=10.0, cpu_time=1.0)
    outcome = call(program(tmp_path, "while True:\n    pass"), "run", limits=limits)
    assert outcome.status == "error" and "SIGXCPU" in outcome.reason, outcome.reason


def test_fork_bomb_is_capped_and_killed(tmp_path):
    body = "while True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    outcome = call(program(tmp_path, body), "run", limits=SHORT)
    assert outcome.status == "timeout"


def test_a_detached_daemon_does_not_outlive_the_call(tmp_path):
    body = (
        "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
        "        time.sleep(30)\n    os._exit(0)\nreturn 'left a daemon'"
    )
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok"  # and conftest finds no process left


def test_a_non_daemon_thread_does_not_hold_the_result_back(tmp_path):
    body = "threading.Thread(target=time.sleep, args=(30,)).start()\nreturn 'done'"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok" and outcome.value == "done" and outcome.wall_time < 2


def test_memory_bomb_fails_with_memory_error(tmp_path):
    body = "hoard = []\nwhile True:\n    hoard.append(bytearray(50_000_000))"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "error" and "MemoryError" in outcome.reason


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_a_gigabyte_of_output_is_cut_off(tmp_path, stream):
    body = f"chunk = 'x' * 1_000_000\nfor _ in range(1000):\n    sys.{stream}.write(chunk)"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "error" and "output exceeded" in outcome.reason
    assert len(getattr(outcome, stream)) <= FAST.output


def test_too_many_open_files_are_refused(tmp_path):
    body = (
        "held = []\ntry:\n    while True:\n        held.append(open(__file__))\n"
        "except OSError as exc:\n    return [len(held), exc.errno]"
    )
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok" and outcome.value[0] < FAST.open_files


def test_crashes_are_errors(tmp_path):
    outcome = call(program(tmp_path, "os.kill(os.getpid(), signal.SIGSEGV)"), "run", limits=FAST)
    assert outcome.status == "error" and "SIGSEGV" in outcome.reason


def test_exceptions_are_errors_with_their_traceback(tmp_path):
    outcome = call(program(tmp_path, "raise ValueError('boom')"), "run")
    assert outcome.status == "error" and "ValueError: boom" in outcome.reason
    assert "Traceback" in outcome.artifacts["traceback"]


@pytest.mark.parametrize(
    "body, reason",
    [("os._exit(0)", "without a result"), ("sys.exit(3)", "SystemExit: 3")],
)
def test_leaving_early_is_an_error(tmp_path, body, reason):
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "error" and reason in outcome.reason


# Scratch space: sized, private, and filling it is never ok.

FILL = (
    "def fill(path, size=1 << 20, count=64):\n"
    "    try:\n        for k in range(count):\n"
    "            with open(f'{path}-{k}', 'wb') as f:\n                f.write(b'x' * size)\n"
    "    except OSError as exc:\n        return exc.errno\n"
)


@needs_isolation
@pytest.mark.parametrize("where", ["/dev/shm/f", "/tmp/f", "f"])
def test_filling_scratch_space_is_an_error_even_when_swallowed(tmp_path, where):
    """64 files of 1 MiB (each far under the file-size limit) into 8 MiB of scratch:
    the program catches ENOSPC and returns normally; the call is still an error."""
    body = FILL + f"return fill({where!r})"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "error" and "filled its scratch space" in outcome.reason


@needs_isolation
def test_a_flood_of_empty_files_is_stopped(tmp_path):
    """Empty files cost no blocks but kernel memory each: the file count is capped too
    (one per 4 KiB page; as root, where the launcher may remount scratch)."""
    if not ROOT:
        pytest.skip("in a user namespace the scratch mounts cannot be remounted: time bounds it")
    body = "n = 0\nwhile True:\n    open(f'/tmp/{n}', 'w').close()\n    n += 1"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "error" and "filled its scratch space" in outcome.reason


@needs_isolation
def test_scratch_space_is_not_shared_between_calls(tmp_path):
    body = (
        "seen = os.listdir('/tmp') + os.listdir('/dev/shm') + os.listdir('.')\n"
        "for path in ('/tmp/mark', '/dev/shm/mark', 'mark'):\n"
        "    open(path, 'w').write('x')\nreturn seen"
    )
    first = call(program(tmp_path, body), "run", limits=FAST)
    second = call(program(tmp_path, body), "run", limits=FAST)
    assert first.status == second.status == "ok" and "mark" not in second.value


def test_scratch_is_within_the_limits(tmp_path):
    body = "s = os.statvfs('/tmp')\nreturn s.f_blocks * s.f_frsize"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok"
    if ISOLATED:
        assert outcome.value <= FAST.scratch


# The result channel, read as untrusted input.

REPORT = "import marshal\nreport = marshal.loads(open(sys.argv[1], 'rb').read())['fd']\n"
"""The descriptor the launcher reports on (the program can find it; it is no secret)."""


def test_a_stream_of_zeros_on_the_report_channel_is_cut_off(tmp_path):
    body = (
        REPORT
        + "zeros = open('/dev/zero', 'rb').read(65536)\nwhile True:\n    os.write(report, zeros)"
    )
    before = psutil.Process().memory_info().rss
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "error" and "no length header" in outcome.reason
    assert psutil.Process().memory_info().rss - before < 64 << 20


def test_a_huge_length_header_is_refused(tmp_path):
    body = REPORT + "os.write(report, b'99999999999999\\n')\ntime.sleep(30)"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "error" and "exceeds" in outcome.reason


def test_a_report_channel_pointed_elsewhere_times_out(tmp_path):
    body = REPORT + "os.dup2(os.open('/dev/null', os.O_WRONLY), report)\nreturn 1"
    outcome = call(program(tmp_path, body), "run", limits=SHORT)
    assert outcome.status == "timeout"


def test_result_files_on_disk_are_never_read(tmp_path):
    """The attacks on a result file (a symlink to /dev/zero, a FIFO) have no target."""
    body = (
        "os.symlink('/dev/zero', 'result.json')\nos.mkfifo('result.fifo')\n"
        "os.symlink('/dev/zero', '/tmp/result.json')\nreturn 'ok'"
    )
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok" and outcome.value == "ok"


@pytest.mark.parametrize(
    "frame, reason",
    [
        (b"9\n{not json", "unreadable result"),
        (b"4\n\xff\xfe\xfd\xfc", "unreadable result"),
        (b"2\n[]", "garbled result"),
        (b"no header at all, just bytes", "no length header"),
    ],
)
def test_forged_reports_are_errors(tmp_path, frame, reason):
    body = REPORT + f"os.write(report, {frame!r})\ntime.sleep(30)"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "error" and reason in outcome.reason, outcome.reason


def test_deeply_nested_results_are_errors(tmp_path):
    returned = call(
        program(tmp_path, "v = []\nfor _ in range(100_000):\n    v = [v]\nreturn v"),
        "run",
        limits=FAST,
    )
    assert returned.status == "error" and "not JSON" in returned.reason
    text = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    payload = '{"ok": true, "value": ' + text + "}"
    forged = REPORT + f"os.write(report, b'%d\\n' % {len(payload)} + {payload.encode()!r})"
    outcome = call(program(tmp_path, forged + "\ntime.sleep(30)"), "run", limits=FAST)
    assert outcome.status == "error" and "nested deeper" in outcome.reason


def test_huge_numbers_arrive_as_numbers(tmp_path):
    """10**400 stays exact; an integer too long to convert becomes infinite."""
    outcome = call(program(tmp_path, "return 10**400"), "run", limits=FAST)
    assert outcome.status == "ok" and outcome.value == 10**400
    payload = '{"ok": true, "value": ' + "9" * 6000 + "}"
    forged = REPORT + f"os.write(report, b'%d\\n' % {len(payload)} + {payload.encode()!r})"
    outcome = call(program(tmp_path, forged + "\ntime.sleep(30)"), "run", limits=FAST)
    assert outcome.status == "ok" and outcome.value == float("inf")


def test_an_abandoned_call_kills_its_sandbox(tmp_path):
    """A deadline raised into the caller (evaluation.timeout shorter than the sandbox's
    own limit) still kills everything and removes its directory (checked by conftest)."""
    from evo.evaluation.deadline import DeadlineExceeded, deadline

    started = time.monotonic()
    with pytest.raises(DeadlineExceeded), deadline(1.0):
        call(program(tmp_path, "time.sleep(60)"), "run", limits=replace(FAST, wall_time=30))
    assert time.monotonic() - started < 5
