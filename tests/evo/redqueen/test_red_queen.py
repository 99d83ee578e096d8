"""The Red Queen driver end to end on the non-transitive RPS game, through the CLI."""

import json
import sqlite3

import polars as pl

EXPERIMENT = """\
name: rq
seed: 3
problem:
  name: rps
  params:
    opponents: [[1.0, 0.0, 0.0]]
population: {size: 12}
evaluation: {backend: sequential}
budget: {generations: 6}
red_queen:
  rounds: 3
  generality:
    opponents: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
"""


def rounds_of(run_dir):
    with sqlite3.connect(run_dir / "run.sqlite") as db:
        return json.loads(db.execute("SELECT value FROM meta WHERE key='rounds'").fetchone()[0])


def test_rounds_face_earlier_champions_and_resume_extends(tmp_path, evo_cli):
    config = tmp_path / "rq.yaml"
    config.write_text(EXPERIMENT)
    run_dir = tmp_path / "run"
    result = evo_cli("run", str(config), "--run-dir", str(run_dir), "-q")
    assert result.returncode == 0, result.stderr
    assert "round 2: champion" in result.stdout and "held-out:" in result.stdout
    rounds = rounds_of(run_dir)
    assert [len(r["vs_history"]) for r in rounds] == [0, 1, 2]
    for r in rounds:
        earlier = [x["genome"] for x in rounds[: r["round"]]]
        store = sqlite3.connect(run_dir / f"round-{r['round']:02d}" / "run.sqlite")
        params = json.loads(
            store.execute("SELECT value FROM meta WHERE key='config'").fetchone()[0]
        )
        assert params["problem"]["params"]["opponents"] == [[1.0, 0.0, 0.0]] + earlier
        assert r["lineage"][0]["id"] == r["champion"] and r["lineage"][-1]["operator"] == "seed"
        # carried genomes are followed back: the line ends in round 0 unless it starts afresh
        rounds_seen = [x["round"] for x in r["lineage"]]
        assert rounds_seen == sorted(rounds_seen, reverse=True) and rounds_seen[0] == r["round"]
        assert r["generality"]["status"] == "ok"
        saved = json.loads((run_dir / r["file"]).read_text())
        assert saved["genome"] == r["genome"]

    more = evo_cli("resume", str(run_dir), "--set", "red_queen.rounds=4", "-q")
    assert more.returncode == 0, more.stderr
    assert [r["round"] for r in rounds_of(run_dir)] == [0, 1, 2, 3]
    assert rounds_of(run_dir)[:3] == rounds

    assert evo_cli("export", str(run_dir)).returncode == 0
    frame = pl.read_parquet(run_dir / "export" / "rounds.parquet")
    assert frame.height == 4 and "heldout_exploitability" in frame.columns
    assert (run_dir / "round-03" / "export" / "evaluations.parquet").is_file()
    assert (run_dir / "plots" / "red_queen.png").is_file()
    assert (run_dir / "round-00" / "plots" / "evolution.png").is_file()


def test_an_interrupted_round_is_resumed_in_place(tmp_path, evo_cli):
    config = tmp_path / "rq.yaml"
    config.write_text(EXPERIMENT.replace("rounds: 3", "rounds: 2"))
    run_dir = tmp_path / "run"
    first = evo_cli(
        "run", str(config), "--run-dir", str(run_dir), "-q", "--set", "budget.generations=3"
    )
    assert first.returncode == 0, first.stderr
    # pretend the second round was cut short: drop its record and extend the budget
    with sqlite3.connect(run_dir / "run.sqlite") as db:
        kept = rounds_of(run_dir)[:1]
        db.execute("UPDATE meta SET value = ? WHERE key = 'rounds'", (json.dumps(kept),))
    again = evo_cli("resume", str(run_dir), "--set", "budget.generations=5", "-q")
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(run_dir / "round-01" / "run.sqlite") as db:
        assert db.execute("SELECT MAX(generation) FROM generations").fetchone()[0] == 4
    assert len(rounds_of(run_dir)) == 2


def test_bad_red_queen_settings_are_reported(tmp_path, evo_cli):
    config = tmp_path / "rq.yaml"
    config.write_text(EXPERIMENT.replace("  rounds: 3", "  rounds: 3\n  opponents_param: rivals"))
    result = evo_cli("run", str(config), "--run-dir", str(tmp_path / "r"), "-q")
    assert result.returncode == 2 and "problem.params.rivals: unknown parameter" in result.stderr


def test_a_league_of_each_rounds_best_joins_every_later_round(tmp_path, evo_cli):
    config = tmp_path / "rq.yaml"
    config.write_text(EXPERIMENT.replace("  rounds: 3", "  rounds: 3\n  league: 2"))
    run_dir = tmp_path / "run"
    result = evo_cli("run", str(config), "--run-dir", str(run_dir), "-q")
    assert result.returncode == 0, result.stderr
    rounds = rounds_of(run_dir)
    for r in rounds:
        assert len(r["league"]) == 2 and r["genome"] not in r["league"]
        champions = [x["genome"] for x in rounds[: r["round"]]]
        league = [g for x in rounds[: r["round"]] for g in x["league"]]
        with sqlite3.connect(run_dir / f"round-{r['round']:02d}" / "run.sqlite") as db:
            params = json.loads(
                db.execute("SELECT value FROM meta WHERE key='config'").fetchone()[0]
            )
        assert params["problem"]["params"]["opponents"] == [[1.0, 0.0, 0.0]] + champions + league
    seeds = json.loads(
        sqlite3.connect(run_dir / "run.sqlite")
        .execute("SELECT value FROM meta WHERE key='seed_generality'")
        .fetchone()[0]
    )
    assert seeds and all(s["status"] == "ok" and s["label"].startswith("seed") for s in seeds)
