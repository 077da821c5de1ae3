"""A three-day corpus for the history, timeline and archive scenario (reusable).

Four real stories, adapted from ``../shared/data`` (see tests/data/days/README.md):

- A: a fire destroys a Waitrose supermarket in Banstead, Surrey (ECB+ topic 14, "ecb").
- B: Turkmenistan's parliamentary election (ECB+ topic 11, "ecb").
- C: Lycos Europe's anti-spam screensaver, launched then dropped (Wikinews wn043/wn063).
- D: a fire at the Waitrose in Wellington, Somerset (ECB+ topic 14, "ecbplus"): the
  same kind of event as A, at another place and time, so it must never count as A.

Day 1 has A and B; day 2 more on A and a new C; day 3 more on C and the new D, while
B is no longer reported. ``write_day(root, n)`` writes day ``n``'s articles as JSON
files under ``root/dayN/``; build day ``n`` from the folders of days 1..n with
``--window 1`` (the corpus folder grows every day; the window keeps yesterday).
``build_day(root, n)`` does both. For a scenario over HTTP, ``feed_xml(n, base_url)``
is an RSS snapshot of day ``n`` whose items link to ``base_url/<slug(article)>``, and
``page_html(article)`` the page to serve there.
``python tests/days.py`` regenerates tests/data/days/ from ../shared/data.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sys
from email.utils import format_datetime
from pathlib import Path

DATA = Path(__file__).parent / "data" / "days"
DAYS = (dt.date(2024, 3, 4), dt.date(2024, 3, 5), dt.date(2024, 3, 6))
WINDOW = 1

# (story, day 1-3, source file under ../shared/data, title or None to keep it)
PLAN = (
    ("A", 1, "ecbplus-dev/corpus/14_1ecb.json", None),
    ("A", 1, "ecbplus-dev/corpus/14_4ecb.json", None),
    ("B", 1, "ecbplus-dev/corpus/11_2ecb.json", None),
    ("B", 1, "ecbplus-dev/corpus/11_5ecb.json", None),
    ("B", 1, "ecbplus-dev/corpus/11_8ecb.json", None),
    ("A", 2, "ecbplus-dev/corpus/14_7ecb.json", None),
    ("A", 2, "ecbplus-dev/corpus/14_8ecb.json", None),
    ("A", 2, "ecbplus-dev/corpus/14_9ecb.json", None),
    ("C", 2, "wikinews-dev/wn043/articles/01.json", None),
    ("C", 2, "wikinews-dev/wn043/articles/02.json",
     "Lycos Europe screensaver floods spammers' servers"),
    ("C", 3, "wikinews-dev/wn043/articles/00.json", None),
    ("C", 3, "wikinews-dev/wn063/articles/08.json", None),
    ("C", 3, "wikinews-dev/wn063/articles/07.json", None),
    ("D", 3, "ecbplus-dev/corpus/14_1ecbplus.json",
     "Waitrose fire in Wellington town centre tackled"),
    ("D", 3, "ecbplus-dev/corpus/14_3ecbplus.json",
     "Man charged with arson over Waitrose fire in Wellington"),
    ("D", 3, "ecbplus-dev/corpus/14_9ecbplus.json",
     "Breaking: man charged with arson after fire at Waitrose in Wellington"),
)

_DATELINE = re.compile(
    r"^(\d{1,2} \w+ \d{4}|(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \w+ \d{1,2}, \d{4})\b.*$"
)
_OUTLETS = {
    "news.bbc.co.uk": "BBC News", "www.bbc.co.uk": "BBC News", "www.heise.de": "heise online",
    "www.clickz.com": "ClickZ", "www.webuser.co.uk": "Web User", "www.pcworld.com": "PC World",
    "www.middevongazette.co.uk": "Mid Devon Gazette",
    "www.westerndailypress.co.uk": "Western Daily Press",
}


def _adapt(story: str, day: int, src: Path, title: str | None) -> dict:
    """Turn a shared-data article into a dated scenario article (JSON object)."""
    doc = json.loads(src.read_text("utf-8"))
    url = doc.get("url")
    text = doc["text"]
    if doc["title"].startswith("http:"):  # ECB+ "ecbplus": the title field holds the URL
        url = doc["title"].replace(" ", "")
        lines = [ln for ln in text.splitlines() if not _DATELINE.match(ln.strip())]
        lines = [ln for ln in lines if ln.strip() != title]
        text = "\n".join(lines)
    elif title is None and doc.get("title") and not url:  # ECB "ecb": title = first sentence
        text = f"{doc['title']}\n{text}"
    host = re.sub(r"^https?://([^/]+).*$", r"\1", url) if url else None
    return {
        "story": story,
        "title": title or doc["title"],
        "date": DAYS[day - 1].isoformat(),
        "source": _OUTLETS.get(host or "", host),
        "url": url,
        "text": text,
    }


def regenerate(shared: Path) -> None:
    """Write tests/data/days/dayN/*.json from the shared data (run once, by hand)."""
    for story, day, rel, title in PLAN:
        folder = DATA / f"day{day}"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{story.lower()}-{Path(rel).parent.parent.name if 'wikinews' in rel else ''}"
        name = (name + Path(rel).stem).replace("--", "-").strip("-")
        doc = _adapt(story, day, shared / rel, title)
        (folder / f"{name}.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=1) + "\n", "utf-8"
        )


def articles(day: int) -> list[dict]:
    """Return the scenario articles published on day ``day`` (1-3), by file name."""
    return [
        json.loads(p.read_text("utf-8")) | {"file": p.name}
        for p in sorted((DATA / f"day{day}").glob("*.json"))
    ]


def story_titles(story: str, *, upto: int = 3) -> set[str]:
    """Return the titles of a story's articles published up to day ``upto``."""
    return {a["title"] for d in range(1, upto + 1) for a in articles(d) if a["story"] == story}


def by_story(doc: dict) -> dict[str, dict]:
    """Return a briefing JSON's events by story label (fails on a mixed or split story)."""
    found = {_story(e): e for e in doc["events"]}
    assert len(found) == len(doc["events"]), "a story was split into several events"
    return found


def _story(event: dict) -> str:
    """Return the one story label of an event's articles (fails on a mixed event)."""
    titles = {x["title"] for x in event["articles"]}
    labels = {a["story"] for d in (1, 2, 3) for a in articles(d) if a["title"] in titles}
    assert len(labels) == 1, f"event mixes stories {labels}: {event['headline']}"
    return labels.pop()


def assert_develops(event: dict, earlier: dict, story: str, day: int) -> None:
    """Assert that ``event`` (story ``story`` on day ``day``) develops ``earlier`` of the day
    before: status, the link to that briefing, and exactly that day's articles as new."""
    assert event["status"] == "developing"
    before = str(DAYS[day - 2])
    assert event["previous"] == {
        "date": before, "briefing": f"{before}.html", "headline": earlier["headline"]
    }
    new_titles = {x["title"] for x in event["articles"] if x["id"] in event["new_articles"]}
    assert new_titles == story_titles(story) - story_titles(story, upto=day - 1)


def write_day(root: Path, day: int) -> Path:
    """Write day ``day``'s articles (without the story label) under ``root/dayN``."""
    folder = Path(root) / f"day{day}"
    folder.mkdir(parents=True, exist_ok=True)
    for a in articles(day):
        doc = {k: v for k, v in a.items() if k not in ("story", "file")}
        (folder / a["file"]).write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return folder


def slug(article: dict) -> str:
    """Return the page name of an article when served: its file name as ``.html``."""
    return Path(article["file"]).with_suffix(".html").name


def page_html(article: dict) -> str:
    """Return an article as a plain news web page (title, byline, paragraphs)."""
    paragraphs = "\n".join(
        f"<p>{html.escape(p.strip())}</p>" for p in article["text"].splitlines() if p.strip()
    )
    title = html.escape(article["title"])
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{title}</title>"
        f"<meta property=\"og:site_name\" content=\"{html.escape(article['source'] or '')}\">"
        f"<meta property=\"article:published_time\" content=\"{article['date']}\">"
        f"</head>\n<body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>\n"
        f"{paragraphs}\n</article><footer>Copyright</footer></body></html>\n"
    )


def feed_xml(day: int, base_url: str, *, upto_only: bool = True) -> str:
    """Return an RSS 2.0 snapshot of day ``day``: one item per article, linking to its page.

    With ``upto_only`` the feed holds only that day's articles; otherwise days 1..``day``
    (a feed that keeps older items, so a fetcher must not fetch them twice).
    """
    first = day if upto_only else 1
    items = []
    for d in range(first, day + 1):
        for a in articles(d):
            moment = dt.datetime.combine(dt.date.fromisoformat(a["date"]), dt.time(8), dt.UTC)
            link = base_url.rstrip("/") + "/" + slug(a)
            items.append(
                "<item>"
                f"<title>{html.escape(a['title'])}</title><link>{html.escape(link)}</link>"
                f"<guid>{html.escape(link)}</guid>"
                f"<pubDate>{format_datetime(moment)}</pubDate>"
                f"<description>{html.escape(a['text'][:200])}</description>"
                "</item>"
            )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Scenario news</title><link>{html.escape(base_url)}</link>"
        "<description>Three days of news</description>"
        + "".join(items)
        + "</channel></rss>\n"
    )


def build_day(root: Path, day: int, *, backend: str = "extractive", db: Path | None = None):
    """Write day ``day``'s articles under ``root/corpus`` and build its briefing into ``root/out``.

    The build reads the folders of days 1..``day`` (a corpus that grows every day)
    with ``--window 1``; returns the ``BuildResult``.
    """
    from briefing.pipeline import BuildOptions, build_briefing

    corpus = Path(root) / "corpus"
    write_day(corpus, day)
    options = BuildOptions(
        paths=tuple(corpus / f"day{d}" for d in range(1, day + 1)),
        date=DAYS[day - 1],
        out_dir=Path(root) / "out",
        db_path=db or Path(root) / "briefing.db",
        window=WINDOW,
        backend=backend,
    )
    return build_briefing(options)


if __name__ == "__main__":
    shared = Path(__file__).resolve().parents[2] / "shared" / "data"
    regenerate(Path(sys.argv[1]) if len(sys.argv) > 1 else shared)
