"""A run store that is damaged, read-only or on a full disk: one line, exit 2, and what
can still be read is read."""

import os
import shlex
import shutil
import subprocess

import pytest

from support import EVO, REPO

EXPERIMENT = """\
name: small
seed: 3
problem: {name: zdt1, params: {n_var: 8}}
population: {size: 20}
evaluation: {backend: sequential, timeout: 5}
budget: {evaluations: 200}
"""
ROOT = os.geteuid() == 0
CAN_MOUNT = ROOT and shutil.which("unshare") and shutil.which("mount")


def one_line(result):
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture
def run_dir(tmp_path, evo_cli):
    (tmp_path / "small.yaml").write_text(EXPERIMENT)
    result = evo_cli("run", "small.yaml", "--run-dir", "run", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "run"


def in_namespace(script, tmp_path):
    """Run a shell ``script`` in a private mount namespace (root only); ``$EVO`` is the
    evo command."""
    wrapper = tmp_path / "evo.sh"
    wrapper.write_text(f'#!/bin/sh\nexec {shlex.join(EVO)} "$@"\n')
    wrapper.chmod(0o755)
    env = dict(os.environ, EVO=str(wrapper), PYTHONPATH=str(REPO))
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_garbage_in_the_middle_of_the_store_is_one_line(run_dir, evo_cli):
    path = run_dir / "run.sqlite"
    with open(path, "r+b") as f:
        f.seek(4096)
        f.write(os.urandom(64 * 1024))
    for command in (["export", str(run_dir)], ["resume", str(run_dir), "-q"]):
        message = one_line(evo_cli(*command))
        assert "the run store failed" in message or "not an evo run database" in message


@pytest.mark.skipif(not CAN_MOUNT, reason="needs root and unshare to mount read-only")
def test_a_read_only_run_exports_elsewhere_and_refuses_to_resume(run_dir, tmp_path):
    out = tmp_path / "out"
    script = (
        "mount --bind run run && mount -o remount,bind,ro run && "
        '$EVO export run --out out; echo "export=$?"; '
        '$EVO export run 2>&1; echo "default=$?"; '
        '$EVO resume run -q 2>&1; echo "resume=$?"'
    )
    done = in_namespace(script, tmp_path)
    text = done.stdout + done.stderr
    assert "export=0" in text and (out / "evaluations.parquet").is_file(), text
    assert "default=2" in text and "cannot write the export there" in text, text
    assert "resume=2" in text and "read-only here" in text, text
    assert "Traceback" not in text


@pytest.mark.skipif(not CAN_MOUNT, reason="needs root and unshare to mount a small tmpfs")
def test_a_full_disk_is_one_line(tmp_path):
    (tmp_path / "small.yaml").write_text(EXPERIMENT.replace("200", "200000"))
    (tmp_path / "disk").mkdir()
    script = (
        "mount -t tmpfs -o size=256k tmpfs disk && "
        '$EVO run small.yaml --run-dir disk/run -q; echo "run=$?"'
    )
    done = in_namespace(script, tmp_path)
    assert "run=2" in done.stdout, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "full" in lines[0], done.stderr
