"""The Core War experiment scripts run end to end (tiny budgets)."""

import json
import subprocess
import sys

from support import REPO


def test_baselines_at_equal_budget_write_a_table_a_record_and_a_plot(tmp_path):
    out = tmp_path / "baselines"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "experiments" / "corewar_baselines.py"),
            "--budget",
            "12",
            "--seeds",
            "1",
            "--sample",
            "12",
            "--heldout-rounds",
            "2",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads((out / "baselines.json").read_text())
    methods = [r["method"] for r in record["results"]]
    assert methods == ["evo", "hill", "templates", "random"]
    for row in record["results"]:
        assert 0 <= row["heldout"] <= 1 and row["heldout_se"] > 0
        assert (out / f"{row['method']}-seed1.red").is_file()
    assert {"Dwarf", "Imp", "best initial template"} <= set(record["seeds"])
    assert (out / "baselines.png").stat().st_size > 10_000
    assert "mean held-out" in result.stdout


def test_heldout_script_measures_files_and_seeds(tmp_path):
    warrior = tmp_path / "imp.red"
    warrior.write_text(";redcode-94\n;name my imp\n mov.i 0, 1\n")
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "experiments" / "corewar_heldout.py"),
            str(warrior),
            "--seeds",
            "--rounds",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "held-out measure: 437 held-out warriors of 94nop x 2 rounds"
    assert lines[1].startswith("imp.red") and "W/T/L" in lines[1]
    assert sum(line.startswith("seed ") for line in lines) == 4
