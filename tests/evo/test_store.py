import sqlite3

import pytest

from evo.errors import RunDirError
from evo.records import Candidate, Evaluation, Status
from evo.store import Store


def test_round_trip_and_no_double_recording(tmp_path):
    store = Store.in_dir(tmp_path, create=True)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    c = Candidate.new({"x": [1, 2]}, parents=("p",), operator="mutation", generation=1)
    store.record_ask(1, [c], {"state": 1}, new=1)
    e = Evaluation(c.id, Status.OK, {"f": 1.5}, {"t1": 0.5}, {"d": 2.0}, "fine", {"log": "x"}, 0.1)
    assert store.record_evaluation(e, 1)
    assert not store.record_evaluation(e.with_fields(objectives={"f": 9.0}), 1)
    reopened = Store.in_dir(tmp_path)
    assert reopened.evaluations()[c.id] == e
    assert reopened.candidates()[c.id] == c
    assert reopened.pending_ask(1) == ([c], {"state": 1}, 1)
    assert reopened.children_counts() == {"p": 1}


def test_not_a_run(tmp_path):
    with pytest.raises(RunDirError, match="no such run directory"):
        Store.in_dir(tmp_path / "missing")
    with pytest.raises(RunDirError, match="not a run directory"):
        Store.in_dir(tmp_path)
    (tmp_path / "run.sqlite").write_text("garbage" * 100)
    with pytest.raises(RunDirError, match="not an evo run database"):
        Store.in_dir(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    sqlite3.connect(other / "run.sqlite").execute("CREATE TABLE t (x)")
    with pytest.raises(RunDirError, match="not an evo run database"):
        Store.in_dir(other)


def test_writes_from_two_threads_are_all_kept(tmp_path):
    """The model client records calls from its own thread while the engine records
    rejections from the main one: no write may fail or be lost."""
    import threading

    store = Store.in_dir(tmp_path, create=True)
    errors = []

    def write(name):
        try:
            for i in range(300):
                store.record_llm_call(model=name, status="ok", cost=0.0, latency=0.0, attempt=i)
        except Exception as exc:  # pragma: no cover - the failure being tested for
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"m{k}",)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.llm_totals()[0] == 900


def test_a_store_of_an_earlier_evo_gains_the_new_columns(tmp_path):
    store = Store.in_dir(tmp_path, create=True)
    store.db.executescript(
        "DROP TABLE llm_calls; CREATE TABLE llm_calls (id INTEGER PRIMARY KEY, time REAL"
        " NOT NULL, model TEXT NOT NULL, operator TEXT, candidate_id TEXT, prompt_tokens"
        " INTEGER, completion_tokens INTEGER, cost REAL, latency REAL, status TEXT NOT NULL,"
        " error TEXT, generation INTEGER, attempt INTEGER);"
    )
    store.close()
    reopened = Store.in_dir(tmp_path)
    call = reopened.record_llm_call(model="m", status="ok", cost=0.0, latency=0.0)
    reopened.settle_llm_call(call, child="abc")
    assert reopened.db.execute("SELECT child_id FROM llm_calls").fetchall() == [("abc",)]


def test_an_empty_llm_calls_export_has_typed_columns(tmp_path):
    import polars as pl

    from evo import export

    frame = export.llm_calls(Store.in_dir(tmp_path, create=True))
    assert frame.height == 0 and pl.Null not in frame.schema.dtypes()
    assert frame.schema["cost"] == pl.Float64 and frame.schema["child_id"] == pl.String


def _recorded_run(tmp_path):
    """A store with a seed, a child, two evaluations, a generation with matches and
    ratings, and three model calls (two rejected for the same reason)."""
    from evo.records import Match

    store = Store.in_dir(tmp_path, create=True)
    seed = Candidate.new({"x": 1}, parents=(), operator="seed", generation=0)
    child = Candidate.new({"x": 2}, parents=(seed.id,), operator="mutation", generation=1, island=1)
    store.record_ask(0, [seed], {"s": 0}, new=1)
    store.record_ask(1, [child], {"s": 1}, new=1)
    store.record_evaluation(
        Evaluation(seed.id, Status.OK, {"f": 1.0}, {}, {"d": 0.5}, "", {}, 0.2), 0
    )
    store.record_evaluation(Evaluation(child.id, Status.ERROR, {}, {}, {}, "boom", {}, 0.3), 1)
    store.record_generation(
        0,
        evaluations=2,
        elapsed=1.5,
        population=[[seed.id], [child.id]],
        stats={"new": 2},
        hypervolume=None,
        rng_state={"s": 2},
        matches=[Match(seed.id, child.id, 1.0, 0)],
        ratings={seed.id: (1510.0, 1.0), child.id: (1490.0, 1.0), "ref": (1500.0, 2.0)},
    )
    store.record_llm_call(model="m", operator="mutation", status="ok", cost=0.25, attempt=0)
    for _ in range(2):
        call = store.record_llm_call(model="m", status="ok", cost=0.0)
        store.settle_llm_call(call, status="rejected", reason="no code block")
    return store, seed, child


def test_read_methods_return_the_recorded_rows(tmp_path):
    store, seed, child = _recorded_run(tmp_path)
    store = Store.in_dir(tmp_path)  # read back from the file
    assert store.candidate_rows() == [
        (seed.id, "seed", 0, 0, [], '{"x":1}'),
        (child.id, "mutation", 1, 1, [seed.id], '{"x":2}'),
    ]
    log = store.evaluation_log()
    assert [(r["seq"], r["candidate_id"], r["generation"], r["status"]) for r in log] == [
        (1, seed.id, 0, "ok"),
        (2, child.id, 1, "error"),
    ]
    assert log[0]["objectives"] == {"f": 1.0} and log[0]["descriptors"] == {"d": 0.5}
    assert (log[1]["feedback"], log[1]["wall_time"]) == ("boom", 0.3)
    (ok,) = store.ok_finish_times()
    assert ok[0] == seed.id and ok[2] == {"f": 1.0} and isinstance(ok[1], float)
    assert store.ratings() == [
        (0, child.id, 1490.0, 1.0),
        (0, "ref", 1500.0, 2.0),
        (0, seed.id, 1510.0, 1.0),
    ]
    assert store.top_ratings(0, 2) == [(seed.id, 1510.0, 1.0), ("ref", 1500.0, 2.0)]
    assert store.top_ratings(1, 3) == []
    (generation,) = store.generations()
    assert generation == {
        "generation": 0,
        "evaluations": 2,
        "elapsed": 1.5,
        "population": [[seed.id], [child.id]],
        "stats": {"new": 2},
        "hypervolume": None,
    }
    assert store.last_generation() == generation | {"rng_state": {"s": 2}}


def test_model_call_reads(tmp_path):
    from evo.store import LLM_CALL_COLUMNS

    store, _, _ = _recorded_run(tmp_path)
    calls = store.llm_calls()
    assert [c["id"] for c in calls] == [1, 2, 3] and list(calls[0]) == list(LLM_CALL_COLUMNS)
    assert calls[0]["operator"] == "mutation" and calls[0]["cost"] == 0.25
    assert [c["status"] for c in calls] == ["ok", "rejected", "rejected"]
    assert store.rejection_reasons(2) == [("no code block", 2)]
    assert Store.in_dir(tmp_path / "empty", create=True).llm_calls() == []


def test_an_empty_store_reads_as_empty(tmp_path):
    store = Store.in_dir(tmp_path, create=True)
    assert store.candidate_rows() == [] and store.evaluation_log() == []
    assert store.ok_finish_times() == [] and store.ratings() == []
    assert store.generations() == [] and store.last_generation() is None
    assert store.rejection_reasons(2) == []


def test_export_columns_follow_the_store():
    from evo import export
    from evo.store import LLM_CALL_COLUMNS

    assert tuple(export.LLM_CALLS) == LLM_CALL_COLUMNS


def test_the_store_does_not_import_polars_or_the_exporters():
    import subprocess
    import sys

    code = "import sys, evo.store; print(sorted({'polars', 'evo.export', 'evo.plots'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
