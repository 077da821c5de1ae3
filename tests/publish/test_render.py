"""Tests for briefing.publish.render: JSON shape, Markdown and HTML output, escaping, writing.

Regenerate the golden files after an intended change to the templates with
``python -m tests.publish.test_render`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import markdown
import pytest

from briefing.errors import BriefingError, ConfigError, OutputError, TemplateNotFoundError
from briefing.publish.render import (
    briefing_to_dict,
    date_span,
    http_url,
    make_environment,
    markdown_to_html,
    md_code,
    md_escape,
    render_html,
    render_json,
    render_markdown,
    write_outputs,
)
from briefing.records import (
    Article,
    Briefing,
    BriefingEvent,
    Dropped,
    Event,
    Evidence,
    Sentence,
    Skipped,
    Source,
    Stats,
    Summary,
)

GOLDEN = Path(__file__).parents[1] / "data" / "render"
HOSTILE_TITLE = "<script>alert(1)</script> & {{ 7*7 }}"
HOSTILE_SENTENCE = "Police said <img src=x onerror=alert(1)> {% for x in y %}done{% endfor %}."


def make_article(key: str, **fields) -> Article:
    """Build an article with id ``b2:<key>`` and plain defaults."""
    values = {"title": f"Title {key}", "text": "Body.", "path": f"corpus/{key}.txt"}
    return Article(id=f"b2:{key}", **(values | fields))


def make_briefing(*, hostile: bool = False) -> Briefing:
    """Build a small briefing by hand: two events, a duplicate, a skipped input."""
    a1 = make_article(
        "a1",
        title="Rates rise again",
        source="Reuters",
        url="https://www.reuters.com/markets/rates",
        date=dt.date(2022, 12, 21),
        duplicates=(Source("corpus/a1-copy.txt", "Yahoo News", "https://news.yahoo.com/x"),),
    )
    a2 = make_article("a2", title="Markets shrug", source="Financial Times", author="J. Doe")
    a3 = make_article("a3", title="Mortgage explainer", date=dt.date(2022, 12, 20))
    first = BriefingEvent(
        event=Event("ev1", (a1, a2, a3)),
        summary=Summary(
            headline="Central bank raises rates",
            sentences=(
                Sentence(
                    "The bank raised rates.",
                    ("b2:a1", "b2:a3"),
                    (Evidence("b2:a1", "Rates went up by half a point.", 0.875),),
                ),
                Sentence("Markets barely moved.", ("b2:a2",)),
                Sentence("Zürich banks followed.", ()),
            ),
            backend="extractive",
            dropped=(Dropped("The governor resigned.", "unsupported"),),
        ),
        rank=1,
    )
    title, sentence = (HOSTILE_TITLE, HOSTILE_SENTENCE) if hostile else ("Storm hits", "Winds.")
    url = "javascript:alert(1)" if hostile else "http://bbc.co.uk/news/1"
    b1 = make_article("b1", title=title, source="BBC *News*", url=url, date=dt.date(2022, 12, 21))
    second = BriefingEvent(
        event=Event("ev2", (b1,)),
        summary=Summary("Storm " + title, (Sentence(sentence, ("b2:b1",)),), "extractive"),
        rank=2,
    )
    return Briefing(
        date=dt.date(2022, 12, 21),
        generated_at=dt.datetime(2022, 12, 21, 7, 30, tzinfo=dt.UTC),
        backend="extractive",
        events=(second, first),  # out of order on purpose: output follows rank
        skipped=(Skipped("corpus/broken.pdf", "unsupported file type .pdf"),),
        stats=Stats(read=5, duplicates=1, events=2, skipped=1),
    )


class _Page(HTMLParser):
    """Collect tags, ids, hrefs, attributes and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_data(self, data):
        self.text.append(data)

    def values(self, name: str, tag: str | None = None) -> list[str]:
        return [v or "" for t, k, v in self.attrs if k == name and tag in (None, t)]


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


# -- JSON --------------------------------------------------------------------


def test_json_document_shape():
    doc = json.loads(render_json(make_briefing()))
    assert list(doc) == [
        "date", "generated_at", "backend", "title", "stats", "events", "skipped", "gone",
        "limits",
    ]
    assert doc["date"] == "2022-12-21"
    assert doc["generated_at"] == "2022-12-21T07:30:00Z"
    assert doc["title"] == "Briefing for Wednesday, 21 December 2022"
    stats = {"read": 5, "duplicates": 1, "events": 2, "skipped": 1, "out_of_window": 0}
    assert doc["stats"] == stats
    assert [e["rank"] for e in doc["events"]] == [1, 2]
    event = doc["events"][0]
    assert list(event) == (
        "id headline rank backend digest sentences dropped input_cut articles".split()
    )
    assert event["digest"] == "The bank raised rates. Markets barely moved. Zürich banks followed."
    assert event["sentences"][0] == {
        "text": "The bank raised rates.",
        "citations": ["b2:a1", "b2:a3"],
        "evidence": [
            {"article_id": "b2:a1", "sentence": "Rates went up by half a point.", "score": 0.875}
        ],
    }
    assert event["dropped"] == [{"text": "The governor resigned.", "reason": "unsupported"}]
    article = event["articles"][0]
    assert list(article) == "id title source author date url path duplicates truncated".split()
    assert article["duplicates"] == [
        {"path": "corpus/a1-copy.txt", "source": "Yahoo News", "url": "https://news.yahoo.com/x"}
    ]
    assert event["articles"][1]["date"] is None and event["articles"][1]["url"] is None
    assert doc["skipped"] == [{"path": "corpus/broken.pdf", "reason": "unsupported file type .pdf"}]
    assert doc["limits"] == [] and event["input_cut"] is None and article["truncated"] is None


def test_json_is_unicode_indented_and_deterministic():
    text = render_json(make_briefing())
    assert "Zürich" in text and text.startswith('{\n  "date"') and text.endswith("}\n")
    assert text == render_json(make_briefing())
    assert briefing_to_dict(make_briefing()) == json.loads(text)


def test_json_converts_generated_at_to_utc():
    paris = dt.timezone(dt.timedelta(hours=1))
    b = make_briefing()
    b = Briefing(b.date, dt.datetime(2022, 12, 21, 8, 30, 5, 123, tzinfo=paris), "x", ())
    assert briefing_to_dict(b)["generated_at"] == "2022-12-21T07:30:05Z"


# -- golden files ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_output_matches_golden_file(fmt):
    rendered = {"md": render_markdown, "html": render_html, "json": render_json}[fmt]
    assert rendered(make_briefing()) == (GOLDEN / f"briefing.{fmt}").read_text("utf-8")


# -- Markdown ----------------------------------------------------------------


def test_markdown_numbers_citations_per_event():
    md = render_markdown(make_briefing())
    assert md.startswith("# Briefing for Wednesday, 21 December 2022\n\n")
    assert "2 events from 4 articles, 1 skipped." in md
    assert "The bank raised rates.[1][3] Markets barely moved.[2] Zürich banks followed." in md
    assert "Winds.[1]" in md
    assert md.index("## 1. Central bank") < md.index("## 2. Storm")
    lines = md.splitlines()
    reuters = '1. Reuters — "Rates rise again" (2022-12-21) <https://www.reuters.com/markets/rates>'
    assert reuters in lines
    assert "    - also: Yahoo News, <https://news.yahoo.com/x>" in lines
    assert '2. Financial Times — "Markets shrug" (undated) `corpus/a2.txt`' in lines
    assert '3. "Mortgage explainer" (2022-12-20) `corpus/a3.txt`' in lines
    assert "- `corpus/broken.pdf` — unsupported file type .pdf" in lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words", "plain words"),
        ("*bold* _it_ `code`", r"\*bold\* \_it\_ \`code\`"),
        ("[link](javascript:x) ![img](x)", r"\[link\](javascript:x) \!\[img\](x)"),
        ("<b>a & b</b>", "&lt;b&gt;a & b&lt;/b&gt;"),
        ("&lt; &#60; &amp; AT&T", r"&amp;lt; &amp;\#60; &amp;amp; AT&T"),
        ("line one\n# heading\n\n- item", r"line one \# heading - item"),
        ("1. not a list", r"1\. not a list"),
        ("- not a list", r"\- not a list"),
        ("Issue #5", r"Issue \#5"),
        ("{{ 7*7 }} {% for x in y %}", r"{{ 7\*7 }} {% for x in y %}"),
    ],
)
def test_md_escape(text, expected):
    assert md_escape(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a/b.txt", "`a/b.txt`"), ("a`b", "``a`b``"), ("`x", "`` `x ``"), ("a\nb", "`a b`")],
)
def test_md_code(text, expected):
    assert md_code(text) == expected


def _markdown_it(text: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").render(text)


@pytest.mark.parametrize("convert", [markdown.markdown, _markdown_it], ids=["python", "commonmark"])
def test_markdown_article_text_stays_text_when_converted(convert):
    md = render_markdown(make_briefing(hostile=True))
    assert "{{ 7\\*7 }}" in md and "{% for x in y %}done{% endfor %}" in md
    page = parse(convert(md))
    assert not {"script", "img", "em", "strong"} & set(page.tags)
    assert all(h.startswith(("https://", "http://")) for h in page.values("href"))
    assert not any(k.startswith("on") for _, k, _ in page.attrs)
    text = "".join(page.text)
    assert "<script>alert(1)</script> & {{ 7*7 }}" in text
    assert "<img src=x onerror=alert(1)> {% for x in y %}done{% endfor %}." in text
    assert "BBC *News*" in text and "49" not in text


# -- HTML --------------------------------------------------------------------


def test_html_is_a_self_contained_accessible_page():
    html = render_html(make_briefing())
    page = parse(html)
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert page.values("charset", "meta") == ["utf-8"]
    csp = page.values("content", "meta")
    assert (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    ) in csp
    assert "width=device-width, initial-scale=1" in csp
    assert {"header", "main", "footer", "style"} <= set(page.tags)
    assert page.tags.count("article") == 2
    assert not {"script", "link", "img", "iframe"} & set(page.tags)
    assert not page.values("src")
    headings = [t for t in page.tags if t in ("h1", "h2", "h3", "h4")]
    # event 1 spans two days: Timeline and Sources; event 2: Sources; last: "Skipped inputs"
    assert headings == ["h1", "h2", "h3", "h3", "h2", "h3", "h2"]
    text = "".join(page.text)
    assert "Briefing for Wednesday, 21 December 2022" in text
    assert "3 sources · 3 outlets · 20–21 Dec 2022" in text
    assert "@media (prefers-color-scheme: dark)" in html and "@media print" in html


def test_html_citations_link_to_numbered_sources():
    page = parse(render_html(make_briefing()))
    ids = set(page.values("id"))
    cites = [h for t, k, h in page.attrs if k == "href" and h and h.startswith("#")]
    assert cites == ["#e1-s1", "#e1-s3", "#e1-s2", "#e2-s1"]
    assert all(c[1:] in ids for c in cites)
    assert {"e1-s1", "e1-s2", "e1-s3", "e2-s1"} <= ids


def test_html_escapes_hostile_article_text():
    html = render_html(make_briefing(hostile=True))
    page = parse(html)
    assert page.tags.count("script") == 0 and "img" not in page.tags
    assert not any(k.startswith("on") for _, k, _ in page.attrs)
    hrefs = page.values("href")
    assert all(h.startswith(("#", "https://", "http://")) for h in hrefs)
    assert "javascript:alert(1)" not in hrefs
    text = "".join(page.text)
    assert "49" not in text and not any("49" in (v or "") for _, _, v in page.attrs)
    assert "<script>alert(1)</script> & {{ 7*7 }}" in text
    assert "<img src=x onerror=alert(1)> {% for x in y %}done{% endfor %}." in text
    assert "javascript:alert(1)" in text  # shown as text, never as a link
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/a?b=1&c=2", True),
        ("HTTP://example.com", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>", False),
        ("vbscript:msgbox", False),
        ("//example.com/x", False),
        ("/relative/path", False),
        ('https://example.com/"onmouseover="x', False),
        ("https://exa mple.com", False),
        ("http://[::1", False),
        ("", False),
        (None, False),
    ],
)
def test_http_url(url, ok):
    assert http_url(url) == (url if ok else None)


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ([], ""),
        ([dt.date(2022, 12, 21)], "21 Dec 2022"),
        ([dt.date(2022, 12, 21), dt.date(2022, 12, 20)], "20–21 Dec 2022"),
        ([dt.date(2022, 11, 30), dt.date(2022, 12, 2)], "30 Nov – 2 Dec 2022"),
        ([dt.date(2022, 12, 31), dt.date(2023, 1, 1)], "31 Dec 2022 – 1 Jan 2023"),
    ],
)
def test_date_span(dates, expected):
    articles = [make_article(str(i), date=d) for i, d in enumerate(dates)] + [make_article("x")]
    assert date_span(articles) == expected


def test_markdown_to_html_sanitises():
    html = str(
        markdown_to_html(
            "Hi *there* <script>alert(1)</script> [x](javascript:alert(1)) [y](https://ok.example)"
            ' <img src=x onerror="alert(1)">'
        )
    )
    page = parse(html)
    assert set(page.tags) == {"p", "em", "a"}
    assert page.values("href") == ["https://ok.example"]
    assert "onerror" not in html and "<script" not in html


# -- templates ---------------------------------------------------------------


def test_user_template_extends_builtin(tmp_path):
    (tmp_path / "briefing.md.j2").write_text(
        '{% extends "builtin:briefing.md.j2" %}{% block footer %}\nMy footer.\n{% endblock %}'
    )
    md = render_markdown(make_briefing(), env=make_environment([tmp_path]))
    assert md.startswith("# Briefing for Wednesday")
    assert md.endswith("\nMy footer.\n") and "Generated" not in md


def test_user_html_template_is_autoescaped_and_can_use_markdown(tmp_path):
    (tmp_path / "briefing.html.j2").write_text(
        '{% extends "builtin:briefing.html.j2" %}'
        '{% block intro %}{{ "Read *this* <b>first</b>"|markdown }}{{ "<i>x</i>" }}{% endblock %}'
    )
    html = render_html(make_briefing(), env=make_environment([tmp_path]))
    assert "<p>Read <em>this</em> first</p>&lt;i&gt;x&lt;/i&gt;" in html


def test_missing_template_lists_searched_folders(tmp_path):
    (tmp_path / "briefing.md.j2").write_text('{% include "nowhere.j2" %}')
    with pytest.raises(TemplateNotFoundError) as info:
        render_markdown(make_briefing(), env=make_environment([tmp_path]))
    message = str(info.value)
    assert "'nowhere.j2' not found" in message and str(tmp_path) in message
    assert "templates" in message


def test_missing_template_folder_is_reported_early(tmp_path):
    with pytest.raises(ConfigError, match="template folder not found: .*nope"):
        make_environment([tmp_path, tmp_path / "nope"])


def test_template_errors_become_briefing_errors(tmp_path):
    (tmp_path / "briefing.md.j2").write_text("{{ briefing.nonexistent }}")
    with pytest.raises(BriefingError, match="nonexistent"):
        render_markdown(make_briefing(), env=make_environment([tmp_path]))
    (tmp_path / "briefing.md.j2").write_text("{% if %}")
    with pytest.raises(BriefingError, match="line 1"):
        render_markdown(make_briefing(), env=make_environment([tmp_path]))


def test_environment_autoescapes_html_only():
    env = make_environment()
    assert isinstance(env.undefined, type) and issubclass(env.undefined, jinja2.StrictUndefined)
    assert env.autoescape("briefing.html.j2") is True
    assert env.autoescape("builtin:briefing.html.j2") is True
    assert env.autoescape("briefing.md.j2") is False


# -- writing -----------------------------------------------------------------


def test_write_outputs_creates_folder_and_files(tmp_path):
    out = tmp_path / "new" / "nested"
    paths = write_outputs(make_briefing(), out, ["md", "html", "json", "md"])
    assert [p.name for p in paths] == ["2022-12-21.md", "2022-12-21.html", "2022-12-21.json"]
    assert sorted(os.listdir(out)) == sorted(p.name for p in paths)  # no temp files left
    assert json.loads(paths[2].read_text("utf-8"))["date"] == "2022-12-21"


def test_write_outputs_replaces_existing_file(tmp_path):
    (tmp_path / "2022-12-21.md").write_text("old")
    write_outputs(make_briefing(), tmp_path, ["md"])
    assert (tmp_path / "2022-12-21.md").read_text("utf-8").startswith("# Briefing")
    assert os.listdir(tmp_path) == ["2022-12-21.md"]


def test_write_failure_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    (tmp_path / "2022-12-21.md").write_text("old")

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match="cannot write .*No space left"):
        write_outputs(make_briefing(), tmp_path, ["md"])
    assert os.listdir(tmp_path) == ["2022-12-21.md"]
    assert (tmp_path / "2022-12-21.md").read_text() == "old"


def test_output_folder_blocked_by_a_file(tmp_path):
    (tmp_path / "taken").write_text("")
    with pytest.raises(OutputError, match="cannot create output folder"):
        write_outputs(make_briefing(), tmp_path / "taken" / "out", ["md"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_output_folder(tmp_path):
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write"):
            write_outputs(make_briefing(), tmp_path, ["md"])
    finally:
        tmp_path.chmod(0o700)


def test_unwritable_folder_gives_output_error(tmp_path, monkeypatch):
    """Simulate the read-only case, which root (as in CI containers) never hits."""

    def deny(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(OutputError, match="cannot write .*2022-12-21.md: Permission denied"):
        write_outputs(make_briefing(), tmp_path, ["md"])


def test_unknown_format_is_rejected(tmp_path):
    with pytest.raises(ConfigError, match="unknown output format pdf"):
        write_outputs(make_briefing(), tmp_path, ["md", "pdf"])
    assert not list(tmp_path.iterdir())


if __name__ == "__main__":  # regenerate the golden files
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for fmt, fn in {"md": render_markdown, "html": render_html, "json": render_json}.items():
        (GOLDEN / f"briefing.{fmt}").write_text(fn(make_briefing()), "utf-8")
