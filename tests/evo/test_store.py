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
