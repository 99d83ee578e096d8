import numpy as np
import pytest

from evo.engine import Engine
from evo.errors import EvoError, OrderError
from evo.problem import Problem
from evo.records import Evaluation, Objective, Status
from evo.store import Store
from evo.testing.problems import Faulty, Sphere

from support import make_config


def engine_for(tmp_path, problem=None, **sections):
    store = Store.in_dir(tmp_path, create=True)
    return Engine(problem or Sphere(), make_config(**sections), store)


def test_ask_tell_out_of_order_is_an_error(tmp_path):
    engine = engine_for(tmp_path)
    with pytest.raises(OrderError, match="before ask"):
        engine.tell([])
    proposals = engine.ask()
    with pytest.raises(OrderError, match="ask\\(\\) called twice"):
        engine.ask()
    with pytest.raises(OrderError, match="have no evaluation"):
        engine.tell([])
    with pytest.raises(OrderError, match="was not proposed"):
        engine.record(Evaluation("nope", objectives={"loss": 1.0}))
    evaluations = [
        Evaluation(c.id, objectives={"loss": float(np.sum(np.square(c.genome)))}) for c in proposals
    ]
    summary = engine.tell(evaluations)
    assert summary.generation == 0 and summary.evaluations == 10


def test_user_driven_ask_tell_improves_the_objective(tmp_path):
    engine = engine_for(tmp_path, budget={"evaluations": 400})
    problem = Sphere()
    while not engine.done():
        asked = engine.ask()
        engine.tell([Evaluation(c.id, objectives=problem.evaluate(c.genome)) for c in asked])
    stats = engine.store.last_generation()["stats"]["objectives"]["loss"]
    first = engine.store.db.execute(
        "SELECT stats FROM generations WHERE generation = 0"
    ).fetchone()[0]
    assert stats["best"] < 0.5 * __import__("json").loads(first)["objectives"]["loss"]["best"]


def test_evaluation_budget_is_exact_and_runs_are_reproducible(tmp_path):
    a = engine_for(tmp_path / "a", budget={"evaluations": 47})
    b = engine_for(tmp_path / "b", budget={"evaluations": 47})
    assert a.run() == "evaluation budget reached (47)"
    b.run()
    assert a.store.evaluation_count() == 47
    ids = "SELECT candidate_id FROM proposals ORDER BY generation, slot"
    assert a.store.db.execute(ids).fetchall() == b.store.db.execute(ids).fetchall()
    assert a.store.last_generation()["population"] == b.store.last_generation()["population"]


class Tiny(Problem):
    """Five possible genomes: the engine must never evaluate one twice."""

    name = "tiny"
    description = "five genomes"
    objectives = (Objective("value"),)

    def seeds(self, rng, n):
        return [int(rng.integers(5)) for _ in range(n)]

    def evaluate(self, genome):
        return {"value": float(genome)}

    def mutate(self, genome, rng):
        return int(rng.integers(5))


def test_known_genomes_are_not_evaluated_again_and_a_stalled_search_stops(tmp_path):
    engine = engine_for(tmp_path, Tiny(), population={"size": 3}, budget={"generations": 100})
    reason = engine.run()
    assert reason.startswith("stalled")
    assert engine.store.evaluation_count() == len(engine.store.evaluated_ids()) <= 5
    assert engine.generation < 100


def test_failures_are_recorded_and_the_run_completes(tmp_path):
    problem = Faulty(hang=7, raise_=5, nan=6)
    engine = engine_for(
        tmp_path,
        problem,
        population={"size": 12},
        evaluation={"backend": "sequential", "timeout": 0.2},
        budget={"evaluations": 60},
    )
    engine.run()
    evaluations = engine.store.evaluations()
    assert len(evaluations) == 60
    by_status = {}
    for e in evaluations.values():
        by_status.setdefault(e.status, []).append(e)
    assert set(by_status) == {Status.OK, Status.TIMEOUT, Status.ERROR, Status.INVALID}
    assert all("exceeded 0.2 s" in e.feedback for e in by_status[Status.TIMEOUT])
    assert all("RuntimeError: deliberate failure" in e.feedback for e in by_status[Status.ERROR])
    assert all("traceback" in e.artifacts for e in by_status[Status.ERROR])
    assert all("not a finite number" in e.feedback for e in by_status[Status.INVALID])
    candidates = engine.store.candidates(evaluations)
    for cid, e in evaluations.items():
        expected = {
            "hang": Status.TIMEOUT,
            "raise": Status.ERROR,
            "nan": Status.INVALID,
            None: Status.OK,
        }[problem.fault(candidates[cid].genome)]
        assert e.status is expected
    assert all(m.evaluation.ok for m in engine.members())


class BrokenMutation(Sphere):
    def mutate(self, genome, rng):
        if rng.random() < 0.3:
            raise ValueError("cannot mutate this one")
        return super().mutate(genome, rng)


def test_operator_exceptions_are_counted_not_raised(tmp_path):
    engine = engine_for(tmp_path, BrokenMutation(), variation={"operators": {"mutation": 1}})
    engine.run()
    failures = engine.store.db.execute("SELECT stats FROM generations").fetchall()
    text = " ".join(row[0] for row in failures)
    assert "cannot mutate this one" in text and engine.store.evaluation_count() == 50


class NotJson(Sphere):
    def mutate(self, genome, rng):
        return np.asarray(genome)


def test_a_genome_that_is_not_json_is_a_clear_error(tmp_path):
    engine = engine_for(tmp_path, NotJson(), variation={"operators": {"mutation": 1}})
    engine.ask()
    engine.tell([Evaluation(c.id, objectives={"loss": 0.0}) for c in engine.pending()])
    with pytest.raises(
        EvoError, match=r"mutate\(\) returned a genome that is not JSON data .*\.tolist\(\)"
    ):
        engine.ask()


def test_islands_keep_their_share_and_exchange_migrants(tmp_path):
    engine = engine_for(
        tmp_path,
        population={"size": 12, "islands": 3, "migration_interval": 2, "migration_size": 1},
        budget={"generations": 6},
    )
    engine.run()
    assert [len(island) for island in engine.islands] == [4, 4, 4]
    migrants = [
        m for i, island in enumerate(engine.islands) for m in island if m.candidate.island != i
    ]
    assert migrants, "no member moved between islands"


def test_resuming_from_the_store_continues_the_same_run(tmp_path):
    whole = engine_for(tmp_path / "whole", budget={"evaluations": 80})
    whole.run()
    part = engine_for(tmp_path / "part", budget={"evaluations": 80})
    for _ in range(3):
        part.ask()
        part.tell(part.evaluator.evaluate(part.pending()))
    part.ask()  # left half evaluated, as after a kill in the middle of a generation
    for evaluation in list(part.evaluator.evaluate(part.pending()))[:4]:
        part.record(evaluation)
    resumed = Engine(
        Sphere(), make_config(budget={"evaluations": 80}), Store.in_dir(tmp_path / "part")
    )
    assert len(resumed.pending()) == 6 and resumed.generation == part.generation == 3
    resumed.run()
    query = "SELECT candidate_id FROM proposals ORDER BY generation, slot"
    assert resumed.store.db.execute(query).fetchall() == whole.store.db.execute(query).fetchall()
    assert resumed.store.evaluation_count() == 80


def test_config_mistakes_about_the_problem_are_reported(tmp_path):
    with pytest.raises(EvoError, match="variation.operators.mutatoin: unknown operator"):
        engine_for(tmp_path / "a", variation={"operators": {"mutatoin": 1}})
    with pytest.raises(EvoError, match="selection.survival: elo needs a problem with match"):
        engine_for(tmp_path / "b", selection={"survival": "elo"})

    class NoVariation(Sphere):
        mutate = Problem.mutate
        crossover = Problem.crossover

    with pytest.raises(EvoError, match="defines neither mutate"):
        engine_for(tmp_path / "c", NoVariation())
