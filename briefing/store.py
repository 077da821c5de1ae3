"""The embedded SQLite store: rows in, dataclasses out.

Invariants: an article row is keyed by its content id, so storing the same
corpus twice adds no rows (upsert); every copy of an article is a ``sources``
row keyed by (article, path); embeddings and digests are caches keyed by
content, so a re-run reuses them. The schema migrates when a Store opens.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from .errors import StoreError
from .limits import limit_from_dict, limit_to_dict
from .migrations import migrations
from .models import Article, Dropped, Evidence, Sentence, Skipped, Source, Stats, Summary

DEFAULT_DB_NAME = "briefing.db"


def open_database(path: Path | str | None) -> Database:
    """Open (creating) the SQLite file at ``path``, or an in-memory database for None."""
    if path is None:
        return Database(memory=True)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=30)
        db = Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
    except (OSError, sqlite3.Error) as e:
        raise StoreError(f"cannot open the database {path}: {e}") from e
    return db


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """Persist articles, copies, embeddings, events, digests and runs."""

    def __init__(self, db: Database) -> None:
        self.db = db
        try:
            migrations.apply(db)
        except sqlite3.OperationalError as e:
            raise StoreError(f"the database is busy or unusable: {e}") from e

    # -- articles -------------------------------------------------------------
    def save_articles(self, articles: Iterable[Article]) -> None:
        """Upsert articles and every copy of them (their sources)."""
        now = _now()
        with self.db.conn:
            for a in articles:
                row = {
                    "id": a.id,
                    "title": a.title,
                    "text": a.text,
                    "path": a.path,
                    "date": a.date.isoformat() if a.date else None,
                    "source": a.source,
                    "author": a.author,
                    "url": a.url,
                    "last_seen": now,
                }
                if self.db["articles"].count_where("id = ?", [a.id]) == 0:
                    row["first_seen"] = now
                self.db["articles"].upsert(row, pk="id")
                for copy in (Source(a.path, a.source, a.url), *a.duplicates):
                    self.db["sources"].upsert(
                        {
                            "article_id": a.id,
                            "path": copy.path,
                            "source": copy.source,
                            "url": copy.url,
                        },
                        pk=("article_id", "path"),
                    )

    def save_duplicates(self, pairs: Iterable[tuple[str, str, float]]) -> None:
        """Record near duplicates as (article id, canonical id, similarity)."""
        rows = [{"article_id": a, "canonical_id": c, "similarity": s} for a, c, s in pairs]
        with self.db.conn:
            self.db["duplicates"].upsert_all(rows, pk="article_id")

    def article_count(self) -> int:
        """Count the stored articles."""
        return self.db["articles"].count

    def get_article(self, article_id: str) -> Article | None:
        """Return a stored article by id, or None."""
        rows = list(self.db["articles"].rows_where("id = ?", [article_id]))
        if not rows:
            return None
        r = rows[0]
        return Article(
            id=r["id"],
            title=r["title"],
            text=r["text"],
            path=r["path"],
            date=dt.date.fromisoformat(r["date"]) if r["date"] else None,
            source=r["source"],
            author=r["author"],
            url=r["url"],
        )

    # -- embeddings -----------------------------------------------------------
    def get_embeddings(self, keys: Sequence[str], model: str) -> dict[str, np.ndarray]:
        """Return the cached vectors of the given content keys."""
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(
                f"select key, vector from embeddings where model = ? and key in ({marks})",
                [model, *chunk],
            ):
                found[r["key"]] = np.frombuffer(r["vector"], dtype=np.float32)
        return found

    def save_embeddings(self, vectors: dict[str, np.ndarray], model: str) -> None:
        """Cache vectors by content key."""
        rows = [
            {"key": k, "model": model, "vector": np.asarray(v, dtype=np.float32).tobytes()}
            for k, v in vectors.items()
        ]
        with self.db.conn:
            self.db["embeddings"].upsert_all(rows, pk=("key", "model"))

    # -- digests --------------------------------------------------------------
    def get_digest(self, key: str) -> Summary | None:
        """Return a cached summary by its content key, or None."""
        rows = list(self.db["digests"].rows_where("key = ?", [key]))
        return summary_from_dict(json.loads(rows[0]["summary"])) if rows else None

    def save_digest(self, key: str, event_id: str, summary: Summary) -> None:
        """Cache a summary under its content key."""
        with self.db.conn:
            self.db["digests"].upsert(
                {
                    "key": key,
                    "event_id": event_id,
                    "backend": summary.backend,
                    "summary": json.dumps(summary_to_dict(summary)),
                    "created": _now(),
                },
                pk="key",
            )

    # -- runs -----------------------------------------------------------------
    def start_run(self, date: dt.date, backend: str) -> int:
        """Record the start of a build and return its run id."""
        with self.db.conn:
            table = self.db["runs"].insert(
                {
                    "date": date.isoformat(),
                    "started_at": _now(),
                    "status": "running",
                    "backend": backend,
                }
            )
        return int(table.last_pk)

    def finish_run(
        self,
        run_id: int,
        *,
        stats: Stats,
        events: Sequence[tuple[str, Sequence[str], int, str]],
        skipped: Sequence[Skipped],
        outputs: Sequence[Path],
    ) -> None:
        """Record a finished build: its counts, ranked events, skipped inputs and files."""
        now = _now()
        with self.db.conn:
            self.db["runs"].update(
                run_id,
                {
                    "finished_at": now,
                    "status": "ok",
                    "read": stats.read,
                    "duplicates": stats.duplicates,
                    "events": stats.events,
                    "skipped": stats.skipped,
                    "outputs": json.dumps([str(p) for p in outputs]),
                },
            )
            for event_id, article_ids, rank, digest_key in events:
                if self.db["events"].count_where("id = ?", [event_id]) == 0:
                    self.db["events"].insert(
                        {
                            "id": event_id,
                            "article_ids": json.dumps(list(article_ids)),
                            "first_seen": now,
                        }
                    )
                self.db["run_events"].upsert(
                    {
                        "run_id": run_id,
                        "event_id": event_id,
                        "rank": rank,
                        "digest_key": digest_key,
                    },
                    pk=("run_id", "event_id"),
                )
            self.db["skipped"].upsert_all(
                [{"run_id": run_id, "path": s.path, "reason": s.reason} for s in skipped],
                pk=("run_id", "path"),
            )

    def fail_run(self, run_id: int, reason: str) -> None:
        """Mark a build as failed."""
        with self.db.conn:
            self.db["runs"].update(run_id, {"finished_at": _now(), "status": f"failed: {reason}"})


def summary_to_dict(summary: Summary) -> dict:
    """Turn a Summary into plain JSON-able data."""
    return {
        "headline": summary.headline,
        "backend": summary.backend,
        "sentences": [
            {
                "text": s.text,
                "citations": list(s.citations),
                "evidence": [
                    {"article_id": e.article_id, "sentence": e.sentence, "score": e.score}
                    for e in s.evidence
                ],
            }
            for s in summary.sentences
        ],
        "dropped": [{"text": d.text, "reason": d.reason} for d in summary.dropped],
        "input_cut": limit_to_dict(summary.input_cut),
    }


def summary_from_dict(data: dict) -> Summary:
    """Rebuild a Summary from ``summary_to_dict`` output."""
    return Summary(
        headline=data["headline"],
        backend=data["backend"],
        sentences=tuple(
            Sentence(
                text=s["text"],
                citations=tuple(s["citations"]),
                evidence=tuple(Evidence(**e) for e in s.get("evidence", [])),
            )
            for s in data["sentences"]
        ),
        dropped=tuple(Dropped(**d) for d in data.get("dropped", [])),
        input_cut=limit_from_dict(data.get("input_cut")),
    )
