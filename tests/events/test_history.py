"""Three days of briefings: new, developing, unchanged and gone stories, what's new, timeline.

The corpus is tests/days.py: day 1 has stories A (a supermarket fire in Banstead) and
B (an election); day 2 more on A and a new C; day 3 more on C and D, another fire at
the same chain in another town, which must not pass for A; B is gone. Built with the
extractive backend wrapped in a counting backend, in a real SQLite file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from briefing.events.history import MAX_PAUSE_DAYS, NEAR_PAUSE_DAYS
from briefing.records import Article, Draft
from briefing.summarize.backends.extractive import ExtractiveSummarizer
from briefing.summarize.registry import register
from tests import days


class CountingSummarizer(ExtractiveSummarizer):
    """The extractive backend, recording the titles of every call's articles."""

    name = "counting"
    calls: list[tuple[str, frozenset[str]]] = []

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        self.calls.append(("digest", frozenset(a.title for a in articles)))
        return super().summarize(articles, max_words=max_words)

    def summarize_update(self, articles: Sequence[Article], *, max_words: int) -> str:
        self.calls.append(("update", frozenset(a.title for a in articles)))
        return super().summarize_update(articles, max_words=max_words)


@pytest.fixture(autouse=True, scope="module")
def counting_backend():
    """Register the counting backend for this module only (other tests list the backends)."""
    from briefing.summarize.registry import _REGISTRY

    register("counting", CountingSummarizer)
    yield
    _REGISTRY.pop("counting", None)


def _doc(root: Path, day: int) -> dict:
    return json.loads((root / "out" / f"{days.DAYS[day - 1]}.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """Build days 1, 2 and 3; record the summarizer calls of each build."""
    root = tmp_path_factory.mktemp("days")
    calls = []
    for day in (1, 2, 3):
        CountingSummarizer.calls.clear()
        days.build_day(root, day, backend="counting")
        calls.append(list(CountingSummarizer.calls))
    return root, calls


def test_day1_everything_is_new(scenario):
    root, _ = scenario
    doc = _doc(root, 1)
    stories = days.by_story(doc)
    assert sorted(stories) == ["A", "B"]
    for event in doc["events"]:
        assert event["status"] == "new"
        assert event["previous"] is None and event["new_articles"] == []
        assert event["whats_new"] is None
    assert doc["gone"] == []


def test_day2_developing_story_links_to_day1(scenario):
    root, _ = scenario
    day1, day2 = days.by_story(_doc(root, 1)), days.by_story(_doc(root, 2))
    assert sorted(day2) == ["A", "B", "C"]
    a = day2["A"]
    days.assert_develops(a, day1["A"], "A", day=2)
    assert len(a["new_articles"]) == 3 and len(a["articles"]) == 5
    # what's new: one sentence from the new articles only, cited from them, with evidence
    whats_new = a["whats_new"]
    assert whats_new["citations"] and set(whats_new["citations"]) <= set(a["new_articles"])
    assert whats_new["evidence"][0]["score"] >= 0.55
    texts = [x["text"] for d in (2,) for x in days.articles(d) if x["story"] == "A"]
    assert any(whats_new["text"] in t for t in texts)
    assert day2["C"]["status"] == "new"
    b = day2["B"]  # still in the window, nothing new: unchanged
    assert b["status"] == "unchanged" and b["new_articles"] == [] and b["whats_new"] is None
    assert b["previous"]["date"] == "2024-03-04"


def test_day3_similar_fire_is_new_and_election_is_gone(scenario):
    root, _ = scenario
    day2, day3 = days.by_story(_doc(root, 2)), days.by_story(_doc(root, 3))
    assert sorted(day3) == ["A", "C", "D"]
    c = day3["C"]
    days.assert_develops(c, day2["C"], "C", day=3)
    assert c["whats_new"] is not None
    d = day3["D"]  # the Wellington fire: same chain, same kind of event, not story A
    assert d["status"] == "new" and d["previous"] is None
    assert day3["A"]["status"] == "unchanged"
    assert day3["A"]["previous"]["date"] == "2024-03-05"
    gone = _doc(root, 3)["gone"]
    assert gone == [
        {"headline": day2["B"]["headline"], "date": "2024-03-05", "briefing": "2024-03-05.html"}
    ]


def test_unchanged_events_are_not_summarized_again(scenario):
    _, calls = scenario
    story_b = frozenset(days.story_titles("B"))
    assert ("digest", story_b) in calls[0]
    assert all(titles != story_b for _, titles in calls[1])  # day 2: B unchanged, cached
    # day 2: digests of A (5 articles) and C; what's new of A from its 3 new articles only
    assert sorted((kind, len(t)) for kind, t in calls[1]) == [
        ("digest", 2), ("digest", 5), ("update", 3)
    ]
    new_a = frozenset(days.story_titles("A") - days.story_titles("A", upto=1))
    assert ("update", new_a) in calls[1]


def test_rebuilding_a_date_matches_only_earlier_briefings(scenario, tmp_path):
    root, _ = scenario
    before = _doc(root, 3)
    CountingSummarizer.calls.clear()
    days.build_day(root, 3, backend="counting")
    assert CountingSummarizer.calls == []  # digests and what's new all cached
    after = _doc(root, 3)
    statuses = [(e["headline"], e["status"], e["previous"]) for e in after["events"]]
    assert statuses == [(e["headline"], e["status"], e["previous"]) for e in before["events"]]
    assert after["gone"] == before["gone"]
    # rebuilding day 2 after day 3 still compares it with day 1, never with day 3
    days.build_day(root, 2, backend="counting")
    assert {e["status"] for e in _doc(root, 2)["events"]} == {"developing", "unchanged", "new"}
    assert {e["previous"]["date"] for e in _doc(root, 2)["events"] if e["previous"]} == {
        "2024-03-04"
    }


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.sections: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs)
        if tag == "section":
            self.sections.append(attrs.get("class") or "")


def _links(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    return parser


def test_timeline_lists_the_days_of_a_developing_story(scenario):
    root, _ = scenario
    md = (root / "out" / "2024-03-05.md").read_text("utf-8")
    assert md.count("### Timeline") == 1  # only A spans two days
    block = md.split("### Timeline")[1].split("### Sources")[0]
    rows = [line for line in block.splitlines() if line.startswith("- ")]
    assert [r[2:12] for r in rows] == ["2024-03-04"] * 2 + ["2024-03-05"] * 3
    html = (root / "out" / "2024-03-05.html").read_text("utf-8")
    assert html.count('<section class="timeline"') == 1
    assert '<time datetime="2024-03-04">4 Mar 2024</time>' in html
    assert "timeline" not in _links(root / "out" / "2024-03-04.html").sections


def test_markdown_and_html_show_status_and_whats_new(scenario):
    root, _ = scenario
    md = (root / "out" / "2024-03-05.md").read_text("utf-8")
    assert "**Developing** since the briefing of [4 Mar 2024](<2024-03-04.html>)" in md
    assert "*What's new:* " in md and "**New**" in md and "**Unchanged**" in md
    html = (root / "out" / "2024-03-05.html").read_text("utf-8")
    assert '<span class="badge developing">Developing</span>' in html
    assert '<a href="2024-03-04.html" rel="prev">4 Mar 2024</a>' in html
    assert "What’s new:" in html
    day3 = (root / "out" / "2024-03-06.md").read_text("utf-8")
    assert "## No longer covered" in day3


def test_briefings_link_previous_and_next_and_the_archive(scenario):
    root, _ = scenario
    out = root / "out"

    def nav(name: str) -> dict[str, str]:
        return {a["rel"]: a["href"] for a in _links(out / name).links
                if a.get("rel") in ("prev", "next") and "class" in a}

    assert nav("2024-03-04.html") == {"next": "2024-03-05.html"}
    assert nav("2024-03-05.html") == {"prev": "2024-03-04.html", "next": "2024-03-06.html"}
    assert nav("2024-03-06.html") == {"prev": "2024-03-05.html"}
    index = _links(out / "index.html")
    hrefs = [a["href"] for a in index.links]
    assert hrefs == ["2024-03-06.html", "2024-03-05.html", "2024-03-04.html"]
    text = (out / "index.html").read_text("utf-8")
    assert "default-src 'none'" in text and "<script" not in text
    for doc in (_doc(root, d) for d in (1, 2, 3)):
        for event in doc["events"][:3]:
            assert str(escape(event["headline"])) in text


def _articles(story: str, day: int, *, shift: int = 0) -> tuple[Article, ...]:
    import datetime as dt

    from briefing.text import content_id

    return tuple(
        Article(id=content_id(a["text"]), title=a["title"], text=a["text"], path=a["file"],
                date=dt.date.fromisoformat(a["date"]) + dt.timedelta(days=shift),
                source=a["source"], url=a["url"])
        for a in days.articles(day)
        if a["story"] == story
    )


def _match_days_2_and_3(shift: int, **options: object) -> dict[str, str]:
    """Match day 2's A and day 3's D, ``shift`` days later, against day 1's A and B."""
    import numpy as np

    from briefing.events.embed import embed_articles
    from briefing.events.history import match_by_similarity
    from briefing.records import EarlierEvent, Event

    a1, b1 = _articles("A", 1), _articles("B", 1)
    today = {"A": Event("A", _articles("A", 2, shift=shift)),
             "D": Event("D", _articles("D", 3, shift=shift - 1))}
    earlier = [
        EarlierEvent(1, days.DAYS[0], "A", tuple(a.id for a in a1), "A", 1),
        EarlierEvent(1, days.DAYS[0], "B", tuple(a.id for a in b1), "B", 2),
    ]
    everything = [*a1, *b1, *today["A"].articles, *today["D"].articles]
    matrix = embed_articles(everything)
    vectors = {a.id: np.asarray(matrix[n]) for n, a in enumerate(everything)}
    matches = match_by_similarity(
        list(today.values()), earlier, {a.id: a for a in (*a1, *b1)}, vectors=vectors,
        **options,  # type: ignore[arg-type]
    )
    return {k: m.earlier.event_id for k, m in matches.items()}


@pytest.mark.parametrize(
    "shift, expected",
    [(0, {"A": "A"}), (NEAR_PAUSE_DAYS + 1, {"A": "A"}), (MAX_PAUSE_DAYS + 1, {})],
)
def test_similarity_matches_a_continuing_story_but_not_a_similar_one(shift, expected):
    """Without shared articles: day 2's new A articles match day 1's A (after a long pause
    too, as they name Banstead like day 1's, but not after more than MAX_PAUSE_DAYS); D,
    a fire at the same chain, never does."""
    assert _match_days_2_and_3(shift) == expected


@pytest.mark.parametrize(
    "shift, near_pause_days, expected",
    [
        (0, NEAR_PAUSE_DAYS, {"A": "A", "D": "A"}),
        (NEAR_PAUSE_DAYS + 1, NEAR_PAUSE_DAYS, {"A": "A"}),
        (NEAR_PAUSE_DAYS + 1, MAX_PAUSE_DAYS, {"A": "A", "D": "A"}),
    ],
)
def test_after_a_long_pause_the_names_must_agree(shift, near_pause_days, expected):
    """With a match threshold low enough for D (the Wellington fire) to pass for A by
    similarity alone, it does a few days later; after more than NEAR_PAUSE_DAYS the names
    must agree too, and Wellington is not Banstead (unless the pause counts as near)."""
    assert _match_days_2_and_3(shift, threshold=0.2, near_pause_days=near_pause_days) == expected


def test_scenario_feed_and_pages_read_back_as_the_articles(tmp_path):
    """The feed snapshot and article pages of tests/days.py (for a fetch scenario) are valid."""
    from briefing.ingest.readers import ingest

    (tmp_path / "feed.xml").write_text(days.feed_xml(3, "http://127.0.0.1:8000", upto_only=False))
    items = ingest([tmp_path / "feed.xml"]).articles
    expected = [a for d in (1, 2, 3) for a in days.articles(d)]
    assert sorted((a.title, a.date.isoformat(), a.url) for a in items) == sorted(
        (a["title"], a["date"], "http://127.0.0.1:8000/" + days.slug(a)) for a in expected
    )
    article = days.articles(3)[-1]
    (tmp_path / days.slug(article)).write_text(days.page_html(article), "utf-8")
    (page,) = ingest([tmp_path / days.slug(article)]).articles
    assert page.title == article["title"]
    assert article["text"].splitlines()[0].strip() in page.text
    assert "Copyright" not in page.text and "Home" not in page.text


def test_scenario_json_reads_back_unchanged(scenario):
    from briefing.publish.jsonio import briefing_from_dict
    from briefing.publish.render import briefing_to_dict

    root, _ = scenario
    for day in (1, 2, 3):
        doc = _doc(root, day)
        assert briefing_to_dict(briefing_from_dict(doc)) == doc


@pytest.mark.parametrize("named_threshold, expected", [(0.0, {"A": "A"}), (1.0, {})])
def test_below_the_threshold_the_lead_names_decide(named_threshold, expected):
    """With the similarity out of the way (threshold 1), day 2's A articles, which name
    Banstead like day 1's, continue A; D, the fire in Wellington, does not. Without the
    names' way in (named_threshold 1), nothing matches."""
    import numpy as np

    from briefing.events.embed import embed_articles
    from briefing.events.history import match_by_similarity
    from briefing.records import EarlierEvent, Event

    a1 = _articles("A", 1)
    today = {"A": Event("A", _articles("A", 2)), "D": Event("D", _articles("D", 3, shift=-1))}
    earlier = [EarlierEvent(1, days.DAYS[0], "A", tuple(a.id for a in a1), "A", 1)]
    everything = [*a1, *today["A"].articles, *today["D"].articles]
    matrix = embed_articles(everything)
    vectors = {a.id: np.asarray(matrix[n]) for n, a in enumerate(everything)}
    matches = match_by_similarity(
        list(today.values()), earlier, {a.id: a for a in a1}, vectors=vectors,
        threshold=1.0, named_threshold=named_threshold,
    )
    assert {k: m.earlier.event_id for k, m in matches.items()} == expected
