"""Offline skill evolution from the CLI: `evo run experiments/household_skills.yaml` raises
success on held-out households from a seed that solves nothing, and `evo plot` draws
the curves, the success-cost front and the library size."""

import json
import sqlite3

from support import REPO


def meta(run, key):
    with sqlite3.connect(run / "run.sqlite") as db:
        (value,) = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return json.loads(value)


def test_skill_evolution_raises_held_out_success(tmp_path, evo_cli):
    run = tmp_path / "run"
    result = evo_cli(
        "run", str(REPO / "experiments" / "household_skills.yaml"), "--run-dir", str(run), "-q",
        "--set", "budget.evaluations=3000",
        "--set", "evaluation.backend=sequential",
        "--set", "problem.params.task_params={n_train: 30, n_heldout: 30}",
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "held-out (30 unseen tasks): best agent solves" in result.stdout
    heldout = meta(run, "heldout")
    assert heldout["seed"]["solved"] == 0.0
    assert heldout["best"]["solved"] >= 0.2 and heldout["train"]["solved"] >= 0.3
    curve = meta(run, "heldout_curve")
    assert curve[0]["heldout_solved"] == 0.0 and curve[-1]["heldout_solved"] >= 0.2
    assert curve[-1]["evaluations"] == 3000 and curve[-1]["library_size"] > 1
    best = json.loads((run / "best_agent.json").read_text())
    assert len(best["skills"]) > 1 and best["config"]["search_order"] != ["countertop"]
    with sqlite3.connect(run / "run.sqlite") as db:
        stages = dict(
            db.execute(
                "SELECT json_extract(descriptors, '$.stage'), COUNT(*) FROM evaluations GROUP BY 1"
            )
        )
        operators = {op for (op,) in db.execute("SELECT DISTINCT operator FROM candidates")}
    assert stages[1.0] > 0 and stages[2.0] > 0  # the cascade stopped weak agents early
    assert {
        "skill_add",
        "skill_refine",
        "skill_merge",
        "skill_delete",
        "skill_crossover",
        "config_mutation",
    } <= operators
    replot = evo_cli("plot", str(run))
    assert replot.returncode == 0, replot.stderr
    plots = {p.name for p in (run / "plots").iterdir()}
    assert {
        "success_curve.png",
        "success_vs_cost.png",
        "library_size.png",
        "evolution.png",
    } <= plots


def test_bad_problem_parameters_stop_the_run_with_a_clear_error(tmp_path, evo_cli):
    result = evo_cli(
        "run", str(REPO / "experiments" / "household_skills.yaml"), "--run-dir", str(tmp_path / "run"),
        "--set", "problem.params.seed_skills=expert",
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: problem.params: AgentConfigProblem rejected the parameters: "
        "no skill library 'expert' (known: empty, handwritten, minimal)"
    )
