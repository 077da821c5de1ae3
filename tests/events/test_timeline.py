"""Tests for events.timeline: dated rows of an event, oldest first, deduplicated, capped."""

from __future__ import annotations

import datetime as dt

from briefing.events.timeline import timeline
from briefing.records import Event
from tests.conftest import make_article

D = dt.date(2024, 3, 4)


def _event(*specs):
    arts = tuple(
        make_article(f"text {n}", title=t, date=d, source=s) for n, (t, d, s) in enumerate(specs)
    )
    return Event("ev", arts)


def test_oldest_first_and_deduplicated():
    event = _event(
        ("Later", D + dt.timedelta(days=1), "BBC"),
        ("First", D, "Reuters"),
        ("first ", D, "AP"),  # same day, same title: one row
        ("Undated", None, "X"),
    )
    rows = timeline(event).rows
    # ties on a day sort by outlet, so AP's copy of the title is the one kept
    assert [(r.date, r.outlet, r.title) for r in rows] == [
        (D, "AP", "first"), (D + dt.timedelta(days=1), "BBC", "Later")
    ]


def test_single_day_or_undated_has_no_timeline():
    assert timeline(_event(("A", D, None), ("B", D, None), ("C", None, None))) is None


def test_long_timelines_keep_both_ends():
    event = _event(*((f"T{n}", D + dt.timedelta(days=n), None) for n in range(11)))
    tl = timeline(event)
    assert tl.omitted == 3 and len(tl.rows) == 8
    assert [r.title for r in tl.head] == ["T0", "T1", "T2", "T3"]
    assert [r.title for r in tl.tail] == ["T7", "T8", "T9", "T10"]
