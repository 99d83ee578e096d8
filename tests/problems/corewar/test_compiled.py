"""The battle kernel compiled ahead of time: same outcomes as the JIT, neither numba nor
numpy imported, and a failed build that falls back to the JIT once and for all."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from problems.corewar import compiled
from problems.corewar.assembler import assemble, assemble_listing
from problems.corewar.mars_reference import Mars
from problems.corewar.placement import schedule
from problems.corewar.redcode import Settings
from problems.corewar.sequential import play_in_order

from support import REPO, SHARED

COREWAR = SHARED / "corewar"
needs_compiler = pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")


def pspace_golden():
    lines = (COREWAR / "pmars-golden-examples.jsonl").read_text().splitlines()
    return next(g for g in map(json.loads, lines) if "pspace" in g["w2"])


def play(g, track):
    settings = Settings(rounds=g["rounds"])
    warriors = [
        assemble_listing((COREWAR / g[k]).read_text(encoding="latin-1"), settings)
        for k in ("w1", "w2")
    ]
    return play_in_order(
        [w.rows for w in warriors],
        [w.start for w in warriors],
        [w.pin for w in warriors],
        settings,
        g["F"] - settings.mindistance,
        observe=track,
    )


@needs_compiler
@pytest.mark.parametrize("track", [False, True])
def test_the_compiled_library_agrees_with_the_jit(monkeypatch, track):
    assert compiled.kernel() is not None, "the library was not built"
    g = pspace_golden()
    native = play(g, track)
    monkeypatch.setattr(compiled, "kernel", lambda: None)
    jitted = play(g, track)
    for name in ("alive", "order", "observations"):
        assert getattr(native, name) == getattr(jitted, name), name
    alive = [native.alive[2 * r : 2 * r + 2] for r in range(native.rounds)]
    wins = sum(a > b for a, b in alive), sum(b > a for a, b in alive)
    assert wins == (g["w1_wins"], g["w2_wins"])


def run_battle(env, g):
    script = (
        "import sys; from problems.corewar.cli import battle_main;"
        f"status = battle_main({['-r', str(g['rounds']), '-F', str(g['F']), str(COREWAR / g['w1']), str(COREWAR / g['w2'])]!r});"
        "print('numba imported:', 'numba' in sys.modules);"
        "print('numpy imported:', 'numpy' in sys.modules); sys.exit(status)"
    )  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True
    )


@needs_compiler
def test_evo_battle_runs_without_importing_numba_or_numpy():
    g = pspace_golden()
    result = run_battle(dict(os.environ), g)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-3:] == [
        f"Results: {g['w1_wins']} {g['w2_wins']} {g['ties']}",
        "numba imported: False",
        "numpy imported: False",
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


def test_a_library_that_will_not_load_is_reported_once(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.delenv(compiled.DISABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    library = compiled.cache_dir() / compiled.library_name()
    library.parent.mkdir(parents=True)
    library.write_bytes(b"not a library")
    assert compiled._load_or_build() is None
    assert "cannot use the Core War kernel" in capsys.readouterr().err
    assert library.with_suffix(".failed").exists()
    assert compiled._load_or_build() is None
    assert capsys.readouterr().err == ""


def test_evo_no_aot_uses_the_jit(monkeypatch):
    monkeypatch.setenv(compiled.DISABLE, "1")
    assert compiled._load_or_build() is None


def test_the_compiled_kernels_name_covers_every_module_it_is_built_from():
    script = (
        "import sys; import problems.corewar.rounds, problems.corewar.native_build;"
        "print(' '.join(m for m in sys.modules if m.startswith('problems.corewar.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    modules = {m.rsplit(".", 1)[1] + ".py" for m in result.stdout.split()}
    assert modules <= set(compiled.SOURCES), modules - set(compiled.SOURCES)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"a": [9000]}, "a: numbers outside [0, 8000)"),
        ({"lengths": [2]}, "offsets + lengths run past the code"),
        ({"positions": [0, 100]}, "positions: 2 numbers, expected 1"),
        ({"pspace_index": [3]}, "pspace_index: numbers outside [0, 1)"),
        ({"processes": 0}, "must be positive"),
    ],
)
def test_buffers_the_kernel_could_overrun_are_refused(change, complaint):
    """The kernel checks no index: its wrapper refuses what would let it stray."""
    arguments = dict(
        instr=[0], a=[0], b=[0], offsets=[0], lengths=[1], starts=[0], positions=[0],
        starters=[0], size=8000, cycles=10, processes=10, psize=500, pspace_index=[0],
        track=False,
    )  # fmt: skip
    with pytest.raises(ValueError, match=re.escape(complaint)):
        compiled.play_rounds(**(arguments | change))
    assert compiled.play_rounds(**arguments).alive.tolist() == [0]


def test_a_core_too_large_for_uint16_is_played_by_the_jit_on_int32(monkeypatch):
    """The library takes uint16 cores; in a core of 70,000 cells ``JMP -2`` is 69,998,
    which only the int32 core holds. The outcome agrees with the reference simulator."""
    monkeypatch.setattr(compiled, "kernel", lambda: pytest.fail("the uint16 library was used"))
    settings = Settings(coresize=70_000, cycles=3_000, rounds=4)
    sources = (
        "ADD #4, 3\nMOV 2, @2\nJMP -2\nDAT #0, #0",  # a dwarf
        "SPL 0\nMOV -1, <-3\nJMP -2",  # spawns and bombs backwards
    )
    warriors = [assemble(text, settings) for text in sources]
    seed = 1234
    played = play_in_order(
        [w.code for w in warriors], [w.start for w in warriors], [None, None], settings, seed
    )
    reference = Mars(warriors, settings)
    for r, (positions, starter) in enumerate(schedule(2, settings, settings.rounds, seed)):
        expected = reference.round(positions, starter)
        assert list(played.alive[2 * r : 2 * r + 2]) == expected.alive, r
        executed = played.observations[8 * r : 8 * r + 8 : 4]
        assert list(executed) == expected.executed, r
