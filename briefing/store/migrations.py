"""Schema migrations of the briefing store, applied in order when a Store opens.

Never edit a migration that has run somewhere: add a new ``mNNN_`` function.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("briefing")


@migrations()
def m001_articles(db: Database) -> None:
    """Create articles, their copies (sources) and the near-duplicate map."""
    db["articles"].create(
        {
            "id": str,
            "title": str,
            "text": str,
            "path": str,
            "date": str,
            "source": str,
            "author": str,
            "url": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
    )
    db["sources"].create(
        {"article_id": str, "path": str, "source": str, "url": str},
        pk=("article_id", "path"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["duplicates"].create(
        {"article_id": str, "canonical_id": str, "similarity": float},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id"), ("canonical_id", "articles", "id")],
    )
    db["duplicates"].create_index(["canonical_id"])


@migrations()
def m002_embeddings(db: Database) -> None:
    """Create the embedding cache, keyed by content hash and model."""
    db["embeddings"].create(
        {"key": str, "model": str, "vector": bytes},
        pk=("key", "model"),
    )


@migrations()
def m003_runs_events_digests(db: Database) -> None:
    """Create runs, the events of each run and the digest cache."""
    db["runs"].create(
        {
            "id": int,
            "date": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "backend": str,
            "read": int,
            "duplicates": int,
            "events": int,
            "skipped": int,
            "outputs": str,
        },
        pk="id",
    )
    db["events"].create(
        {"id": str, "article_ids": str, "first_seen": str},
        pk="id",
    )
    db["run_events"].create(
        {"run_id": int, "event_id": str, "rank": int, "digest_key": str},
        pk=("run_id", "event_id"),
        foreign_keys=[("run_id", "runs", "id"), ("event_id", "events", "id")],
    )
    db["digests"].create(
        {"key": str, "event_id": str, "backend": str, "summary": str, "created": str},
        pk="key",
    )
    db["skipped"].create({"run_id": int, "path": str, "reason": str}, pk=("run_id", "path"))


@migrations()
def m004_fetch_cache(db: Database) -> None:
    """Create the HTTP validators of fetched URLs and the log of fetched pages."""
    db["http_cache"].create(
        {"url": str, "etag": str, "last_modified": str, "checked_at": str},
        pk="url",
    )
    db["fetched_pages"].create(
        {
            "url": str,
            "feed_url": str,
            "status": str,  # "ok" (stored: never fetched again) or "failed" (retried)
            "reason": str,
            "final_url": str,
            "path": str,
            "fetched_at": str,
            "tries": int,
        },
        pk="url",
    )
    db["fetched_pages"].create_index(["final_url"])
    db["fetched_pages"].create_index(["feed_url", "status"])


@migrations()
def m005_history(db: Database) -> None:
    """Record each run's output folder, and each run event's headline and history.

    ``status`` is new, developing or unchanged; ``previous_run`` and
    ``previous_event`` name the earlier briefing's event it continues.
    """
    db["runs"].add_column("out_dir", str)
    for column, kind in (
        ("headline", str),
        ("status", str),
        ("previous_run", int),
        ("previous_event", str),
        ("new_articles", str),
    ):
        db["run_events"].add_column(column, kind)
