"""A hostile corpus, written by the tests into a folder: every way a file can be bad.

``write_corpus(folder)`` writes the demo articles (the good ones, under ``good/``)
and one file per hostile case, and returns the cases. Each ``Case`` says what a
build must do with it: ``skip`` (listed under ``skipped`` with a reason matching
``reason``) or ``read`` (an article, whose ``title`` matches when given; with
``truncated`` its text is cut to the per-article limit).

Script payloads all do the same four things, so a browser test can tell whether
any of them ran: ``console.log(MARK)``, ``alert(MARK)``, ``document.title = MARK``
and a ``fetch`` of ``BEACON`` (127.0.0.1, nothing listens there).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .conftest import DEMO

MARK = "HOSTILE-RAN"
BEACON = "http://127.0.0.1:9/beacon"
JS = f"console.log('{MARK}');alert('{MARK}');document.title='{MARK}';fetch('{BEACON}')"
HUGE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Case:
    """One hostile input and what a build must do with it."""

    name: str
    path: str  # relative to the corpus folder
    expect: str  # "skip" or "read"
    reason: str = ""  # a regular expression the skip reason must match
    title: str = ""  # a regular expression the article title must match
    truncated: bool = False
    root_readable: bool = False  # as root the file is readable: the case does not apply


def news(topic: str, place: str) -> str:
    """Return a small, plausible news article about ``topic`` in ``place``."""
    return (
        f"Officials in {place} said on Monday that the {topic} would go ahead next month. "
        f"The decision on the {topic} followed weeks of debate among residents of {place}. "
        f"Critics of the {topic} said the cost was too high for a town the size of {place}, "
        "but supporters said the work was long overdue.\n"
    )


HTML = f"""<!doctype html>
<html><head>
<title>Harbour strike &lt;b&gt; <script>{JS}</script> report</title>
<base href="{BEACON}/">
<link rel="canonical" href="javascript:{JS}">
<style>body {{ width: expression(alert('{MARK}')); background: url("{BEACON}.png") }}</style>
<script>{JS}</script>
</head><body onload="{JS}">
<article>
<h1>Harbour workers strike over pay in the port city</h1>
<p>Dock workers in the port city walked out on Monday after talks on pay broke down, the
union said. <img src="x" onerror="{JS}"> <svg onload="{JS}"></svg></p>
<p>The union said <a href="javascript:{JS}">its members</a> would stay out until a new
offer arrived. <iframe src="data:text/html,&lt;script&gt;{JS}&lt;/script&gt;"></iframe></p>
<p style="width: expression(alert('{MARK}'))">Port managers said cargo ships were waiting
outside the harbour and that perishable goods on board were at risk.</p>
<p>Talks between the union and the port authority are due to resume on Thursday, a
spokesperson for the port authority said. <object data="{BEACON}.swf"></object></p>
</article>
</body></html>
"""

MARKDOWN = f"""---
title: "<img src=x onerror=\\"{JS}\\"> Bridge closure {{{{ config }}}}"
url: "javascript:{JS}"
source: "<script>{JS}</script>"
---
The city closed the old river bridge on Tuesday after engineers found cracks in two of
its supports. <script>{JS}</script>

Drivers were told to use the ring road instead, [see the map](javascript:{JS}) and
![map](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) for the detour.

<div onmouseover="{JS}">Engineers said the repairs to the bridge could take three months
and cost about two million dollars.</div>

[link]: javascript:{JS}
"""

JINJA = """{{ config }} and {% for x in range(9) %}{{ x }}{% endfor %} in a title

The council approved {{ config.SECRET_KEY }} the budget {% raw %} for the new library on \
Monday, officials said. Critics said {{ ''.__class__.__mro__[1].__subclasses__() }} the cost \
of the new library was far too high for a small town.
"""

JSON_ARTICLE = {
    "title": f"<svg onload=\"{JS}\"> Reservoir {{{{ config.items() }}}} {{% for a in b %}}",
    "url": f"data:text/html,<script>{JS}</script>",
    "source": "Evil <b>Outlet</b> <script>" + JS + "</script>",
    "author": f"<img src=x onerror=\"{JS}\">",
    "date": "2022-12-20",
    "text": (
        f"Literal markup follows: <script>{JS}</script> and <img src=x onerror=\"{JS}\">. "
        "The water board said on Friday that reservoir levels fell to their lowest point in "
        "a decade after a dry autumn. "
        f'Residents were asked to <a href="javascript:{JS}">save water</a> until the spring '
        "rains arrive, the water board said in a statement."
    ),
}

FEED_BROKEN = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>
<item><title>Unclosed <<< & item</title><description>text"""

FEED_ENTRY_SCRIPT = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Hostile Feed</title>
<item><title>Ferry service resumes after storm</title>
<link>javascript:{JS}</link>
<description><![CDATA[<p>The ferry service to the islands resumed on Sunday after the storm
passed, the operator said.<script>{JS}</script></p><p>Passengers were told to expect
delays of up to an hour while the timetable returned to normal.</p>]]></description>
</item></channel></rss>
"""


def _huge(path: Path) -> None:
    """Write a 50 MB article: a title line, then one line of 50 MB of sentences."""
    sentence = (
        "The long report on the regional rail network said that trains were late on most "
        "days of the year. "
    )
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Rail report runs to fifty megabytes\n\n")
        fh.write(sentence * (HUGE_BYTES // len(sentence)))


def _symlink(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _unreadable(path: Path) -> None:
    path.write_text(news("park renovation", "Lowtown"), encoding="utf-8")
    path.chmod(0)


WRITERS: dict[str, tuple[Case, bytes | Callable[[Path], None]]] = {
    c.name: (c, content)
    for c, content in [
        (Case("empty", "empty.txt", "skip", r"^empty file$"), b""),
        (Case("blank", "blank.md", "skip", r"^empty file$"), b"  \n\t\n  "),
        (Case("binary", "photo.txt", "skip", r"^binary file, not text$"),
         b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8),
        (Case("invalid-utf8", "invalid-utf8.txt", "read", title=r"^Shipyard"),
         b"Shipyard orders rise\n\nThe shipyard said orders rose sharply this year, and the "
         b"yard will hire two hundred workers. Bad bytes: \xff\xfe\xc3\x28 end."),
        (Case("latin-1", "latin-1.txt", "read", title=r"^Café in Zürich"),
         "Café in Zürich closes\n\nThe café near the Bürkliplatz closed on Friday after "
         "forty years, the owner said.\n".encode("latin-1")),
        (Case("latin-1-short", "latin-1-short.txt", "read", title=r"^Café Zürich$"),
         "Café Zürich\n\nÀ bientôt, señor.\n".encode("latin-1")),
        (Case("utf-16", "utf-16.txt", "read", title=r"^Museum reopens in Kraków"),
         ("Museum reopens in Kraków\n\nThe city museum in Kraków reopened on Saturday "
          "after a two-year renovation, its director said.\n").encode("utf-16")),
        (Case("utf-16-be-no-bom", "utf-16-be.txt", "read", title=r"^Tram line"),
         ("Tram line extended\n\nThe new tram line to the airport opened on Sunday, "
          "the transport authority said.\n").encode("utf-16-be")),
        (Case("50-mb", "huge.txt", "read", title=r"^Rail report runs to fifty megabytes$",
              truncated=True), _huge),
        (Case("1-byte", "one-byte.txt", "skip", r"^too short"), b"x"),
        (Case("truncated-json", "truncated.json", "skip", r"^malformed JSON: .* at line 1$"),
         b'{"title": "Cut short", "text": "The text stops in the mid'),
        (Case("json-wrong-shape", "wrong-shape.json", "skip", r"^JSON has no article text"),
         b'{"articles": {"a": [1, 2, 3]}, "count": 3}'),
        (Case("json-list-item", "list.json#2", "skip", r"^not a JSON object$"),
         json.dumps([{"title": "Orchard harvest", "text": news("apple harvest", "Fruitvale")},
                     42]).encode()),
        (Case("broken-feed", "broken.rss#1", "skip",
              r"^a title without text \(malformed XML: .*not well-formed"), FEED_BROKEN),
        (Case("feed-entry-script", "hostile.rss#1", "read", title=r"^Ferry service resumes"),
         FEED_ENTRY_SCRIPT.encode()),
        (Case("html-script", "hostile.html", "read", title=r"^Harbour workers strike"),
         HTML.encode()),
        (Case("markdown-html", "hostile.md", "read", title=r"^<img src=x onerror="),
         MARKDOWN.encode()),
        (Case("json-markup", "hostile.json", "read", title=r"^<svg onload="),
         json.dumps(JSON_ARTICLE).encode()),
        (Case("jinja", "jinja.txt", "read", title=r"^\{\{ config \}\} and \{% for x in"),
         JINJA.encode()),
        (Case("10k-title", "long-title.json", "read", title=r"^(Storm ){40,}.*…$"),
         json.dumps({"title": "Storm " * 1666 + "end", "text": news("sea wall", "Stormport")})
         .encode()),
        (Case("name-spaces", "name with spaces.txt", "read", title=r"^Officials in Spaceton"),
         news("road works", "Spaceton").encode()),
        (Case("name-unicode", "café – 東京 🚋.txt", "read", title=r"^Officials in Tokyo"),
         news("tram depot", "Tokyo").encode()),
        (Case("name-newline", "new\nline.txt", "read", title=r"^Officials in Newlyn"),
         news("harbour wall", "Newlyn").encode()),
        (Case("name-newline-empty", "bad\nname.json", "skip", r"^empty file$"), b""),
        (Case("name-terminal-escape", "esc\x1b[31mred\x07.txt", "skip", r"^empty file$"), b""),
        (Case("symlink-self", "self-loop.txt", "skip", r"^unreadable: .*symbolic links"),
         _symlink("self-loop.txt")),
        (Case("symlink-dangling", "dangling.txt", "skip", r"^unreadable: file not found$"),
         _symlink("no-such-file.txt")),
        (Case("fifo", "pipe.txt", "skip", r"^not a regular file$"), _fifo),
        (Case("chmod-000", "unreadable.txt", "skip", r"^unreadable: permission denied$",
              root_readable=True), _unreadable),
        (Case("bad-front-matter", "bad-yaml.md", "skip", r"^malformed YAML front matter"),
         b"---\ntitle: [unclosed\n---\nSome text about the weather in the hills today.\n"),
    ]
}


def write_corpus(folder: Path) -> dict[str, Case]:
    """Write the good demo articles and every hostile case under ``folder``; return the cases."""
    shutil.copytree(DEMO, folder / "good")
    for case, content in WRITERS.values():
        path = folder / case.path.split("#")[0]
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            content(path)
    (folder / "loop").mkdir()
    (folder / "loop" / "back").symlink_to("..")  # a folder loop: walked once, never again
    return {case.name: case for case, _ in WRITERS.values()}


def as_root() -> bool:
    """Tell whether the tests run as root (who can read a chmod 000 file)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0
