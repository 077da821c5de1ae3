"""What `briefing fetch` remembers between runs, in the store's SQLite database.

Invariants:

- ``http_cache`` keeps the validators (ETag, Last-Modified) of each feed URL, so the
  next request is conditional; they are saved only after the feed's entries were
  handled, so an interrupted run sees the feed again.
- ``fetched_pages`` has one row per article URL: ``ok`` pages are stored and never
  fetched again (by their URL or the URL they redirected to); ``failed`` pages are
  retried on a later run, even when their feed answers 304 Not Modified.
- A URL already in the store's ``sources`` (an article read from a folder) counts
  as stored too.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from ..store.store import Store


class FetchLog:
    """Validators of feeds and the outcome of every article page, by URL."""

    def __init__(self, store: Store) -> None:
        self.db: Database = store.db

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """Return the (ETag, Last-Modified) saved for ``url``, or (None, None)."""
        rows = list(self.db["http_cache"].rows_where("url = ?", [url]))
        return (rows[0]["etag"], rows[0]["last_modified"]) if rows else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None,
                        now: dt.datetime) -> None:
        """Remember a feed's validators for the next conditional GET."""
        with self.db.conn:
            self.db["http_cache"].upsert(
                {"url": url, "etag": etag, "last_modified": last_modified,
                 "checked_at": now.isoformat(timespec="seconds")},
                pk="url",
            )

    def is_stored(self, url: str) -> bool:
        """Tell whether an article at ``url`` is already stored (fetched or read)."""
        fetched = self.db.execute(
            "select 1 from fetched_pages where status = 'ok' and (url = ? or final_url = ?)",
            [url, url],
        ).fetchone()
        return fetched is not None or self.db.execute(
            "select 1 from sources where url = ? limit 1", [url]
        ).fetchone() is not None

    def failed_pages(self, feed_url: str) -> list[str]:
        """Return the URLs of a feed's pages that failed and are to be retried."""
        return [r["url"] for r in self.db["fetched_pages"].rows_where(
            "feed_url = ? and status = 'failed'", [feed_url], order_by="url")]

    def record_page(self, url: str, *, feed_url: str, now: dt.datetime,
                    final_url: str | None = None, path: str | None = None,
                    reason: str | None = None) -> None:
        """Record a page's outcome: stored at ``path``, or failed for ``reason``."""
        rows = list(self.db["fetched_pages"].rows_where("url = ?", [url]))
        tries = (rows[0]["tries"] or 0) + 1 if rows else 1
        with self.db.conn:
            self.db["fetched_pages"].upsert(
                {"url": url, "feed_url": feed_url, "status": "failed" if reason else "ok",
                 "reason": reason, "final_url": final_url, "path": path,
                 "fetched_at": now.isoformat(timespec="seconds"), "tries": tries},
                pk="url",
            )

    def page_count(self, status: str = "ok") -> int:
        """Count the pages with the given status."""
        return self.db["fetched_pages"].count_where("status = ?", [status])
