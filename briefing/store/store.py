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
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from ..errors import StoreError
from ..records import Article, EarlierEvent, Skipped, Source, Stats, Summary
from .codec import summary_from_dict, summary_to_dict
from .database import lock_database, open_database
from .migrations import migrations

DEFAULT_DB_NAME = "briefing.db"
__all__ = ["Store", "lock_database", "open_database", "summary_from_dict", "summary_to_dict"]


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
        """Upsert articles and every copy of them (their sources), in bulk."""
        now = _now()
        articles = list(articles)
        rows = [
            {
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
            for a in articles
        ]
        sources = [
            {"article_id": a.id, "path": c.path, "source": c.source, "url": c.url}
            for a in articles
            for c in (Source(a.path, a.source, a.url), *a.duplicates)
        ]
        known = self._known_ids([r["id"] for r in rows])
        with self.db.conn:
            new = [r | {"first_seen": now} for r in rows if r["id"] not in known]
            for batch in (new, [r for r in rows if r["id"] in known]):
                if batch:
                    self.db["articles"].upsert_all(batch, pk="id")
            if sources:
                self.db["sources"].upsert_all(sources, pk=("article_id", "path"))

    def _known_ids(self, ids: Sequence[str]) -> set[str]:
        """Return which of the ids are stored already."""
        known: set[str] = set()
        for first in range(0, len(ids), 500):
            chunk = ids[first : first + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"select id from articles where id in ({marks})"
            known.update(row[0] for row in self.db.execute(sql, chunk).fetchall())
        return known

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
    def interrupt_stale_runs(self) -> int:
        """Mark runs left "running" by a killed build as "interrupted" (hold the lock)."""
        with self.db.conn:
            cursor = self.db.execute(
                "update runs set status = 'interrupted' where status = 'running'"
            )
        return cursor.rowcount

    def start_run(self, date: dt.date, backend: str, *, out_dir: Path | None = None) -> int:
        """Record the start of a build (writing to ``out_dir``) and return its run id."""
        with self.db.conn:
            table = self.db["runs"].insert(
                {
                    "date": date.isoformat(),
                    "started_at": _now(),
                    "status": "running",
                    "backend": backend,
                    "out_dir": str(Path(out_dir).resolve()) if out_dir else None,
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
        history: Mapping[str, Mapping[str, object]] | None = None,
    ) -> None:
        """Record a finished build: its counts, ranked events, skipped inputs and files.

        ``history`` maps an event id to extra ``run_events`` columns (headline, status,
        previous_run, previous_event, new_articles).
        """
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
                        **(history or {}).get(event_id, {}),
                    },
                    pk=("run_id", "event_id"),
                )
            self.db["skipped"].upsert_all(
                [{"run_id": run_id, "path": s.path, "reason": s.reason} for s in skipped],
                pk=("run_id", "path"),
            )

    def earlier_events(
        self, date: dt.date, *, since: dt.date, out_dir: Path
    ) -> list[EarlierEvent]:
        """Return the events of the briefings dated from ``since`` to before ``date``.

        Only the latest successful run of each date counts, and only runs that wrote
        to ``out_dir``; newest date first, then by rank.
        """
        rows = self.db.query(
            """
            select r.id as run_id, r.date, r.outputs, re.event_id, re.rank, re.headline,
                   e.article_ids, d.summary
            from runs r
            join run_events re on re.run_id = r.id
            join events e on e.id = re.event_id
            left join digests d on d.key = re.digest_key
            where r.id in (
                select max(id) from runs
                where status = 'ok' and date < ? and date >= ? and out_dir = ?
                group by date
            )
            order by r.date desc, re.rank
            """,
            [date.isoformat(), since.isoformat(), str(Path(out_dir).resolve())],
        )
        found = []
        for r in rows:
            headline = r["headline"] or (
                json.loads(r["summary"])["headline"] if r["summary"] else ""
            )
            outputs = [Path(p) for p in json.loads(r["outputs"] or "[]")]
            files = {p.suffix: p for p in outputs}
            briefing = files.get(".html") or files.get(".md") or files.get(".json")
            found.append(
                EarlierEvent(
                    run_id=r["run_id"],
                    date=dt.date.fromisoformat(r["date"]),
                    event_id=r["event_id"],
                    article_ids=tuple(json.loads(r["article_ids"])),
                    headline=headline,
                    rank=r["rank"],
                    briefing=str(briefing) if briefing else None,
                )
            )
        return found

    def fail_run(self, run_id: int, reason: str) -> None:
        """Mark a build as failed."""
        with self.db.conn:
            self.db["runs"].update(run_id, {"finished_at": _now(), "status": f"failed: {reason}"})
