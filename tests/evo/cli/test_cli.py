"""The `evo` command as a user runs it: real subprocesses, real run directories."""

import re

import polars as pl
import pytest

from support import REPO

EXPERIMENT = """\
name: small
seed: 3
problem:
  name: zdt1
  params: {n_var: 8}
population: {size: 20}
evaluation: {backend: sequential, timeout: 5}
budget: {evaluations: 200}
"""


@pytest.fixture
def experiment(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(EXPERIMENT)
    return path


def test_problems_lists_registered_adapters(evo_cli):
    result = evo_cli("problems")
    assert result.returncode == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert {"zdt1", "rps"} <= set(names)


def test_help_lists_the_fast_subcommands(evo_cli):
    result = evo_cli("--help")
    assert result.returncode == 0
    assert "battle" in result.stdout and "pmars -b" in result.stdout
    assert evo_cli("battle", "--help").stdout.startswith("usage: evo battle")


def test_run_resume_export_plot(evo_cli, experiment, tmp_path):
    run_dir = tmp_path / "run"
    result = evo_cli("run", str(experiment), "--run-dir", str(run_dir), "--quiet")
    assert result.returncode == 0, result.stderr
    assert f"run dir: {run_dir}" in result.stdout.splitlines()[0]
    assert "stopped: evaluation budget reached (200)" in result.stdout
    assert "hypervolume:" in result.stdout
    assert (run_dir / "config.yaml").is_file()

    extended = evo_cli("resume", str(run_dir), "--set", "budget.evaluations=260", "--quiet")
    assert extended.returncode == 0, extended.stderr
    assert "evaluations: 260" in extended.stdout

    again = evo_cli("resume", str(run_dir), "--quiet")
    assert again.returncode == 0 and "evaluations: 260" in again.stdout

    exported = evo_cli("export", str(run_dir))
    assert exported.returncode == 0, exported.stderr
    evaluations = pl.read_parquet(run_dir / "export" / "evaluations.parquet")
    assert evaluations.height == 260 and {"status", "f1", "f2"} <= set(evaluations.columns)
    assert evaluations["candidate_id"].n_unique() == 260
    generations = pl.read_parquet(run_dir / "export" / "generations.parquet")
    assert {"f1_best", "f1_median", "f2_best", "hypervolume"} <= set(generations.columns)
    assert generations["evaluations"].to_list()[-1] == 260
    candidates = pl.read_parquet(run_dir / "export" / "candidates.parquet")
    assert candidates.height >= 260

    plotted = evo_cli("plot", str(run_dir))
    assert plotted.returncode == 0, plotted.stderr
    for name in ("evolution", "hypervolume", "pareto_front"):
        assert (run_dir / "plots" / f"{name}.png").stat().st_size > 10_000


def test_progress_display_shows_generation_rate_and_best(evo_cli, experiment, tmp_path):
    result = evo_cli("run", str(experiment), "--run-dir", str(tmp_path / "r"))
    assert result.returncode == 0, result.stderr
    assert "eval/s" in result.stderr and "gen " in result.stderr and "f1 " in result.stderr


def bad(result):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    return lines[0]


def test_bad_input_gives_one_clear_line(evo_cli, experiment, tmp_path):
    unknown_key = tmp_path / "unknown.yaml"
    unknown_key.write_text(EXPERIMENT.replace("population: {size: 20}", "population: {sise: 20}"))
    assert f"{unknown_key}:6: population.sise: unknown key" in bad(evo_cli("run", str(unknown_key)))

    wrong_type = tmp_path / "wrong.yaml"
    wrong_type.write_text(EXPERIMENT.replace("size: 20", "size: lots"))
    assert "population.size: Input should be a valid integer" in bad(
        evo_cli("run", str(wrong_type))
    )

    message = bad(evo_cli("run", str(experiment), "--set", "problem.name=zdt9"))
    assert "unknown problem 'zdt9'" in message

    message = bad(evo_cli("run", str(experiment), "--set", "problem.params.nvar=3"))
    assert "problem.params.nvar: unknown parameter of ZDT1" in message

    assert "no such config file" in bad(evo_cli("run", str(tmp_path / "missing.yaml")))

    keyless = tmp_path / "keyless.yaml"
    keyless.write_text(
        EXPERIMENT
        + "llm:\n  models:\n    - {name: openai/m, api_key_env: EVO_TEST_NOT_SET_ANYWHERE}\n"
    )
    message = bad(evo_cli("run", str(keyless), "--run-dir", str(tmp_path / "keyless")))
    assert message == (
        "error: llm.models[0] (openai/m): environment variable EVO_TEST_NOT_SET_ANYWHERE is not set"
    )
    assert not (tmp_path / "keyless").exists()
    assert "not a run directory" in bad(evo_cli("resume", str(tmp_path)))
    assert "no such run directory" in bad(evo_cli("resume", str(tmp_path / "nope")))
    assert "not a run directory" in bad(evo_cli("export", str(tmp_path)))
    assert "not a run directory" in bad(evo_cli("plot", str(tmp_path)))


def test_a_run_directory_is_never_overwritten(evo_cli, experiment, tmp_path):
    run_dir = tmp_path / "run"
    assert evo_cli("run", str(experiment), "--run-dir", str(run_dir), "-q").returncode == 0
    message = bad(evo_cli("run", str(experiment), "--run-dir", str(run_dir), "-q"))
    assert "already holds a run" in message
    assert "only budget.*, llm.budget.* can change" in bad(
        evo_cli("resume", str(run_dir), "--set", "population.size=3")
    )
    assert "already done 200 evaluations; give more than 200" in bad(
        evo_cli("resume", str(run_dir), "--set", "budget.evaluations=50")
    )
    assert "evaluations: 200" in (run_dir / "config.yaml").read_text()


def test_a_refused_resume_changes_nothing(evo_cli, experiment, tmp_path):
    """A resume refused because the run is in use writes neither the stored config nor
    config.yaml (the next resume would silently use them)."""
    import fcntl
    import sqlite3

    run_dir = tmp_path / "run"
    assert evo_cli("run", str(experiment), "--run-dir", str(run_dir), "-q").returncode == 0

    def stored():
        with sqlite3.connect(run_dir / "run.sqlite") as db:
            return db.execute("SELECT value FROM meta WHERE key = 'config'").fetchone()[0]

    before = (stored(), (run_dir / "config.yaml").read_text())
    with open(run_dir / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        message = bad(evo_cli("resume", str(run_dir), "--set", "budget.evaluations=400"))
    assert "in use by another evo process" in message
    assert (stored(), (run_dir / "config.yaml").read_text()) == before
    resumed = evo_cli("resume", str(run_dir), "--set", "budget.evaluations=400", "-q")
    assert resumed.returncode == 0, resumed.stderr
    assert "evaluations: 400" in (run_dir / "config.yaml").read_text()


def test_zdt1_experiment_reaches_five_percent_of_the_true_front(evo_cli, tmp_path):
    result = evo_cli(
        "run",
        str(REPO / "experiments" / "zdt1.yaml"),
        "--run-dir",
        str(tmp_path / "zdt1"),
        "--quiet",
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("hypervolume:"))
    assert "reference point (1.1, 1.1)" in line and "(within 5%)" in line


def test_a_redirected_run_logs_plain_progress_lines(evo_cli, experiment, tmp_path):
    result = evo_cli("run", str(experiment), "--run-dir", str(tmp_path / "run"))
    assert result.returncode == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert re.fullmatch(
        r"gen 0 \| evaluations 20/200 \| [\d.]+ eval/s \| f1 [-\d.e]+, f2 [-\d.e]+, hv [\d.]+ \| eta \d+s",
        first,
    ), result.stderr
    assert "\x1b[" not in result.stderr  # no terminal control codes in a log
