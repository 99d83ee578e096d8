"""The battle kernel compiled ahead of time: same outcomes as the JIT, no numba import,
and a failed build that falls back to the JIT once and for all."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig

import numpy as np
import pytest

from problems.corewar import compiled
from problems.corewar.assembler import assemble
from problems.corewar.battle import Loaded, placements, pspace_rows
from problems.corewar.redcode import Settings
from problems.corewar.rounds import play_rounds as jitted

from support import REPO, SHARED

COREWAR = SHARED / "corewar"
needs_compiler = pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")


def pspace_golden():
    lines = (COREWAR / "pmars-golden-examples.jsonl").read_text().splitlines()
    return next(g for g in map(json.loads, lines) if "pspace" in g["w2"])


def arguments(g, settings):
    warriors = [
        assemble((COREWAR / g[k]).read_text(encoding="latin-1"), settings) for k in ("w1", "w2")
    ]
    loaded = Loaded.of(warriors)
    positions, starters = placements(2, settings, settings.rounds, g["F"] - settings.mindistance)
    return (
        loaded.instr, loaded.a, loaded.b, loaded.offsets, loaded.lengths, loaded.starts,
        positions, starters, settings.coresize, settings.cycles, settings.processes,
        settings.pspace, pspace_rows(loaded.pins),
    )  # fmt: skip


@needs_compiler
def test_compiled_kernel_is_an_extension_module_that_agrees_with_the_jit():
    assert not hasattr(compiled.kernel(), "py_func")  # not a numba dispatcher
    g = pspace_golden()
    settings = Settings(rounds=g["rounds"])
    args = arguments(g, settings)
    alive, order, observations = compiled.play_rounds(*args, True)
    rounds, n = alive.shape
    expected = (
        np.zeros((rounds, n), dtype=np.bool_),
        np.full((rounds, n), -1, dtype=np.int64),
        np.zeros((rounds, n, 4), dtype=np.int64),
    )
    jitted(*args, True, *expected)
    for got, want in zip((alive, order, observations), expected, strict=True):
        np.testing.assert_array_equal(got, want)
    wins = (alive[:, 0] & ~alive[:, 1]).sum(), (alive[:, 1] & ~alive[:, 0]).sum()
    assert wins == (g["w1_wins"], g["w2_wins"])


def run_battle(env, g):
    script = (
        "import sys; from problems.corewar.cli import battle_main;"
        f"status = battle_main({['-r', str(g['rounds']), '-F', str(g['F']), str(COREWAR / g['w1']), str(COREWAR / g['w2'])]!r});"
        "print('numba imported:', 'numba' in sys.modules); sys.exit(status)"
    )  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True
    )


@needs_compiler
def test_evo_battle_runs_without_importing_numba():
    g = pspace_golden()
    result = run_battle(dict(os.environ), g)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-2:] == [
        f"Results: {g['w1_wins']} {g['w2_wins']} {g['ties']}",
        "numba imported: False",
    ]


def test_a_failed_build_falls_back_to_the_jit_and_is_not_retried(tmp_path):
    g = pspace_golden()
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", compiled.DISABLE)}
    env.update(XDG_CACHE_HOME=str(tmp_path), CC="false")  # a C compiler that always fails
    first = run_battle(env, g)
    assert first.returncode == 0, first.stderr
    assert "cannot use the Core War kernel compiled ahead of time" in first.stderr
    assert f"Results: {g['w1_wins']} {g['w2_wins']} {g['ties']}" in first.stdout
    assert "numba imported: True" in first.stdout
    assert list((tmp_path / "evo-corewar").glob("*.failed"))
    second = run_battle(env, g)
    assert second.returncode == 0 and second.stderr == ""
    assert second.stdout == first.stdout


def test_a_compiled_module_that_will_not_load_is_reported_once(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.delenv(compiled.DISABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    name = compiled.module_name()
    directory = compiled.cache_dir()
    directory.mkdir(parents=True)
    (directory / f"{name}{sysconfig.get_config_var('EXT_SUFFIX')}").write_bytes(b"not a library")
    assert compiled._load_or_build() is jitted
    assert "cannot use the Core War kernel" in capsys.readouterr().err
    assert (directory / f"{name}.failed").exists()
    assert compiled._load_or_build() is jitted
    assert capsys.readouterr().err == ""


def test_evo_no_aot_uses_the_jit(monkeypatch):
    monkeypatch.setenv(compiled.DISABLE, "1")
    assert compiled._load_or_build() is jitted


def test_the_compiled_kernels_name_covers_every_module_it_is_built_from():
    script = (
        "import sys; import problems.corewar.rounds;"
        "print(' '.join(m for m in sys.modules if m.startswith('problems.corewar.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    modules = {m.rsplit(".", 1)[1] + ".py" for m in result.stdout.split()}
    assert modules <= set(compiled.SOURCES), modules - set(compiled.SOURCES)
