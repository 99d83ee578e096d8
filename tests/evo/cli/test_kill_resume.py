"""SIGKILL a real `evo run` at random moments, resume it, and audit the store."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import time

import numpy as np

from support import EVO, REPO

EXPERIMENT = """\
name: killme
seed: 11
problem:
  name: evo.testing.problems:Sphere
  params: {{n_var: 4, delay: 0.004}}
population: {{size: 16}}
evaluation: {{backend: {backend}, workers: 2, timeout: 5}}
budget: {{evaluations: 400}}
"""


def evaluations_in(run_dir):
    path = run_dir / "run.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def kill_after(args, run_dir, at_least, rng):
    """Start `evo` and SIGKILL it once the store holds ``at_least`` evaluations, plus a
    random delay, unless it finishes first. Returns True if it was killed."""
    process = subprocess.Popen(
        EVO + args,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while evaluations_in(run_dir) < at_least and process.poll() is None:
        assert time.monotonic() < deadline, "run made no progress"
        time.sleep(0.02)
    time.sleep(float(rng.uniform(0, 0.3)))
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # orphaned workers, if any are left
    return killed


def proposals(run_dir):
    with sqlite3.connect(run_dir / "run.sqlite") as db:
        return db.execute("SELECT candidate_id FROM proposals ORDER BY generation, slot").fetchall()


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path):
    rng = np.random.default_rng(0)
    config = tmp_path / "killme.yaml"
    config.write_text(EXPERIMENT.format(backend="loky"))
    run_dir = tmp_path / "run"
    kills = 0
    killed = kill_after(["run", str(config), "--run-dir", str(run_dir), "-q"], run_dir, 30, rng)
    kills += killed
    for _ in range(12):
        if not killed:
            break
        target = min(400, evaluations_in(run_dir) + int(rng.integers(10, 60)))
        killed = kill_after(["resume", str(run_dir), "-q"], run_dir, target, rng)
        kills += killed
    if killed:
        finish = subprocess.run(
            EVO + ["resume", str(run_dir), "-q"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert finish.returncode == 0, finish.stderr
    assert kills >= 3

    with sqlite3.connect(run_dir / "run.sqlite") as db:
        count, distinct = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT candidate_id) FROM evaluations"
        ).fetchone()
        seqs = [s for (s,) in db.execute("SELECT seq FROM evaluations ORDER BY seq")]
        status = db.execute("SELECT value FROM meta WHERE key = 'status'").fetchone()[0]
        last = db.execute("SELECT MAX(generation), MAX(evaluations) FROM generations").fetchone()
    assert count == distinct == 400
    assert seqs == list(range(1, 401))
    assert status == '"finished"' and last[1] == 400

    # The killed-and-resumed run made the same proposals as an uninterrupted one.
    reference = tmp_path / "reference.yaml"
    reference.write_text(EXPERIMENT.format(backend="sequential"))
    whole = tmp_path / "whole"
    done = subprocess.run(
        EVO + ["run", str(reference), "--run-dir", str(whole), "-q"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert proposals(run_dir) == proposals(whole)
