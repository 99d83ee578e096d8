"""Hostile programs against the host: its files, sockets, processes, kernel settings and
privileges. Each is contained, leaks no marker or secret, and leaves nothing behind
(checked after every test by conftest)."""

import os
import socket
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from hostile_support import FAST, ROOT, leaked, needs_isolation, program

from evo.sandbox import call

from support import REPO

TRY = (
    "def attempt(action):\n"
    "    try:\n        return ['done', action()]\n"
    "    except BaseException as exc:\n        return [type(exc).__name__, str(exc)[:200]]\n"
)
"""A helper the programs below use: ``attempt(f)`` is ``['done', f()]`` or the error."""


def refused(result) -> bool:
    return result[0] != "done"


def test_secrets_in_the_environment_never_reach_the_child(tmp_path, monkeypatch):
    for name in ("OPENAI_API_KEY", "GITHUB_TOKEN", "MY_SECRET", "DB_PASSWORD", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "sk-leak-0123456789abcdef0123456789")
    outcome = call(program(tmp_path, "return dict(os.environ)"), "run")
    assert outcome.status == "ok" and not leaked(outcome, "sk-leak")
    names = ("KEY", "TOKEN", "SECRET", "PASSWORD")
    assert not [k for k in outcome.value if any(s in k for s in names)]


@needs_isolation
def test_it_runs_unprivileged_even_when_evo_is_root(tmp_path):
    body = TRY + (
        "caps = [l for l in open('/proc/self/status') if l.startswith('CapEff')][0]\n"
        "return [os.getuid(), os.geteuid(), os.getgid(), caps.split()[1],\n"
        "        attempt(lambda: os.setuid(0)), attempt(lambda: os.setgid(0))]"
    )
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    uid, euid, gid, caps, setuid, setgid = outcome.value
    assert outcome.status == "ok" and 0 not in (uid, euid, gid)
    assert int(caps, 16) == 0 and refused(setuid) and refused(setgid)


@needs_isolation
def test_host_kernel_settings_are_read_only(tmp_path):
    settings = [
        "/proc/sys/kernel/core_pattern",
        "/proc/sys/kernel/domainname",
        "/proc/sys/vm/drop_caches",
    ]
    before = {path: Path(path).read_text() for path in settings[:2]}
    body = TRY + (
        f"results = [attempt(lambda p=p: open(p, 'w').write('evo-owned')) for p in {settings!r}]\n"
        "results.append(attempt(lambda: socket.sethostname('evo-owned')))\n"
        "results.append(attempt(lambda: open('/proc/sysrq-trigger', 'w').write('h')))\n"
        "return results"
    )
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok" and all(refused(r) for r in outcome.value), outcome.value
    assert {path: Path(path).read_text() for path in before} == before
    assert socket.gethostname() != "evo-owned"


@needs_isolation
def test_a_secret_in_home_cannot_be_read(tmp_path, secret):
    path, marker = secret
    body = TRY + (
        f"return [attempt(lambda: open({str(path)!r}).read()),\n"
        f"        attempt(lambda: os.listdir({str(path.parent)!r})),\n"
        "        attempt(lambda: os.listdir('/root')), attempt(lambda: open('/etc/shadow').read()),\n"
        "        attempt(lambda: open('/etc/passwd').read())]"
    )
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    read, home, root, *others = outcome.value
    assert outcome.status == "ok" and not leaked(outcome, marker) and refused(read)
    for listed in (home, root):  # at most the way to the interpreter (pyenv under /root)
        assert refused(listed) or path.name not in listed[1]
    assert all(refused(r) for r in others), outcome.value


@needs_isolation
def test_an_error_text_cannot_carry_a_secret_out(tmp_path, secret):
    """Error text is stored as feedback and quoted in prompts: it must hold nothing read."""
    path, marker = secret
    body = f"raise RuntimeError(open({str(path)!r}).read())"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "error" and not leaked(outcome, marker)


@needs_isolation
def test_another_runs_store_and_evo_itself_are_invisible(tmp_path):
    other = tmp_path / "results" / "other-run"
    other.mkdir(parents=True)
    (other / "run.sqlite").write_text("evo-run-marker")
    body = TRY + (
        f"return [attempt(lambda: open({str(other / 'run.sqlite')!r}).read()),\n"
        f"        attempt(lambda: os.listdir({str(REPO)!r})),\n"
        f"        attempt(lambda: os.listdir({str(REPO / 'results')!r}))]"
    )
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok" and not leaked(outcome, "evo-run-marker")
    assert all(refused(r) for r in outcome.value), outcome.value


@needs_isolation
def test_only_the_interpreter_and_its_own_files_are_visible(tmp_path):
    body = "return sorted(os.listdir('/')), sorted(os.listdir('.')), os.path.exists('/sys/class')"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    top, own, sys_visible = outcome.value
    assert outcome.status == "ok" and own == ["program.py"] and not sys_visible
    assert not {"home", "run", "var", "sys", "mnt", "srv", "work", "boot"} & set(top), top


@needs_isolation
def test_writing_outside_its_directory_fails_or_stays_private(tmp_path):
    marker = f"/tmp/evo-escape-{os.getpid()}"
    targets = ["/etc/evo-escape", f"{tmp_path}/escape", marker, "/evo-escape", "/usr/evo-escape"]
    body = TRY + f"return [attempt(lambda t=t: open(t, 'w').write('x')) for t in {targets!r}]"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok"
    assert not os.path.exists("/etc/evo-escape") and not (tmp_path / "escape").exists()
    assert not os.path.exists(marker) and not os.path.exists("/evo-escape")
    assert [refused(r) for r in outcome.value] == [True, True, False, True, True]


@needs_isolation
def test_it_cannot_rewrite_its_own_program_or_the_launcher(tmp_path):
    body = TRY + (
        "return [attempt(lambda: open(__file__, 'a').write('x')),\n"
        "        attempt(lambda: open('/evo/launcher.py', 'a').write('x')),\n"
        "        attempt(lambda: os.unlink(__file__))]"
    )
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok" and all(refused(r) for r in outcome.value), outcome.value


@needs_isolation
def test_network_connections_are_refused(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(3)
    port = server.getsockname()[1]
    accepted = []
    threading.Thread(target=lambda: accepted.append(_accept(server)), daemon=True).start()
    body = TRY + (
        f"return [attempt(lambda: socket.create_connection(('127.0.0.1', {port}), timeout=2)),\n"
        "        attempt(lambda: socket.getaddrinfo('example.com', 80))]"
    )
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok" and all(refused(r) for r in outcome.value), outcome.value
    time.sleep(0.3)
    assert accepted in ([], [None])
    server.close()


def _accept(server):
    try:
        return server.accept()
    except OSError:
        return None


@needs_isolation
@pytest.mark.parametrize("abstract", [False, True], ids=["in-home", "abstract"])
def test_host_unix_sockets_are_unreachable(tmp_path, abstract):
    """A listener on a socket under $HOME (or in the abstract namespace) hears nothing."""
    path = Path.home() / f".evo-test-{os.getpid()}.sock"
    name = f"\0evo-test-{os.getpid()}" if abstract else str(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(name)
    server.settimeout(0.5)
    body = TRY + (
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
        f"return attempt(lambda: s.sendto(b'evo-escaped', {name!r}))"
    )
    try:
        outcome = call(program(tmp_path, body), "run", limits=FAST)
        assert outcome.status == "ok" and refused(outcome.value), outcome.value
        with pytest.raises(TimeoutError):
            server.recv(100)
    finally:
        server.close()
        path.unlink(missing_ok=True)


@needs_isolation
def test_host_processes_are_invisible_and_unreachable(tmp_path):
    body = TRY + (
        "pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n"
        "return [pids, attempt(lambda: os.kill(os.getppid(), signal.SIGTERM)),\n"
        "        attempt(lambda: os.kill(int(args[0]), signal.SIGTERM)),\n"
        "        attempt(lambda: open('/proc/1/environ').read())]"
    )
    outcome = call(program(tmp_path, body), "run", [os.getpid()], limits=FAST)
    pids, parent, evaluator, environ = outcome.value
    assert psutil.pid_exists(os.getpid()) and outcome.status == "ok"
    assert len(pids) <= 3 and refused(evaluator)
    # pid 1 is the sandbox's own init: deaf to it, and holding only the sandbox's environment
    assert refused(parent) or not ROOT
    assert refused(environ) or "HOME=/tmp/work" in environ[1]


@needs_isolation
def test_the_cgroup_reveals_nothing_of_the_host(tmp_path):
    body = "return open('/proc/self/cgroup').read() + open('/proc/self/mountinfo').read()"
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok" and "evo-sandbox" not in outcome.value
    assert f"-{os.getpid()}" not in outcome.value


@needs_isolation
def test_new_namespaces_and_mounts_are_refused(tmp_path):
    body = TRY + (
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "def call_libc(name, *a):\n"
        "    if getattr(libc, name)(*a) != 0:\n        raise OSError(ctypes.get_errno(), name)\n"
        "flags = [0x10000000, 0x00020000, 0x40000000, 0x20000000]\n"
        "results = [attempt(lambda f=f: call_libc('unshare', f)) for f in flags]\n"
        "results.append(attempt(lambda: call_libc('mount', b'none', b'/tmp', b'tmpfs', 0, None)))\n"
        "results.append(attempt(lambda: subprocess.run(['unshare', '-r', 'true'], check=True,\n"
        "                                              capture_output=True)))\n"
        "return results"
    )
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok" and all(refused(r) for r in outcome.value), outcome.value


@needs_isolation
def test_kernel_surfaces_are_refused(tmp_path):
    """io_uring, keyrings, bpf, perf events and userfaultfd (x86-64 numbers)."""
    if os.uname().machine != "x86_64":
        pytest.skip("the system call numbers below are x86-64's")
    body = TRY + (
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "def syscall(n, *a):\n"
        "    if libc.syscall(n, *a) < 0:\n        raise OSError(ctypes.get_errno(), str(n))\n"
        "buf = ctypes.create_string_buffer(256)\n"
        "return [attempt(lambda: syscall(425, 8, buf)), attempt(lambda: syscall(250, 0, -3, 0)),\n"
        "        attempt(lambda: syscall(321, 0, buf, 0)), attempt(lambda: syscall(298, buf, 0, -1, -1, 0)),\n"
        "        attempt(lambda: syscall(323, 0))]"
    )
    outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok" and all(refused(r) for r in outcome.value), outcome.value


def test_without_bubblewrap_the_warning_names_what_is_missing(tmp_path, monkeypatch, secret):
    """Where bubblewrap cannot run: limits, a deadline and (for root) a uid of its own."""
    from evo.sandbox import runner
    from evo.sandbox.isolation import PROTECTIONS, Isolation

    weak = Isolation(None, not ROOT, None, "bubblewrap is not installed")
    assert weak.missing() == list(PROTECTIONS.values())
    monkeypatch.setattr(runner, "detect", lambda: weak)
    path, marker = secret
    body = TRY + f"return [os.getuid(), attempt(lambda: open({str(path)!r}).read())]"
    with pytest.warns(UserWarning, match="missing: no network") as caught:
        outcome = call(program(tmp_path, body), "run", limits=FAST)
    message = str(caught[0].message)
    assert "sized private /tmp" in message and "reads whatever its user may read" in message
    if ROOT and not public(sys.executable):  # its own uid cannot run it: refused, not root
        assert outcome.status == "error" and "must be able to read" in outcome.reason
    else:
        assert outcome.status == "ok" and not outcome.isolated
    if ROOT:  # dropped to its own uid: root's 0600 files stay closed
        assert not leaked(outcome, marker)
        assert outcome.status == "error" or (outcome.value[0] != 0 and refused(outcome.value[1]))


@pytest.mark.skipif(not ROOT, reason="only root drops to a uid of the call's own")
def test_without_bubblewrap_root_runs_as_a_uid_of_its_own(tmp_path, monkeypatch, secret):
    """With an interpreter every user may run: not root, root's files closed, and a
    daemon it detaches is found by its owner and killed (conftest checks)."""
    from evo.sandbox import runner
    from evo.sandbox.isolation import SANDBOX_IDS, Isolation

    python = next((p for p in (sys.executable, "/usr/bin/python3") if public(p)), None)
    if python is None:
        pytest.skip("no interpreter here that every user may run")
    monkeypatch.setattr(sys, "executable", python)
    monkeypatch.setattr(runner, "detect", lambda: Isolation(None, False, None, "test"))
    path, marker = secret
    body = TRY + (
        "if os.fork() == 0:\n    os.setsid()\n    time.sleep(30)\n    os._exit(0)\n"
        f"return [os.getuid(), attempt(lambda: open({str(path)!r}).read())]"
    )
    with pytest.warns(UserWarning, match="fresh unprivileged uid"):
        outcome = call(program(tmp_path, body), "run", limits=FAST)
    assert outcome.status == "ok" and outcome.value[0] in SANDBOX_IDS
    assert refused(outcome.value[1]) and not leaked(outcome, marker)


def test_a_bubblewrap_that_fails_is_reported_with_its_reason(monkeypatch):
    from evo.sandbox import isolation, runner

    monkeypatch.setattr(isolation, "bwrap_binary", lambda: "/bin/false")
    runner.detect.cache_clear()
    try:
        found = runner.detect()
    finally:
        runner.detect.cache_clear()
    assert not found.active and "bubblewrap fails here: exited with status 1" in found.reason


def public(path: str) -> bool:
    """Whether every user may reach and run ``path``."""
    real = Path(os.path.realpath(path))
    return all(p.stat().st_mode & 0o001 for p in [real, *real.parents])
