"""Tests for briefing.publish.archive and the history parts of the JSON document and templates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from briefing.publish.archive import nav_for, scan, update_archive
from briefing.publish.jsonio import briefing_from_dict, load_briefing
from briefing.publish.render import briefing_to_dict, render_html, render_markdown, write_outputs
from briefing.records import Gone, History, Previous, Sentence

from .test_render import HOSTILE_TITLE, make_briefing


def with_history(day: dt.date, *, hostile: bool = False):
    """Return the test briefing dated ``day``, its events developing and new, one gone."""
    b = make_briefing(hostile=hostile)
    text = HOSTILE_TITLE if hostile else "Rates went up again"
    first, second = sorted(b.events, key=lambda i: i.rank)
    history = History(
        status="developing",
        previous=Previous(day - dt.timedelta(days=1), text, f"{day - dt.timedelta(days=1)}.html"),
        new_articles=("b2:a1",),
        whats_new=Sentence(text + ".", ("b2:a1",)),
    )
    return dataclasses.replace(
        b,
        date=day,
        events=(
            dataclasses.replace(first, history=history),
            dataclasses.replace(second, history=History(status="new")),
        ),
        gone=(Gone(text, day - dt.timedelta(days=1), None),),
    )


def test_json_round_trip_keeps_history():
    doc = briefing_to_dict(with_history(dt.date(2024, 3, 5)))
    event = doc["events"][0]
    assert event["status"] == "developing" and event["new_articles"] == ["b2:a1"]
    assert event["previous"] == {
        "date": "2024-03-04", "briefing": "2024-03-04.html", "headline": "Rates went up again"
    }
    assert event["whats_new"]["citations"] == ["b2:a1"]
    assert doc["events"][1]["status"] == "new" and doc["events"][1]["previous"] is None
    assert doc["gone"] == [{"headline": "Rates went up again", "date": "2024-03-04",
                            "briefing": None}]
    assert briefing_to_dict(briefing_from_dict(doc)) == doc


def test_history_text_is_escaped():
    b = with_history(dt.date(2024, 3, 5), hostile=True)
    html = render_html(b)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html.split("<main>")[1]
    md = render_markdown(b)
    assert "<script>" not in md


def test_archive_from_files_reports_bad_ones(tmp_path):
    for n in (4, 5, 6):
        write_outputs(with_history(dt.date(2024, 3, n)), tmp_path, ["html", "json"])
    (tmp_path / "2024-03-07.json").write_text("{not json", "utf-8")
    (tmp_path / "2024-03-08.json").write_text(
        (tmp_path / "2024-03-04.json").read_text("utf-8"), "utf-8"
    )
    (tmp_path / "notes.json").write_text("[]", "utf-8")
    found, notes = scan(tmp_path)
    assert [e.date.day for e, _ in found] == [6, 5, 4]
    assert len(notes) == 2 and "2024-03-08.json" in notes[0] and "2024-03-07.json" in notes[1]
    assert "not a briefing JSON file" in notes[1]
    entries = [e for e, _ in found]
    nav = nav_for(dt.date(2024, 3, 5), entries)
    assert (nav.prev.html, nav.next.html) == ("2024-03-04.html", "2024-03-06.html")
    written, _ = update_archive(tmp_path, dt.date(2024, 3, 5))
    assert [p.name for p in written] == ["2024-03-04.html", "2024-03-06.html", "index.html"]
    assert 'rel="next" href="2024-03-05.html"' in (tmp_path / "2024-03-04.html").read_text()
    index = (tmp_path / "index.html").read_text("utf-8")
    assert index.index("2024-03-06.html") < index.index("2024-03-04.html")
    assert "2024-03-07" not in index
    # the re-rendered neighbour still reads back as the same briefing
    assert load_briefing(tmp_path / "2024-03-04.json").events[0].history.status == "developing"
    json.loads((tmp_path / "2024-03-04.json").read_text("utf-8"))


def test_markdown_status_and_whats_new_are_paragraphs_of_their_own():
    import markdown

    html = markdown.markdown(render_markdown(with_history(dt.date(2024, 3, 5))))
    assert (
        '<p><strong>Developing</strong> since the briefing of <a href="2024-03-04.html">'
        "4 Mar 2024</a>: \"Rates went up again\" · 1 new article</p>"
    ) in html
    assert "<p><em>What's new:</em> Rates went up again.[1]</p>" in html
    assert "<p><strong>New</strong></p>" in html
