"""The README's promises: its two opening commands, and the tour's adapter really runs."""

import re

import polars as pl

from support import REPO

README = (REPO / "README.md").read_text()


def code_blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_opening_commands_and_ci_agree():
    first = code_blocks("bash")[0].strip().splitlines()
    assert len(first) == 2 and README.index(first[0]) < 200
    assert first[0].startswith("pip install") and "evo run experiments/" in first[0]
    assert "pytest" in first[1]
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert first[1] in ci, "the CI script must run the README's test command"
    config = first[0].split("evo run ")[1]
    assert (REPO / config).is_file()


def test_the_tour_adapter_runs_resumes_exports_and_plots(tmp_path, evo_cli):
    (tmp_path / "my_problem.py").write_text(code_blocks("python")[0])
    (tmp_path / "weasel.yaml").write_text(code_blocks("yaml")[0])
    first = evo_cli("run", "weasel.yaml", "--run-dir", "run", "-q", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "best matches (max): 28" in first.stdout
    more = evo_cli("resume", "run", "--set", "budget.evaluations=5200", "-q", cwd=tmp_path)
    assert more.returncode == 0 and "evaluations: 5200" in more.stdout
    assert evo_cli("export", "run", cwd=tmp_path).returncode == 0
    assert pl.read_parquet(tmp_path / "run/export/evaluations.parquet").height == 5200
    assert evo_cli("plot", "run", cwd=tmp_path).returncode == 0
    assert (tmp_path / "run/plots/evolution.png").is_file()


def test_the_program_tour_runs_as_written(tmp_path, evo_cli):
    """FunSearch's bin packing, from the README's three files in a fresh directory."""
    evaluator, program = code_blocks("python")[1:3]
    assert "class BinPacking" in evaluator and "EVOLVE-BLOCK-START" in program
    (tmp_path / "binpack.py").write_text(evaluator)
    (tmp_path / "priority.py").write_text(program)
    (tmp_path / "binpack.yaml").write_text(code_blocks("yaml")[1])
    result = evo_cli("run", "binpack.yaml", "--run-dir", "run", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    best = float(re.search(r"best excess \(min\): ([\d.]+)", result.stdout).group(1))
    assert best < 10.8 and "16.2 %" in README  # the seed's 16.2, below first fit's 10.8
    assert "confirmed; saved as run/best_program.py" in result.stdout
    assert (tmp_path / "run" / "best_program.py").read_text().startswith('"""Online bin')
