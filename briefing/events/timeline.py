"""The dated timeline of an event whose articles span several days.

Rows are (date, outlet, title, url) of the event's dated articles, oldest first,
one row per distinct (date, title); an event whose articles all share one date,
or are undated, has no timeline. Past ``MAX_ROWS`` rows the middle is left out
(the first and last halves are kept) and the count of omitted rows is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..records import Event

MAX_ROWS = 8


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One dated article of an event."""

    date: dt.date
    outlet: str | None
    title: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Timeline:
    """An event's timeline rows, oldest first, and how many were left out in the middle."""

    rows: tuple[TimelineRow, ...]
    omitted: int = 0

    @property
    def head(self) -> tuple[TimelineRow, ...]:
        """Return the rows before the gap (all of them when nothing was left out)."""
        return self.rows[: (len(self.rows) + 1) // 2] if self.omitted else self.rows

    @property
    def tail(self) -> tuple[TimelineRow, ...]:
        """Return the rows after the gap (none when nothing was left out)."""
        return self.rows[(len(self.rows) + 1) // 2 :] if self.omitted else ()


def timeline(event: Event, *, max_rows: int = MAX_ROWS) -> Timeline | None:
    """Return the event's timeline, or None when its articles do not span several days."""
    seen: set[tuple[dt.date, str]] = set()
    rows = []
    dated = [(a.date, a) for a in event.articles if a.date is not None]
    for day, a in sorted(
        dated, key=lambda p: (p[0], (p[1].source or "").casefold(), p[1].title.casefold())
    ):
        key = (day, " ".join(a.title.casefold().split()))
        if key in seen:
            continue
        seen.add(key)
        rows.append(TimelineRow(day, a.source, a.title.strip() or "(untitled)", a.url))
    if len({r.date for r in rows}) < 2:
        return None
    if len(rows) <= max_rows:
        return Timeline(tuple(rows))
    first = (max_rows + 1) // 2
    last = max_rows - first
    return Timeline(tuple(rows[:first] + rows[-last:]), omitted=len(rows) - max_rows)
