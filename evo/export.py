"""Tables of a run as polars DataFrames, and their export to parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from evo.errors import RunDirError
from evo.store import Store


def _keys(rows: list[dict[str, Any]], column: str) -> list[str]:
    """Every key used in a JSON column of the evaluations, in first-seen order."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row[column]))
    return list(names)


def candidates(store: Store) -> pl.DataFrame:
    """One row per candidate: id, operator, generation, island, parents, genome (JSON)."""
    rows = store.candidate_rows()
    return pl.DataFrame(
        {
            "id": [r[0] for r in rows],
            "operator": [r[1] for r in rows],
            "generation": [r[2] for r in rows],
            "island": [r[3] for r in rows],
            "parents": [r[4] for r in rows],
            "genome": [r[5] for r in rows],
        },
        schema={
            "id": pl.String,
            "operator": pl.String,
            "generation": pl.Int64,
            "island": pl.Int64,
            "parents": pl.List(pl.String),
            "genome": pl.String,
        },
    )


def evaluations(store: Store) -> pl.DataFrame:
    """One row per evaluation: order, status, one column per objective, one ``desc_<name>``
    column per behaviour descriptor, time, feedback."""
    rows = store.evaluation_log()
    names = _keys(rows, "objectives")
    descriptors = _keys(rows, "descriptors")
    data: dict[str, list] = {
        key: [r[key] for r in rows] for key in ("seq", "candidate_id", "generation", "status")
    }
    for name in names:
        data[name] = [r["objectives"].get(name) for r in rows]
    for name in descriptors:
        data[f"desc_{name}"] = [r["descriptors"].get(name) for r in rows]
    data["wall_time"] = [r["wall_time"] for r in rows]
    data["feedback"] = [r["feedback"] for r in rows]
    schema = (
        {"seq": pl.Int64, "candidate_id": pl.String, "generation": pl.Int64, "status": pl.String}
        | {n: pl.Float64 for n in names}
        | {f"desc_{n}": pl.Float64 for n in descriptors}
        | {"wall_time": pl.Float64, "feedback": pl.String}
    )
    return pl.DataFrame(data, schema=schema)


def generations(store: Store) -> pl.DataFrame:
    """One row per generation: cumulative evaluations, time, best/median per objective,
    best-ever per objective, hypervolume and best rating where defined."""
    records = []
    for row in store.generations():
        stats = row["stats"]
        record = {
            "generation": row["generation"],
            "evaluations": row["evaluations"],
            "elapsed": row["elapsed"],
            "hypervolume": row["hypervolume"],
            "best_rating": stats.get("best_rating"),
            "new": stats.get("new"),
            "matches": stats.get("matches"),
            "coverage": stats.get("coverage"),
        }
        for name, values in stats.get("objectives", {}).items():
            for key in ("best", "median", "best_ever"):
                record[f"{name}_{key}"] = values.get(key)
        for status in ("ok", "invalid", "error", "timeout"):
            record[f"n_{status}"] = stats.get("status", {}).get(status, 0)
        records.append(record)
    if not records:
        return pl.DataFrame(schema={"generation": pl.Int64, "evaluations": pl.Int64})
    return pl.DataFrame(records, infer_schema_length=None).with_columns(
        pl.col("hypervolume").cast(pl.Float64), pl.col("best_rating").cast(pl.Float64)
    )


def matches(store: Store) -> pl.DataFrame:
    """Every match: generation, players, outcome for the first."""
    played = store.matches()
    return pl.DataFrame(
        {
            "generation": [m.generation for m in played],
            "a": [m.a for m in played],
            "b": [m.b for m in played],
            "outcome": [m.outcome for m in played],
        },
        schema={"generation": pl.Int64, "a": pl.String, "b": pl.String, "outcome": pl.Float64},
    )


def ratings(store: Store) -> pl.DataFrame:
    """Rating of every living player (and reference) at the end of each generation."""
    return pl.DataFrame(
        store.ratings(),
        schema={
            "generation": pl.Int64,
            "candidate_id": pl.String,
            "rating": pl.Float64,
            "games": pl.Float64,
        },
        orient="row",
    )


def populations(store: Store) -> pl.DataFrame:
    """Members of the population after each generation, with their objective values."""
    pairs = [
        (row["generation"], i, cid)
        for row in store.generations()
        for i, island in enumerate(row["population"])
        for cid in island
    ]
    frame = pl.DataFrame(
        {
            "generation": [p[0] for p in pairs],
            "island": [p[1] for p in pairs],
            "candidate_id": [p[2] for p in pairs],
        },
        schema={"generation": pl.Int64, "island": pl.Int64, "candidate_id": pl.String},
    )
    values = evaluations(store).drop("seq", "generation", "wall_time", "feedback")
    return frame.join(values, on="candidate_id", how="left")


LLM_CALLS = {
    "id": pl.Int64,
    "time": pl.Float64,
    "model": pl.String,
    "operator": pl.String,
    "candidate_id": pl.String,
    "prompt_tokens": pl.Int64,
    "completion_tokens": pl.Int64,
    "cost": pl.Float64,
    "latency": pl.Float64,
    "status": pl.String,
    "error": pl.String,
    "generation": pl.Int64,
    "attempt": pl.Int64,
    "child_id": pl.String,
}


def llm_calls(store: Store) -> pl.DataFrame:
    """One row per model call (typed columns even when there was none)."""
    return pl.DataFrame(store.llm_calls(), schema=LLM_CALLS)


TABLES = {
    "candidates": candidates,
    "evaluations": evaluations,
    "generations": generations,
    "populations": populations,
    "matches": matches,
    "ratings": ratings,
    "llm_calls": llm_calls,
}


def export_run(run_dir: Path, out: Path | None = None) -> list[Path]:
    """Write every table of the run in ``run_dir`` to ``<out>/<table>.parquet`` (default
    ``run_dir/export``)."""
    store = Store.in_dir(run_dir)
    out = Path(out) if out is not None else Path(run_dir) / "export"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        store.close()
        raise RunDirError(
            f"{out}: cannot write the export there ({exc.strerror}); use --out DIR"
        ) from None
    written = []
    if store.meta("driver") == "red_queen":
        return _export_rounds(store, Path(run_dir), out, chosen=out != Path(run_dir) / "export")
    try:
        for name, table in TABLES.items():
            path = out / f"{name}.parquet"
            table(store).write_parquet(path)
            written.append(path)
    finally:
        store.close()
    return written


def _export_rounds(store: Store, run_dir: Path, out: Path, chosen: bool) -> list[Path]:
    """A Red Queen run: ``rounds.parquet`` in ``out``, and every round's own tables (in
    ``out/round-NN`` when ``out`` was ``chosen``, else in each round's directory)."""
    from evo.redqueen.driver import round_dirs
    from evo.redqueen.frames import rounds_frame

    try:
        path = out / "rounds.parquet"
        rounds_frame(store.meta("rounds", [])).write_parquet(path)
    finally:
        store.close()
    return [path] + [
        p for d in round_dirs(run_dir) for p in export_run(d, out / d.name if chosen else None)
    ]
