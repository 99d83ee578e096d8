"""The run store: one SQLite file (WAL) per run holding everything a resume needs.

Every write that matters is its own committed transaction, so a run killed at any
moment loses at most the work in flight and never records an evaluation twice
(``evaluations.candidate_id`` is the primary key).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from evo.errors import RunDirError
from evo.records import Candidate, Evaluation, Match, Status, canonical_json

DB_NAME = "run.sqlite"
SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS candidates (
    id TEXT PRIMARY KEY, genome TEXT NOT NULL, parents TEXT NOT NULL, operator TEXT NOT NULL,
    generation INTEGER NOT NULL, island INTEGER NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS asks (
    generation INTEGER PRIMARY KEY, rng_state TEXT NOT NULL, new INTEGER NOT NULL,
    created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS proposals (
    generation INTEGER NOT NULL, slot INTEGER NOT NULL, candidate_id TEXT NOT NULL,
    PRIMARY KEY (generation, slot));
CREATE TABLE IF NOT EXISTS evaluations (
    candidate_id TEXT PRIMARY KEY REFERENCES candidates(id), seq INTEGER NOT NULL UNIQUE,
    generation INTEGER NOT NULL, status TEXT NOT NULL, objectives TEXT NOT NULL,
    instance_scores TEXT NOT NULL, descriptors TEXT NOT NULL, feedback TEXT NOT NULL,
    artifacts TEXT NOT NULL, wall_time REAL NOT NULL, finished REAL NOT NULL);
CREATE TABLE IF NOT EXISTS matches (
    id INTEGER PRIMARY KEY, generation INTEGER NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
    outcome REAL NOT NULL);
CREATE TABLE IF NOT EXISTS ratings (
    generation INTEGER NOT NULL, candidate_id TEXT NOT NULL, rating REAL NOT NULL,
    games REAL NOT NULL, PRIMARY KEY (generation, candidate_id));
CREATE TABLE IF NOT EXISTS generations (
    generation INTEGER PRIMARY KEY, evaluations INTEGER NOT NULL, elapsed REAL NOT NULL,
    population TEXT NOT NULL, stats TEXT NOT NULL, hypervolume REAL, rng_state TEXT NOT NULL,
    finished REAL NOT NULL);
CREATE TABLE IF NOT EXISTS llm_calls (
    id INTEGER PRIMARY KEY, time REAL NOT NULL, model TEXT NOT NULL, operator TEXT,
    candidate_id TEXT, prompt_tokens INTEGER, completion_tokens INTEGER, cost REAL,
    latency REAL, status TEXT NOT NULL, error TEXT, generation INTEGER, attempt INTEGER,
    child_id TEXT);
CREATE TABLE IF NOT EXISTS lessons (
    id INTEGER PRIMARY KEY, generation INTEGER NOT NULL, source TEXT NOT NULL,
    text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS matches_by_generation ON matches (generation);
"""

LLM_CALL_COLUMNS = ("id", "time", "model", "operator", "candidate_id", "prompt_tokens",
                    "completion_tokens", "cost", "latency", "status", "error", "generation",
                    "attempt", "child_id")  # fmt: skip
"""The columns of ``llm_calls``, in table order."""


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else {}


class Store:
    """Typed access to a run's SQLite database."""

    def __init__(self, path: str | Path, *, create: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise RunDirError(f"{self.path.parent}: not a run directory (no {DB_NAME})")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.read_only = not create and not (
            os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)
        )
        if self.read_only:  # a run someone may read (export, plot) but not continue
            self.db = self._open_read_only()
        else:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._writing = threading.RLock()  # the model client's thread writes too
        if not self.read_only:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=10000")
        if create:
            self.db.executescript(SCHEMA)
            self.set_meta("schema_version", SCHEMA_VERSION)
        elif self.meta("schema_version") is None:
            raise RunDirError(f"{self.path}: not an evo run database")
        elif not self.read_only:
            self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """Bring a store written by an earlier evo up to this schema (columns added since)."""
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(llm_calls)")}
        if "child_id" not in columns:
            self.db.execute("ALTER TABLE llm_calls ADD COLUMN child_id TEXT")

    def _open_read_only(self) -> sqlite3.Connection:
        """A read-only connection; where SQLite cannot share a WAL database read-only
        (no -shm file to use), the file is read as immutable (its -wal is not read)."""
        uri = self.path.absolute().as_uri()
        try:
            db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
            db.execute("SELECT 1 FROM sqlite_master LIMIT 1")
            return db
        except sqlite3.OperationalError:
            return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)

    @classmethod
    def in_dir(cls, run_dir: str | Path, *, create: bool = False) -> Store:
        """The store of ``run_dir``."""
        run_dir = Path(run_dir)
        if not create and not run_dir.is_dir():
            raise RunDirError(f"{run_dir}: no such run directory")
        try:
            return cls(run_dir / DB_NAME, create=create)
        except sqlite3.DatabaseError as exc:
            raise RunDirError(
                f"{run_dir / DB_NAME}: damaged or not an evo run database ({exc})"
            ) from None

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction (rolled back on error), one thread at a time: the
        connection is shared with the model client's thread."""
        with self._writing:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    # meta -----------------------------------------------------------------
    def set_meta(self, key: str, value: Any) -> None:
        """Store a JSON value under ``key``."""
        self.db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, json.dumps(value))
        )

    def meta(self, key: str, default: Any = None) -> Any:
        """The JSON value stored under ``key``."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise RunDirError(f"{self.path}: not an evo run database ({exc})") from None
        return json.loads(row[0]) if row else default

    # asks and candidates ----------------------------------------------------
    def _insert_candidates(self, db: sqlite3.Connection, candidates: Iterable[Candidate]) -> None:
        now = time.time()
        db.executemany(
            "INSERT OR IGNORE INTO candidates VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.id,
                    canonical_json(c.genome),
                    json.dumps(list(c.parents)),
                    c.operator,
                    c.generation,
                    c.island,
                    now,
                )
                for c in candidates
            ],
        )

    def record_candidates(self, candidates: Iterable[Candidate]) -> None:
        """Commit candidates that are not proposals (e.g. fixed reference opponents)."""
        with self.transaction() as db:
            self._insert_candidates(db, candidates)

    def record_ask(
        self, generation: int, proposals: list[Candidate], rng_state: dict, new: int
    ) -> None:
        """Commit a generation's proposals, how many are new, and the RNG state after ask."""
        with self.transaction() as db:
            self._insert_candidates(db, proposals)
            db.executemany(
                "INSERT INTO proposals VALUES (?, ?, ?)",
                [(generation, slot, c.id) for slot, c in enumerate(proposals)],
            )
            db.execute(
                "INSERT INTO asks VALUES (?, ?, ?, ?)",
                (generation, json.dumps(rng_state), new, time.time()),
            )

    def pending_ask(self, generation: int) -> tuple[list[Candidate], dict, int] | None:
        """Proposals, RNG state and new-candidate count of an asked ``generation``."""
        row = self.db.execute(
            "SELECT rng_state, new FROM asks WHERE generation = ?", (generation,)
        ).fetchone()
        if row is None:
            return None
        ids = [
            r[0]
            for r in self.db.execute(
                "SELECT candidate_id FROM proposals WHERE generation = ? ORDER BY slot",
                (generation,),
            )
        ]
        found = self.candidates(ids)
        return [found[i] for i in ids], json.loads(row[0]), row[1]

    def candidates(self, ids: Iterable[str] | None = None) -> dict[str, Candidate]:
        """Candidates by id (all of them when ``ids`` is None)."""
        query = "SELECT id, genome, parents, operator, generation, island FROM candidates"
        if ids is None:
            rows = self.db.execute(query).fetchall()
        else:
            rows = self._select_in(query + " WHERE id IN ({})", list(ids))
        return {
            r[0]: Candidate(r[0], json.loads(r[1]), tuple(json.loads(r[2])), r[3], r[4], r[5])
            for r in rows
        }

    def lineage(self, candidate_id: str) -> list[dict[str, Any]]:
        """The line of first parents from ``candidate_id`` back to a seed, newest first:
        id, operator and generation of each."""
        candidates = self.candidates()
        chain, current = [], candidates.get(candidate_id)
        while current is not None:
            chain.append(
                {"id": current.id, "operator": current.operator, "generation": current.generation}
            )
            current = candidates.get(current.parents[0]) if current.parents else None
        return chain

    def candidate_rows(self) -> list[tuple[str, str, int, int, list[str], str]]:
        """Every candidate in the order it was stored: id, operator, generation, island,
        parent ids, and the genome as its stored (canonical) JSON text."""
        rows = self.db.execute(
            "SELECT id, operator, generation, island, parents, genome FROM candidates"
            " ORDER BY rowid"
        )
        return [(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]

    def children_counts(self) -> dict[str, int]:
        """How many candidates name each id as a parent."""
        counts: dict[str, int] = {}
        for (parents,) in self.db.execute("SELECT parents FROM candidates"):
            for parent in json.loads(parents):
                counts[parent] = counts.get(parent, 0) + 1
        return counts

    # evaluations ------------------------------------------------------------
    def record_evaluation(self, evaluation: Evaluation, generation: int) -> bool:
        """Commit one evaluation; False (and nothing written) if it was already stored."""
        e = evaluation
        with self.transaction() as db:
            (seq,) = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM evaluations").fetchone()
            cursor = db.execute(
                "INSERT OR IGNORE INTO evaluations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    e.candidate_id,
                    seq,
                    generation,
                    e.status.value,
                    json.dumps(dict(e.objectives)),
                    json.dumps(dict(e.instance_scores)),
                    json.dumps(dict(e.descriptors)),
                    e.feedback,
                    json.dumps(dict(e.artifacts)),
                    e.wall_time,
                    time.time(),
                ),
            )
        return cursor.rowcount == 1

    def evaluations(self, ids: Iterable[str] | None = None) -> dict[str, Evaluation]:
        """Stored evaluations by candidate id (all of them when ``ids`` is None)."""
        query = (
            "SELECT candidate_id, status, objectives, instance_scores, descriptors, feedback,"
            " artifacts, wall_time FROM evaluations"
        )
        if ids is None:
            rows = self.db.execute(query + " ORDER BY seq").fetchall()
        else:
            rows = self._select_in(query + " WHERE candidate_id IN ({})", list(ids))
        return {
            r[0]: Evaluation(
                r[0],
                Status(r[1]),
                _loads(r[2]),
                _loads(r[3]),
                _loads(r[4]),
                r[5],
                _loads(r[6]),
                r[7],
            )
            for r in rows
        }

    def evaluation_log(self) -> list[dict[str, Any]]:
        """Every evaluation in the order it was recorded, as a dict: ``seq``,
        ``candidate_id``, ``generation``, ``status`` (its text), ``objectives`` and
        ``descriptors`` (decoded), ``wall_time``, ``feedback``."""
        rows = self.db.execute(
            "SELECT seq, candidate_id, generation, status, objectives, descriptors, wall_time,"
            " feedback FROM evaluations ORDER BY seq"
        )
        return [
            {
                "seq": r[0],
                "candidate_id": r[1],
                "generation": r[2],
                "status": r[3],
                "objectives": _loads(r[4]),
                "descriptors": _loads(r[5]),
                "wall_time": r[6],
                "feedback": r[7],
            }
            for r in rows
        ]

    def ok_finish_times(self) -> list[tuple[str, float, dict[str, float]]]:
        """Every evaluation that ended ok: candidate id, when it finished (epoch seconds)
        and its objective values."""
        rows = self.db.execute(
            "SELECT candidate_id, finished, objectives FROM evaluations WHERE status = 'ok'"
        )
        return [(cid, finished, _loads(objectives)) for cid, finished, objectives in rows]

    def evaluated_ids(self) -> list[str]:
        """Ids of every evaluated candidate."""
        return [r[0] for r in self.db.execute("SELECT candidate_id FROM evaluations")]

    def failure_reasons(self, top: int) -> list[tuple[str, int]]:
        """The ``top`` most frequent reasons evaluations failed (first line of the
        feedback, else the status), with their counts."""
        reasons: Counter[str] = Counter()
        for status, feedback in self.db.execute(
            "SELECT status, feedback FROM evaluations WHERE status != 'ok'"
        ):
            text = (feedback or "").strip()
            reasons[f"{status}: {text.splitlines()[0][:160]}" if text else status] += 1
        return reasons.most_common(top)

    def status_counts(self) -> dict[str, int]:
        """Evaluations by status."""
        rows = self.db.execute("SELECT status, COUNT(*) FROM evaluations GROUP BY status")
        return dict(rows.fetchall())

    def evaluation_count(self) -> int:
        """Number of evaluations performed."""
        return self.db.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0]

    # matches and ratings ----------------------------------------------------
    def matches(self) -> list[Match]:
        """Every match played, in order."""
        rows = self.db.execute("SELECT a, b, outcome, generation FROM matches ORDER BY id")
        return [Match(a, b, outcome, generation) for a, b, outcome, generation in rows]

    def ratings(self) -> list[tuple[int, str, float, float]]:
        """Every stored rating: generation, candidate id, rating and games played, by
        generation then rating (lowest first)."""
        rows = self.db.execute(
            "SELECT generation, candidate_id, rating, games FROM ratings"
            " ORDER BY generation, rating"
        )
        return rows.fetchall()

    def top_ratings(self, generation: int, count: int) -> list[tuple[str, float, float]]:
        """The ``count`` highest rated players at the end of ``generation``: candidate
        id, rating and games played, best first."""
        rows = self.db.execute(
            "SELECT candidate_id, rating, games FROM ratings WHERE generation = ?"
            " ORDER BY rating DESC LIMIT ?",
            (generation, count),
        )
        return rows.fetchall()

    # model calls and lessons -----------------------------------------------
    def record_llm_call(self, **row: Any) -> int:
        """Commit one model call (one attempt): model, operator, tokens, cost, status...;
        returns its row id."""
        columns = LLM_CALL_COLUMNS[1:-1]  # id is assigned, child_id set on settling
        values = [row.get(c) for c in columns]
        values[0] = values[0] or time.time()
        marks = ", ".join("?" * len(columns))
        with self.transaction() as db:
            cursor = db.execute(
                f"INSERT INTO llm_calls ({', '.join(columns)}) VALUES ({marks})", values
            )
        return int(cursor.lastrowid or 0)

    def settle_llm_call(
        self, call_id: int, *, child: str | None = None, status: str = "ok", reason: str = ""
    ) -> None:
        """Record what an answered call came to, on its own row (a call is counted once):
        the ``child`` it proposed, or ``rejected`` / ``duplicate`` with the ``reason``."""
        with self.transaction() as db:
            db.execute(
                "UPDATE llm_calls SET status = ?, error = COALESCE(NULLIF(?, ''), error),"
                " child_id = ? WHERE id = ?",
                (status, reason, child, call_id),
            )

    def has_candidate(self, candidate_id: str) -> bool:
        """Whether ``candidate_id`` was ever proposed in this run."""
        row = self.db.execute("SELECT 1 FROM candidates WHERE id = ?", (candidate_id,))
        return row.fetchone() is not None

    def llm_usage(self) -> tuple[dict[str, int], int, int, float]:
        """Calls by status, prompt and completion tokens, and dollars so far."""
        statuses = dict(
            self.db.execute("SELECT status, COUNT(*) FROM llm_calls GROUP BY status").fetchall()
        )
        prompt, completion, cost = self.db.execute(
            "SELECT COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0),"
            " COALESCE(SUM(cost), 0) FROM llm_calls"
        ).fetchone()
        return statuses, int(prompt), int(completion), float(cost)

    def llm_calls(self) -> list[dict[str, Any]]:
        """Every model call (one attempt each) in the order made, as a dict keyed by the
        ``llm_calls`` column names (``LLM_CALL_COLUMNS``)."""
        rows = self.db.execute(f"SELECT {', '.join(LLM_CALL_COLUMNS)} FROM llm_calls ORDER BY id")
        return [dict(zip(LLM_CALL_COLUMNS, row, strict=True)) for row in rows]

    def rejection_reasons(self, top: int) -> list[tuple[str | None, int]]:
        """The ``top`` most frequent reasons model answers were rejected (``None`` where
        none was recorded), with their counts, most frequent first."""
        rows = self.db.execute(
            "SELECT error, COUNT(*) FROM llm_calls WHERE status = 'rejected' GROUP BY error"
            " ORDER BY COUNT(*) DESC LIMIT ?",
            (top,),
        )
        return rows.fetchall()

    def llm_totals(self) -> tuple[int, float]:
        """Calls made and dollars spent so far."""
        statuses, _, _, cost = self.llm_usage()
        return sum(statuses.values()), cost

    def record_lessons(self, generation: int, source: str, lessons: list[str]) -> None:
        """Commit the lessons distilled at ``generation``."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO lessons (generation, source, text) VALUES (?, ?, ?)",
                [(generation, source, text) for text in lessons],
            )

    def latest_lessons(self) -> list[str]:
        """The most recently distilled lessons."""
        row = self.db.execute("SELECT MAX(generation) FROM lessons").fetchone()
        if row[0] is None:
            return []
        rows = self.db.execute(
            "SELECT text FROM lessons WHERE generation = ? ORDER BY id", (row[0],)
        )
        return [r[0] for r in rows]

    # generations ------------------------------------------------------------
    def record_generation(
        self,
        generation: int,
        *,
        evaluations: int,
        elapsed: float,
        population: list[list[str]],
        stats: dict[str, Any],
        hypervolume: float | None,
        rng_state: dict,
        matches: list[Match],
        ratings: dict[str, tuple[float, float]],
    ) -> None:
        """Commit the end of a generation: survivors, statistics, matches and ratings."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO matches (generation, a, b, outcome) VALUES (?, ?, ?, ?)",
                [(generation, m.a, m.b, m.outcome) for m in matches],
            )
            db.executemany(
                "INSERT INTO ratings VALUES (?, ?, ?, ?)",
                [(generation, cid, r, games) for cid, (r, games) in ratings.items()],
            )
            db.execute(
                "INSERT INTO generations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    generation,
                    evaluations,
                    elapsed,
                    json.dumps(population),
                    json.dumps(stats),
                    hypervolume,
                    json.dumps(rng_state),
                    time.time(),
                ),
            )

    _GENERATION_KEYS = ("generation", "evaluations", "elapsed", "population", "stats",
                        "hypervolume")  # fmt: skip
    _GENERATION = ", ".join(_GENERATION_KEYS)

    @classmethod
    def _generation(cls, row: tuple) -> dict[str, Any]:
        decoded = dict(zip(cls._GENERATION_KEYS, row[:6], strict=True))
        decoded["population"] = json.loads(row[3])
        decoded["stats"] = json.loads(row[4])
        return decoded

    def generations(self) -> list[dict[str, Any]]:
        """Every completed generation row, oldest first, decoded: ``generation``,
        ``evaluations`` (cumulative), ``elapsed``, ``population`` (ids per island),
        ``stats`` and ``hypervolume``."""
        rows = self.db.execute(f"SELECT {self._GENERATION} FROM generations ORDER BY generation")
        return [self._generation(row) for row in rows]

    def last_generation(self) -> dict[str, Any] | None:
        """The newest completed generation row, decoded as in :meth:`generations`, with
        its ``rng_state``; ``None`` before the first."""
        row = self.db.execute(
            f"SELECT {self._GENERATION}, rng_state FROM generations"
            " ORDER BY generation DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        decoded = self._generation(row)
        decoded["rng_state"] = json.loads(row[6])
        return decoded

    def _select_in(self, query: str, ids: list[str]) -> list[tuple]:
        rows: list[tuple] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows += self.db.execute(query.format(",".join("?" * len(chunk))), chunk).fetchall()
        return rows
