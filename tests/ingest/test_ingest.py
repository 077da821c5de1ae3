import datetime as dt
import json
import logging
from pathlib import Path

import pytest

from briefing.errors import ArticleError, InputError
from briefing.ingest.readers import ingest, parse_text, read_file
from briefing.records import Skipped
from briefing.text import content_id
from tests.conftest import ROOT

CORPUS = ROOT / "corpus"

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>Example Wire</title>
  <link>https://wire.example.com/</link>
  <description>World news</description>
  <item>
    <title>Storm hits the coast</title>
    <link>https://wire.example.com/storm</link>
    <author>desk@wire.example.com (Maria Lopez)</author>
    <pubDate>Tue, 20 Dec 2022 23:30:00 -0500</pubDate>
    <description>&lt;p&gt;A storm hit the coast on Tuesday.&lt;/p&gt;
      &lt;p&gt;Thousands lost power.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Markets calm after rate decision</title>
    <link>https://wire.example.com/markets</link>
    <pubDate>Wed, 21 Dec 2022 08:00:00 GMT</pubDate>
    <description>Markets were calm after the central bank held rates.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Times</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2022-12-21T18:30:02Z</updated>
  <entry>
    <title>Bridge reopens after repairs</title>
    <link href="https://times.example.org/bridge"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <published>2022-12-19T09:00:00+01:00</published>
    <updated>2022-12-19T10:00:00+01:00</updated>
    <author><name>Sam Okafor</name></author>
    <content type="html">&lt;p&gt;The bridge reopened on Monday.&lt;/p&gt;
      &lt;script&gt;track()&lt;/script&gt;
      &lt;p&gt;Traffic &amp;amp; buses resumed.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Library extends opening hours</title>
    <link href="https://times.example.org/library"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6b</id>
    <updated>2022-12-20T12:00:00Z</updated>
    <summary>The city library will open until ten at night.</summary>
  </entry>
</feed>
"""

HTML = """<!DOCTYPE html>
<html lang="en"><head><title>Flood waters rise in Valencia | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta name="author" content="Ana Ruiz">
<meta property="article:published_time" content="2024-10-30T08:15:00+01:00">
<link rel="canonical" href="https://example.com/news/valencia-floods">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<header><div class="menu">Subscribe now for unlimited access</div></header>
<article>
<h1>Flood waters rise in Valencia</h1>
<p>Flash floods swept through the region of Valencia on Tuesday night, leaving dozens of
people missing and cutting off roads and railway lines across the east of Spain.</p>
<p>Emergency services said more than a thousand soldiers had been deployed to help with the
rescue effort, and that the rain was expected to continue into Thursday.</p>
<p>The regional government opened shelters in schools and sports halls for families whose
homes had been flooded.</p>
</article>
<footer><p>Copyright 2024 The Daily Example. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>
"""

MARKDOWN = """---
title: Council approves new budget
date: 2022-12-20
source: City Herald
author: Lee Chan
url: https://herald.example/budget
---
# Council approves new budget

The council **approved** the budget on [Tuesday](https://herald.example/tuesday).

- Schools get more money.
- Roads get less.
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_rss_feed_gives_one_article_per_entry(tmp_path):
    path = write(tmp_path, "wire.rss", RSS)
    first, second = read_file(path)
    assert first.path == f"{path}#1" and second.path == f"{path}#2"
    assert first.title == "Storm hits the coast"
    assert first.text == "A storm hit the coast on Tuesday.\n\nThousands lost power."
    assert first.date == dt.date(2022, 12, 20)  # the publisher's local date
    assert (first.source, first.url) == ("Example Wire", "https://wire.example.com/storm")
    assert first.author == "Maria Lopez"
    assert first.id == content_id(first.text)
    assert second.text == "Markets were calm after the central bank held rates."
    assert second.date == dt.date(2022, 12, 21)


def test_atom_feed_gives_one_article_per_entry(tmp_path):
    first, second = read_file(write(tmp_path, "times.atom", ATOM))
    assert first.title == "Bridge reopens after repairs"
    assert first.text == "The bridge reopened on Monday.\n\nTraffic & buses resumed."
    assert (first.date, first.author) == (dt.date(2022, 12, 19), "Sam Okafor")
    assert (first.source, first.url) == ("Example Times", "https://times.example.org/bridge")
    assert second.text == "The city library will open until ten at night."
    assert second.date == dt.date(2022, 12, 20)  # falls back to <updated>


def test_html_page_drops_boilerplate(tmp_path):
    (article,) = read_file(write(tmp_path, "page.html", HTML))
    assert article.title == "Flood waters rise in Valencia"
    assert article.text.startswith("Flash floods swept through the region of Valencia")
    assert article.text.count("\n\n") == 2
    for boilerplate in ("Home", "Subscribe", "Copyright", "Privacy", "Flood waters rise"):
        assert boilerplate not in article.text
    assert (article.date, article.source, article.author) == (
        dt.date(2024, 10, 30),
        "The Daily Example",
        "Ana Ruiz",
    )
    assert article.url == "https://example.com/news/valencia-floods"


def test_markdown_front_matter_and_markup(tmp_path):
    path = write(tmp_path, "budget.md", MARKDOWN)
    (article,) = read_file(path)
    assert article.title == "Council approves new budget"
    assert article.text == (
        "The council approved the budget on Tuesday.\n\nSchools get more money.\n\nRoads get less."
    )
    assert (article.date, article.source, article.author, article.url) == (
        dt.date(2022, 12, 20),
        "City Herald",
        "Lee Chan",
        "https://herald.example/budget",
    )
    assert article.path == str(path)


def test_parse_text_front_matter_with_bad_date_is_undated():
    article = parse_text("---\ntitle: T\ndate: someday\n---\nBody text here.\n", "x.txt")
    assert (article.title, article.text, article.date) == ("T", "Body text here.", None)


def test_json_object(tmp_path):
    obj = {
        "title": "T",
        "content": "Body.",
        "published": "2022-12-20T10:00:00Z",
        "outlet": "Wire",
        "link": "https://w.example/1",
        "author": ["A One", "B Two"],
    }
    path = write(tmp_path, "one.json", json.dumps(obj))
    (article,) = read_file(path)
    assert article.path == str(path)
    assert (article.title, article.text, article.date) == ("T", "Body.", dt.date(2022, 12, 20))
    assert (article.source, article.url, article.author) == (
        "Wire",
        "https://w.example/1",
        "A One, B Two",
    )


def test_json_list_numbers_entries_and_skips_bad_items(tmp_path, caplog):
    items = [{"title": "A", "text": "First."}, {"title": "B"}, "oops", {"body": "Third."}, {}]
    path = write(tmp_path, "list.json", json.dumps(items))
    with caplog.at_level(logging.WARNING):
        corpus = ingest([path])
    # a headline-only item is kept, its title standing in for the text
    assert [a.path for a in corpus.articles] == [f"{path}#1", f"{path}#2", f"{path}#4"]
    assert corpus.articles[1].text == "B"
    assert corpus.articles[2].title == "Third"
    assert corpus.skipped == (
        Skipped(f"{path}#3", "not a JSON object"),
        Skipped(f"{path}#5", "no article text"),
    )
    assert f"{path}#3" in caplog.text and "not a JSON object" in caplog.text


def test_json_text_header_gives_date_and_title(tmp_path):
    obj = {
        "title": "http: / / www. example. com / sox / offer - 1. html",
        "text": "Red Sox offer Teixeira $200 million\nDecember 15th, 2008, 7: 35 am\n"
        "Dan Patrick reported the offer.\nThe Angels had offered less.",
    }
    (article,) = read_file(write(tmp_path, "10_13.json", json.dumps(obj)))
    assert article.title == "Red Sox offer Teixeira $200 million"
    assert article.date == dt.date(2008, 12, 15)
    assert article.text == "Dan Patrick reported the offer.\n\nThe Angels had offered less."
    assert article.url == "http://www.example.com/sox/offer-1.html"


def test_jsonl_keeps_good_lines(tmp_path):
    lines = ['{"title": "A", "text": "First."}', '{"title": "B", "text": ', "", '{"text": "Last."}']
    path = write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    corpus = ingest([path])
    assert [a.path for a in corpus.articles] == [f"{path}#1", f"{path}#4"]
    (skipped,) = corpus.skipped
    assert skipped.path == f"{path}#2" and skipped.reason.startswith("malformed JSON: ")


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n ", "empty file"),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
            "binary file, not text",
        ),
        ("controls.txt", bytes(range(1, 32)) * 20, "binary file, not text"),
        ("cut.json", b'{"title": "A", "text": "Bo', "malformed JSON: Unterminated string"),
        ("shape.json", b'{"headline": "A", "summary": 3}', "JSON has no article text"),
        ("numbers.json", b"[1, 2, 3]", "JSON has no article text"),
        ("broken.xml", b"<rss><channel><title>T</title", "feed has no entries: malformed XML"),
        (
            "empty.rss",
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>',
            "feed has no entries",
        ),
        ("nohtml.html", b"<html><body></body></html>", "no article text"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
        ("fm.md", b"---\ntitle: a: b\n---\nBody.", "malformed YAML front matter at line 2"),
        ("caption.txt", b"Photo: Reuters\n", "no article text"),
    ],
)
def test_bad_file_is_skipped_with_reason(tmp_path, name, content, reason):
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "good.txt", "Headline\n\nA good article body.")
    corpus = ingest([bad, good])
    assert [a.path for a in corpus.articles] == [str(good)]
    (skipped,) = corpus.skipped
    assert skipped.path == str(bad)
    assert skipped.reason.startswith(reason)
    with pytest.raises(ArticleError, match=f"^{bad}: "):
        read_file(bad)


def test_bozo_feed_with_entries_keeps_them(tmp_path):
    feed = RSS.replace("Markets calm", "Markets &nbsp; calm")
    corpus = ingest([write(tmp_path, "bozo.xml", feed)])
    assert len(corpus.articles) == 2 and not corpus.skipped


@pytest.mark.parametrize(
    "content",
    [
        "Café in Zürich\n\nThe naïve façade of the café was repainted.".encode("latin-1"),
        "Café in Zürich — “quotes”\n\nThe naïve façade was repainted.".encode("cp1252"),
        "Café in Zürich\n\nThe naïve façade was repainted.".encode("utf-16"),
        "Café in Zürich\n\nThe naïve façade was repainted.".encode("utf-16-le"),
        "Café in Zürich\n\nThe naïve façade was repainted.".encode("utf-8-sig"),
    ],
)
def test_text_encodings_are_decoded(tmp_path, content):
    (article,) = read_file(write(tmp_path, "enc.txt", content))
    assert article.title.startswith("Café in Zürich")
    assert "naïve façade" in article.text


def test_demo_corpus(tmp_path):
    corpus = ingest([CORPUS], reference_date=dt.date(2022, 12, 21))
    assert len(corpus.articles) == 5 and not corpus.skipped
    dates = [a.date for a in corpus.articles]
    assert dates == [dt.date(2022, 12, 21), None, None, dt.date(2022, 12, 19), None]
    assert corpus.articles[3].source == "Dhaka Times"
    assert len({a.id for a in corpus.articles}) == 5


def test_walk_is_sorted_skips_hidden_and_unknown_and_survives_symlink_loop(tmp_path):
    root = tmp_path / "corpus"
    write(root, "b/inner/deep.txt", "Deep\n\nDeep body.")
    write(root, "a.txt", "A\n\nA body.")
    write(root, "b/z.json", json.dumps({"text": "Zed body."}))
    write(root, ".git/HEAD.txt", "Hidden\n\nHidden body.")
    write(root, ".hidden.txt", "Hidden\n\nHidden body.")
    write(root, "b/notes.docx", b"PK\x03\x04")
    (root / "b" / "inner" / "loop").symlink_to(root, target_is_directory=True)
    (root / "b" / "self").symlink_to(root / "b", target_is_directory=True)
    corpus = ingest([root])
    assert [Path(a.path).relative_to(root).as_posix() for a in corpus.articles] == [
        "a.txt",
        "b/inner/deep.txt",
        "b/z.json",
    ]
    assert corpus.skipped == ()
    assert ingest([root]) == corpus


def test_missing_path_raises(tmp_path):
    with pytest.raises(InputError, match="corpus path not found: .*nowhere"):
        ingest([tmp_path / "nowhere"])


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, "secret.txt", "Title\n\nBody.")

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)
    assert ingest([path]).skipped == (Skipped(str(path), "unreadable: permission denied"),)
