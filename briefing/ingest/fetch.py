"""`briefing fetch`: download the configured feeds and their linked article pages.

Flow per feed: conditional GET of the feed (its ETag / Last-Modified from the
store) → parse with feedparser → for each entry whose page is not stored yet:
GET the page (politely, see ``httpget``) → extract the article text and metadata
with trafilatura (``htmltext.extract_html``) → write it as one JSON article file,
``<fetch.folder>/<host>/<hash of URL>.json``, which `briefing build` reads like
any corpus file.

Invariants:

- An article URL that is stored (fetched before, or read from a folder) is never
  requested again; a page that failed is retried on the next run.
- A feed or page that fails is reported in ``FetchReport.failures`` (URL and
  reason) and skipped; every other feed and page is still fetched and stored.
- Files are written atomically; a run interrupted halfway loses nothing stored.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import requests

from ..errors import ConfigError
from ..store.store import Store
from .fetchlog import FetchLog
from .htmltext import extract_html
from .httpget import Clock, FetchError, FetchSettings, HttpClient, Response, SystemClock

log = logging.getLogger(__name__)

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, "
               "text/xml;q=0.9, */*;q=0.5")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class Feed:
    """An RSS or Atom feed to fetch; ``name`` (optional) becomes its articles' outlet."""

    url: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """A feed or page that could not be fetched or read, and why."""

    url: str
    reason: str
    kind: str  # "feed" or "page"
    feed: str | None = None  # for a page: the feed that linked it


@dataclass(frozen=True, slots=True)
class FetchReport:
    """What one fetch run did."""

    feeds: int  # feeds requested
    unchanged: int  # of which answered 304 Not Modified
    written: tuple[Path, ...]  # article files written by this run
    known: int  # entries skipped because their article is already stored
    failures: tuple[FetchFailure, ...] = ()

    @property
    def ok(self) -> bool:
        """Tell whether every feed and page succeeded."""
        return not self.failures


def fetch_all(feeds: Sequence[Feed], settings: FetchSettings, store: Store, *,
              clock: Clock | None = None,
              session: requests.Session | None = None) -> FetchReport:
    """Fetch ``feeds`` with the ``[fetch]`` settings and store their new articles."""
    feeds = tuple(feeds)
    folder = settings.folder
    if folder is None:
        raise ConfigError("no folder for fetched articles: set [fetch] folder")
    clock = clock or SystemClock()
    client = HttpClient(settings, clock=clock, session=session)
    run = _Run(client, FetchLog(store), Path(folder), clock)
    try:
        for feed in feeds:
            run.feed(feed)
    finally:
        client.close()
    return FetchReport(feeds=len(feeds), unchanged=run.unchanged, written=tuple(run.written),
                       known=run.known, failures=tuple(run.failures))


class _Run:
    """The state of one fetch run."""

    def __init__(self, client: HttpClient, fetch_log: FetchLog, folder: Path,
                 clock: Clock) -> None:
        self.client, self.log, self.folder, self.clock = client, fetch_log, folder, clock
        self.unchanged = self.known = 0
        self.written: list[Path] = []
        self.failures: list[FetchFailure] = []
        self.tried: set[str] = set()  # page URLs requested in this run

    def fail(self, url: str, reason: str, kind: str, feed: str | None = None) -> None:
        log.warning("%s %s: %s", kind, url, reason)
        self.failures.append(FetchFailure(url, reason, kind, feed))

    def feed(self, feed: Feed) -> None:
        etag, modified = self.log.validators(feed.url)
        try:
            response = self.client.get(feed.url, accept=FEED_ACCEPT, etag=etag,
                                       last_modified=modified)
        except FetchError as exc:
            self.fail(feed.url, str(exc), "feed")
            return
        if response.status == 304:
            self.unchanged += 1
            for url in self.log.failed_pages(feed.url):
                self.page(url, feed, {})
            return
        try:
            entries, outlet = parse_feed(response)
        except FetchError as exc:
            self.fail(feed.url, str(exc), "feed")
            return
        for url, entry in entries:
            self.page(url, feed, entry | {"feed_title": outlet})
        self.log.save_validators(feed.url, response.etag, response.last_modified,
                                 self.clock.now())

    def page(self, url: str, feed: Feed, entry: dict[str, Any]) -> None:
        if self.log.is_stored(url):
            self.known += 1
            return
        if url in self.tried:  # linked by two feeds, and it failed for the first
            return
        self.tried.add(url)
        try:
            response = self.client.get(url, accept=PAGE_ACCEPT)
            if self.log.is_stored(response.url):  # redirected to a stored article
                self.known += 1
                self.log.record_page(url, feed_url=feed.url, now=self.clock.now(),
                                     final_url=response.url)
                return
            article = page_article(response, feed, entry)
            article["fetched_at"] = self.clock.now().isoformat(timespec="seconds")
            path = self.write(article)
        except FetchError as exc:
            self.fail(url, str(exc), "page", feed.url)
            self.log.record_page(url, feed_url=feed.url, now=self.clock.now(), reason=str(exc))
            return
        self.written.append(path)
        self.log.record_page(url, feed_url=feed.url, now=self.clock.now(),
                             final_url=response.url, path=str(path))

    def write(self, article: dict[str, Any]) -> Path:
        """Write an article as JSON under ``<folder>/<host>/``, atomically."""
        host = re.sub(r"[^A-Za-z0-9.-]", "_", urlsplit(article["url"]).netloc) or "unknown"
        name = hashlib.blake2b(article["url"].encode(), digest_size=8).hexdigest() + ".json"
        path = self.folder / host / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(article, f, ensure_ascii=False, indent=2)
            os.replace(tmp, path)
        except OSError as exc:
            raise FetchError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return path


def parse_feed(response: Response) -> tuple[list[tuple[str, dict[str, Any]]], str | None]:
    """Return a feed's (page URL, entry metadata) pairs, unique by URL, and its title."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(response.body),
                              response_headers={"content-location": response.url})
    if not parsed.entries and (parsed.bozo or not parsed.version):
        why = f" ({parsed.bozo_exception})" if parsed.bozo else ""
        raise FetchError(f"not an RSS or Atom feed{why}")
    entries: dict[str, dict[str, Any]] = {}
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            continue
        url = urldefrag(urljoin(response.url, link.strip())).url
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        author = (entry.get("author_detail") or {}).get("name") or entry.get("author")
        entries.setdefault(url, {
            "title": entry.get("title"),
            "date": "{:04d}-{:02d}-{:02d}".format(*stamp[:3]) if stamp else None,
            "author": author,
        })
    return list(entries.items()), parsed.feed.get("title")


def page_article(response: Response, feed: Feed, entry: dict[str, Any]) -> dict[str, Any]:
    """Extract a page's article: text from the page; metadata from the feed, then the page."""
    if response.content_type and response.content_type not in HTML_TYPES:
        raise FetchError(f"not HTML (content type {response.content_type})")
    html = _decode(response)
    if not response.content_type and not html.lstrip()[:1] == "<":
        raise FetchError("not HTML (no content type, and not markup)")
    found = extract_html(html, url=response.url)
    if found is None:
        raise FetchError("no article text on the page")
    title = entry.get("title") or found["title"]
    return {
        "title": title,
        "text": _drop_title(found["text"] or "", (title, found["title"])),
        "date": entry.get("date") or found["date"],
        "source": feed.name or _site_name(found, response.url) or entry.get("feed_title")
        or urlsplit(response.url).hostname,
        "author": entry.get("author") or found["author"],
        "url": response.url,
        "feed": feed.url,
    }


# trafilatura's last resort for a page that names no site: its URL's host (with the port)
_URL_SITE = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")


def _site_name(found: dict[str, Any], url: str) -> str | None:
    """Return the site name the page declares; None when trafilatura made it up from the URL
    (so that the feed's title comes before a bare host name, as documented)."""
    made_up = {m[1] for u in (found.get("url"), url) if u and (m := _URL_SITE.match(u))}
    name = found.get("source")
    return None if name in made_up else name


def _drop_title(text: str, titles: tuple[str | None, ...]) -> str:
    """Drop the first line of the text when it only repeats the title (the page's h1)."""
    first, _, rest = text.strip().partition("\n")
    same = {" ".join(t.split()).casefold() for t in titles if t}
    return rest.strip() if rest.strip() and " ".join(first.split()).casefold() in same else text


def _decode(response: Response) -> str:
    """Decode a page by its declared charset, else its meta tag, else UTF-8 (replacing)."""
    charset = response.charset
    if charset is None:
        head = response.body[:4096].decode("ascii", "replace")
        m = re.search(r"""<meta[^>]+charset=["']?([\w-]+)""", head, re.I)
        charset = m.group(1) if m else "utf-8"
    try:
        return response.body.decode(charset, "replace")
    except LookupError:
        return response.body.decode("utf-8", "replace")
