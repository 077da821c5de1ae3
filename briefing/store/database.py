"""Opening and locking the SQLite file (``store.Store`` works on what this opens).

The lock is an OS file lock beside the database, so two builds never write at once
and a killed build never leaves it held.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlite_utils import Database

from ..errors import DatabaseLockedError, StoreError


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


@contextmanager
def lock_database(path: Path | str | None) -> Iterator[None]:
    """Hold ``<path>.lock`` while a build writes the database; fail at once if it is held.

    The lock is an OS file lock (``flock``), released by the kernel even when the
    holder is killed, so a crashed build never blocks the next one.
    """
    if path is None:
        yield
        return
    lock_path = Path(f"{path}.lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(lock_path, timeout=0)
        lock.acquire()
    except Timeout:
        raise DatabaseLockedError(
            f"another briefing build is using the database {path} (lock file {lock_path});"
            " try again when it has finished"
        ) from None
    except OSError as e:
        raise StoreError(f"cannot lock the database {path}: {e.strerror or e}") from e
    try:
        yield
    finally:
        lock.release()
