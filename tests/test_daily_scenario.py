"""Issue 7's "done when": three mornings of `briefing run` against feeds on 127.0.0.1.

A real HTTP server (tests/webserver.py) serves the three-day corpus of tests/days.py:
a feed whose snapshot grows every day (older items stay in it, as in real feeds) and
one page per article. Each morning the test swaps in that day's snapshot (with a new
ETag and Last-Modified) and runs the real command, ``python -m briefing run`` in a
child process, with a config file (extractive backend, window 1, no fetch delay) and
``--date`` of that day. Then it checks the briefings' statuses (new, developing,
unchanged, gone: the expectations of tests/events/test_history.py, which builds the same
corpus from folders), the archive and its links, and the server's request log: every
article page requested exactly once over the three days, the feed with conditional
GET headers from the second day on. Run with ``-s`` to see the three event lists.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from . import days
from .webserver import Route, Seen, Site, serve

ROOT = Path(__file__).resolve().parents[1]
FEED = "/news/feed.xml"
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


@dataclass
class Morning:
    """What one day's `briefing run` did: its exit status, output, requests, briefing."""

    day: int
    returncode: int
    output: str
    requests: list[Seen]
    doc: dict
    out: Path  # the output folder (briefings and archive)


def _config(root: Path, feed_url: str) -> Path:
    path = root / "config.toml"
    path.write_text("\n".join([
        f"feeds = {json.dumps([feed_url])}",
        'out = "out"', 'db = "briefing.db"', 'backend = "extractive"', f"window = {days.WINDOW}",
        "[fetch]", 'folder = "fetched"', "delay = 0", "timeout = 10",
    ]) + "\n", "utf-8")
    return path


def _publish(site: Site, day: int) -> None:
    """Put day ``day``'s feed snapshot (days 1..day) online, with new validators."""
    site.routes[FEED] = Route(
        days.feed_xml(day, site.url("/news/"), upto_only=False).encode(),
        content_type="application/rss+xml; charset=utf-8",
        etag=f'"day-{day}"',
        last_modified=dt.datetime.combine(days.DAYS[day - 1], dt.time(6), dt.UTC),
    )


def _run(root: Path, config: Path, day: int) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))),
        "BRIEFING_HOME": str(root / "home"), "HF_HUB_OFFLINE": "1", "NO_COLOR": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "briefing", "run", "--config", str(config),
         "--date", days.DAYS[day - 1].isoformat()],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )


def _print_events(mornings: list[Morning]) -> None:
    for m in mornings:
        print(f"\n{days.DAYS[m.day - 1]} (day {m.day}):")
        for e in m.doc["events"]:
            print(f"  {e['status']:<10} {e['headline']} ({len(e['articles'])} articles, "
                  f"{len(e['new_articles'])} new)")
        for g in m.doc["gone"]:
            print(f"  {'gone':<10} {g['headline']} (last in {g['date']})")


@pytest.fixture(scope="module")
def mornings(tmp_path_factory) -> list[Morning]:
    """Run `briefing run` on days 1, 2 and 3 against the local site."""
    root = tmp_path_factory.mktemp("scenario")
    result = []
    with serve() as site:
        site.routes["/robots.txt"] = Route(ROBOTS, content_type="text/plain")
        for article in (a for d in (1, 2, 3) for a in days.articles(d)):
            site.routes["/news/" + days.slug(article)] = Route(days.page_html(article).encode())
        config = _config(root, site.url(FEED))
        for day in (1, 2, 3):
            _publish(site, day)
            site.requests.clear()
            proc = _run(root, config, day)
            out = root / "out" / f"{days.DAYS[day - 1]}.json"
            doc = json.loads(out.read_text("utf-8")) if out.exists() else {}
            result.append(Morning(day, proc.returncode, proc.stdout + proc.stderr,
                                  list(site.requests), doc, root / "out"))
    _print_events(result)
    return result


def _page_paths(day: int) -> set[str]:
    return {"/news/" + days.slug(a) for a in days.articles(day)}


def test_every_morning_succeeds_and_fetches_only_that_days_articles(mornings):
    for m in mornings:
        assert m.returncode == 0, m.output
        assert "Traceback" not in m.output
        new, known = len(days.articles(m.day)), sum(len(days.articles(d)) for d in
                                                    range(1, m.day))
        assert (f"Fetched {new} new articles from 1 feeds (0 unchanged), {known} already "
                "stored, 0 failed.") in m.output
        # everything fetched so far is read; window 1 keeps that day's and the day before's
        kept = new + (len(days.articles(m.day - 1)) if m.day > 1 else 0)
        assert f"Read {known + new} articles ({known + new - kept} outside the window)" in m.output
        paths = [r.path for r in m.requests]
        assert Counter(p for p in paths if p not in (FEED, "/robots.txt")) == Counter(
            _page_paths(m.day))


def test_no_article_page_is_fetched_twice(mornings):
    pages = [r.path for m in mornings for r in m.requests if r.path.startswith("/news/")
             and r.path != FEED]
    everything = set().union(*(_page_paths(d) for d in (1, 2, 3)))
    assert len(everything) == 16
    assert Counter(pages) == Counter(everything)  # each exactly once over three days


def test_feed_is_fetched_with_conditional_get_after_the_first_day(mornings):
    for m in mornings:
        (feed,) = [r for r in m.requests if r.path == FEED]
        assert [r.path for r in m.requests].count("/robots.txt") <= 1
        assert m.requests[0].path == "/robots.txt"  # asked before anything else
        assert "briefing" in feed.headers["user-agent"].lower()
        if m.day == 1:
            assert "if-none-match" not in feed.headers
            assert "if-modified-since" not in feed.headers
        else:
            assert feed.headers["if-none-match"] == f'"day-{m.day - 1}"'
            since = dt.datetime.combine(days.DAYS[m.day - 2], dt.time(6), dt.UTC)
            from email.utils import parsedate_to_datetime

            assert parsedate_to_datetime(feed.headers["if-modified-since"]) == since


def test_day1_stories_are_new(mornings):
    doc = mornings[0].doc
    stories = days.by_story(doc)
    assert sorted(stories) == ["A", "B"]
    for event in doc["events"]:
        assert event["status"] == "new"
        assert event["previous"] is None and event["new_articles"] == []
    assert doc["gone"] == []


def test_day2_fire_is_developing_screensaver_new_election_unchanged(mornings):
    day1, day2 = days.by_story(mornings[0].doc), days.by_story(mornings[1].doc)
    assert sorted(day2) == ["A", "B", "C"]
    a = day2["A"]
    days.assert_develops(a, day1["A"], "A", day=2)
    assert len(a["articles"]) == 5
    assert a["whats_new"] is not None
    assert set(a["whats_new"]["citations"]) <= set(a["new_articles"])
    assert day2["C"]["status"] == "new" and day2["C"]["previous"] is None
    b = day2["B"]
    assert b["status"] == "unchanged" and b["new_articles"] == [] and b["whats_new"] is None
    assert b["previous"]["date"] == "2024-03-04"


def test_day3_screensaver_develops_other_fire_is_new_election_gone(mornings):
    day2, day3 = days.by_story(mornings[1].doc), days.by_story(mornings[2].doc)
    assert sorted(day3) == ["A", "C", "D"]
    c = day3["C"]
    days.assert_develops(c, day2["C"], "C", day=3)
    assert c["whats_new"] is not None
    d = day3["D"]  # the Wellington fire: not story A
    assert d["status"] == "new" and d["previous"] is None and d["new_articles"] == []
    assert day3["A"]["status"] == "unchanged"
    assert day3["A"]["previous"]["date"] == "2024-03-05"
    assert mornings[2].doc["gone"] == [
        {"headline": day2["B"]["headline"], "date": "2024-03-05", "briefing": "2024-03-05.html"}
    ]


def test_articles_carry_the_feed_and_page_metadata(mornings):
    """Dates from the feed, outlets from the pages (the feed's title for a page naming none)."""
    by_title = {a["title"]: a for d in (1, 2, 3) for a in days.articles(d)}
    for m in mornings:
        for event in m.doc["events"]:
            for x in event["articles"]:
                a = by_title[x["title"]]
                assert x["date"] == a["date"]
                assert x["source"] == (a["source"] or "Scenario news")
                assert x["url"].endswith("/news/" + days.slug(a))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))


def _links(path: Path) -> list[dict[str, str | None]]:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    return parser.links


def test_archive_lists_the_three_briefings_and_links_them(mornings):
    out = mornings[-1].out

    def nav(name: str) -> dict[str, str | None]:
        return {a["rel"]: a["href"] for a in _links(out / name)
                if a.get("rel") in ("prev", "next") and "class" in a}

    assert nav("2024-03-04.html") == {"next": "2024-03-05.html"}
    assert nav("2024-03-05.html") == {"prev": "2024-03-04.html", "next": "2024-03-06.html"}
    assert nav("2024-03-06.html") == {"prev": "2024-03-05.html"}
    assert [a["href"] for a in _links(out / "index.html")] == [
        "2024-03-06.html", "2024-03-05.html", "2024-03-04.html"
    ]
    index = (out / "index.html").read_text("utf-8")
    for m in mornings:
        assert str(escape(m.doc["events"][0]["headline"])) in index
