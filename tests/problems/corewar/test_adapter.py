"""The Core War problem adapter: evaluation, failures as data, operators, champions."""

import json
import sqlite3

import numpy as np
import pytest

from evo import registry
from evo.engine import Engine
from evo.errors import ConfigError
from evo.records import Status
from evo.store import Store
from evo.variation.base import Operator, register
from problems.corewar.adapter import CoreWar
from problems.corewar.assembler import assemble
from problems.corewar.opponents import seed_source

from support import REPO, SHARED, make_config

DWARF_ONLY = ["seed:dwarf"]


@pytest.fixture(scope="module")
def problem():
    return CoreWar(opponents=["seed:dwarf", "seed:imp"], rounds=4)


def test_seeds_evaluate_with_scores_descriptors_and_feedback(problem):
    for genome in problem.seeds(np.random.default_rng(0), 4):
        evaluation = problem.evaluate(genome)
        assert evaluation.status is Status.OK and 0 <= evaluation.objectives["score"] <= 1
        assert set(evaluation.instance_scores) == {"seed:dwarf", "seed:imp"}
        assert {"processes", "coverage", "alive", "win_rate", "tie_rate", "loss_rate"} <= set(
            evaluation.descriptors
        )
        assert "vs seed:dwarf:" in evaluation.feedback


def test_a_warrior_that_beats_everything_scores_one():
    # a bomber against an opponent that kills itself at once
    problem = CoreWar(opponents=[";redcode\n dat #0, #0\n"], rounds=3)
    dwarf = problem.canonical(assemble(problem.seeds_from[0]))
    assert problem.evaluate(dwarf).objectives["score"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "genome, reason",
    [
        (";redcode\n mov 0, nowhere\n", "undefined symbol 'nowhere'"),
        (";redcode\n" + " nop 0\n" * 101, "too many instructions: 101"),
        ("", "no instructions"),
    ],
)
def test_invalid_and_oversized_warriors_are_recorded_with_the_reason(problem, genome, reason):
    evaluation = problem.evaluate(genome)
    assert evaluation.status is Status.INVALID and reason in evaluation.feedback


def test_operators_always_give_warriors_that_assemble_and_fit(problem):
    rng = np.random.default_rng(5)
    population = problem.seeds(rng, 4)
    for _ in range(300):
        a, b = (population[int(i)] for i in rng.integers(0, len(population), 2))
        child = problem.crossover(a, b, rng) if rng.random() < 0.3 else problem.mutate(a, rng)
        warrior = assemble(child)
        assert 1 <= len(warrior) <= 100
        population.append(child)
    assert len(set(population)) > 200


def test_alive_share_scoring_and_secondary_objectives():
    problem = CoreWar(
        opponents=["seed:dwarf", "seed:paper"],
        rounds=5,
        scoring="alive_share",
        secondary=["length", "survival"],
    )
    assert [o.name for o in problem.objectives] == ["score", "length", "survival"]
    evaluation = problem.evaluate(problem.seeds(np.random.default_rng(0), 1)[0])
    assert 0 <= evaluation.objectives["score"] <= 1 and evaluation.objectives["length"] >= 1


def test_match_is_a_score_in_unit_interval(problem):
    dwarf, imp = problem.seeds(np.random.default_rng(0), 2)
    assert 0 <= problem.match(dwarf, imp) <= 1
    assert problem.match("not redcode", imp) == 0.0 and problem.match(imp, "not redcode") == 1.0


@pytest.mark.parametrize(
    "params, message",
    [
        ({"opponents": ["seed:nope"]}, "no built-in warrior 'nope'"),
        ({"opponents": ["/nowhere/x.red"]}, "does not exist"),
        ({"opponents": [], "opponents_dir": "/nowhere"}, "is not a directory"),
        ({"scoring": "elo"}, "scoring must be"),
        ({"secondary": ["speed"]}, "unknown secondary"),
        ({"opponents": [";redcode\n mov 0, 1\n jmp @@\n"]}, "does not assemble: line 3"),
    ],
)
def test_bad_parameters_are_config_errors_before_anything_runs(params, message):
    with pytest.raises(ConfigError, match=message):
        registry.create("corewar", params)


BROKEN = ";redcode\n mov 0, 1\n bogus 3\n"


@pytest.mark.parametrize(
    "setting, message",
    [
        (
            "problem.params.opponents=[{broken}]",
            "problem.params: CoreWar rejected the parameters: "
            "opponent 'broken' does not assemble: line 3: unexpected '3'",
        ),
        (
            "red_queen.generality.opponents_dir={tmp}/nowhere",
            "red_queen.generality: CoreWar rejected the parameters: "
            "opponents_dir '{tmp}/nowhere' is not a directory",
        ),
    ],
)
def test_bad_opponents_stop_evo_run_with_one_line_and_no_run_dir(
    evo_cli, tmp_path, setting, message
):
    broken = tmp_path / "broken.red"
    broken.write_text(BROKEN)
    run_dir = tmp_path / "run"
    result = evo_cli(
        "run",
        "experiments/corewar_red_queen.yaml",
        "--set",
        setting.format(broken=broken, tmp=tmp_path),
        "--run-dir",
        str(run_dir),
        "--quiet",
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "error: " + message.format(tmp=tmp_path)
    assert not run_dir.exists()


@register("garbage")
class Garbage(Operator):
    """Proposes text that is not Redcode, or too long, alternately."""

    arity = 1

    def propose(self, parents, context):
        if context.rng.random() < 0.5:
            return [f";redcode\n this is not redcode {context.rng.integers(1 << 30)}\n"]
        return [";redcode\n" + " nop 0\n" * int(context.rng.integers(101, 150))]


def test_invalid_proposals_never_crash_a_run(tmp_path):
    config = make_config(
        problem={"name": "corewar", "params": {"rounds": 2}},
        variation={"operators": {"garbage": 0.5, "mutation": 0.5}},
        budget={"evaluations": 40},
    )
    engine = Engine(CoreWar(rounds=2), config, Store.in_dir(tmp_path, create=True))
    engine.run()
    evaluations = engine.store.evaluations().values()
    invalid = [e for e in evaluations if e.status is Status.INVALID]
    assert len(evaluations) == 40 and invalid
    assert all("does not assemble" in e.feedback for e in invalid)
    assert all(m.evaluation.ok for m in engine.members())


def test_champions_are_written_with_family_and_lineage(problem):
    genome = problem.seeds(np.random.default_rng(0), 1)[0]
    lineage = [
        {"id": "abc", "operator": "tune", "generation": 4},
        {"id": "abd", "operator": "tune", "generation": 3},
        {"id": "abe", "operator": "template", "generation": 1},
        {"id": "abf0123456", "operator": "seed", "generation": 0},
    ]
    info = {"round": 3, "champion": "abc", "objectives": {"score": 0.5}, "lineage": lineage}
    suffix, text = problem.render(genome, info)
    assert suffix == ".red" and ";name round 3 champion abc" in text
    assert ";strategy Dwarf; lineage: seed@0 > template > tune x2 (4 steps, from abf01234)" in text
    assert np.array_equal(assemble(text).code, assemble(genome).code)


HILL = str(SHARED / "corewar" / "warriors" / "94nop")


def test_a_screen_plays_few_opponents_first_and_all_of_them_only_when_passed():
    imp = seed_source("imp")
    strict = CoreWar(
        opponents=[],
        opponents_dir=HILL,
        opponents_split="train",
        rounds=1,
        screen_opponents=6,
        screen_rounds=2,
        screen_threshold=0.9,
    )
    screened = strict.evaluate(imp)
    assert screened.descriptors["stage"] == 1 and screened.feedback.startswith("screened out")
    assert "6 opponents x 2 rounds" in screened.feedback and screened.instance_scores
    passed = CoreWar(opponents=[], opponents_dir=HILL, opponents_split="train", rounds=1)
    full = passed.evaluate(imp)
    assert full.descriptors["stage"] == 2 and not full.instance_scores  # 458 > 16 opponents
    assert "and 442 more opponents" in full.feedback
    assert 0 < full.descriptors["score_se"] < 0.05


def test_the_problems_own_operators_run_from_a_config(tmp_path):
    config = make_config(
        problem={"name": "corewar", "params": {"rounds": 2, "template_seeds": 6}},
        variation={"operators": {"tune": 1, "swap": 1, "compose": 1, "template": 1}},
        budget={"evaluations": 60},
    )
    engine = Engine(
        CoreWar(rounds=2, template_seeds=6), config, Store.in_dir(tmp_path, create=True)
    )
    engine.run()
    operators = {c.operator for c in engine.store.candidates().values()}
    assert {"tune", "swap", "compose", "template"} <= operators
    assert all(e.ok for e in engine.store.evaluations().values())


def test_an_unknown_operator_lists_the_problems_own(tmp_path):
    config = make_config(
        problem={"name": "corewar", "params": {"rounds": 2}},
        variation={"operators": {"tuning": 1}},
    )
    with pytest.raises(ConfigError, match="unknown operator .*compose.*tune"):
        Engine(CoreWar(rounds=2), config, Store.in_dir(tmp_path, create=True))


def test_a_run_on_the_training_hill_crowns_a_champion_and_measures_it_held_out(tmp_path, evo_cli):
    run_dir = tmp_path / "bench"
    result = evo_cli(
        "run",
        str(REPO / "experiments" / "corewar_benchmark.yaml"),
        "--run-dir",
        str(run_dir),
        "--set",
        "budget.evaluations=30",
        "--set",
        "population.size=10",
        "--set",
        "problem.params.opponents_sample=20",
        "-q",
    )
    assert result.returncode == 0, result.stderr
    assert "held-out (437 held-out warriors of 94nop x 20 rounds" in result.stdout
    champion = (run_dir / "champions" / "champion.red").read_text()
    assert ";strategy " in champion and "lineage: " in champion
    assert 1 <= len(assemble(champion)) <= 100
    with sqlite3.connect(run_dir / "run.sqlite") as db:
        row = db.execute("SELECT value FROM meta WHERE key='heldout'").fetchone()
    heldout = json.loads(row[0])
    assert 0 <= heldout["champion"]["score"] <= 1 and heldout["dwarf"]["se"] > 0
    curve = heldout["curve"]
    assert 2 <= len(curve) <= 8 and curve[0]["evaluations"] == 10  # the seeds, then onwards
    assert [c["evaluations"] for c in curve] == sorted(c["evaluations"] for c in curve)
    assert curve[-1]["evaluations"] == 30
    assert (run_dir / "plots" / "heldout.png").stat().st_size > 10_000
