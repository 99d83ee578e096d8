"""The README's main job, shortened: the Red Queen experiment leaves champions, store, plots."""

import json
import sqlite3

from support import REPO


def test_red_queen_main_job_end_to_end(tmp_path, evo_cli):
    run_dir = tmp_path / "rq"
    result = evo_cli(
        "run",
        str(REPO / "experiments" / "corewar_red_queen.yaml"),
        "--run-dir",
        str(run_dir),
        "--set",
        "red_queen.rounds=2",
        "--set",
        "budget.evaluations=50",
        "--set",
        "population.size=10",
        "--set",
        "red_queen.generality.opponents_sample=4",
        "--set",
        "problem.params.rounds=3",
    )
    assert result.returncode == 0, result.stderr
    assert "round 1: champion" in result.stdout and "held-out: score" in result.stdout
    assert "gen " in result.stderr and "eval/s" in result.stderr  # progress was shown
    champions = sorted(p.name for p in (run_dir / "champions").iterdir())
    assert champions == ["round-00.red", "round-01.red"]
    assert (run_dir / "plots" / "red_queen.png").stat().st_size > 10_000
    assert (run_dir / "round-01" / "plots" / "evolution.png").is_file()
    with sqlite3.connect(run_dir / "run.sqlite") as db:
        rounds = json.loads(db.execute("SELECT value FROM meta WHERE key='rounds'").fetchone()[0])
    assert len(rounds[1]["vs_history"]) == 1 and rounds[1]["generality"]["status"] == "ok"
    # a round starts from genomes carried over, so its champion's line goes back to round 0
    assert rounds[1]["lineage"][0]["round"] == 1 and rounds[1]["lineage"][-1]["round"] == 0
    assert "round 0: seed@0" in (run_dir / "champions" / "round-01.red").read_text()
    with sqlite3.connect(run_dir / "round-01" / "run.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0] == 50
    battle = evo_cli(
        "battle",
        "-r",
        "5",
        "-F",
        "500",
        str(run_dir / "champions" / "round-01.red"),
        str(run_dir / "champions" / "round-00.red"),
    )
    assert battle.returncode == 0 and battle.stdout.startswith("round 1 champion")
