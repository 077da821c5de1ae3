"""`briefing fetch` against real HTTP servers on 127.0.0.1: feeds, pages and every fault."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing import __version__
from briefing.cli.config import Config
from briefing.ingest.fetch import Feed, FetchReport, fetch_all
from briefing.ingest.fetchlog import FetchLog
from briefing.ingest.httpget import FetchSettings
from briefing.store.store import Store, open_database
from tests.conftest import DEMO
from tests.webserver import Route, Site, atom, page, rss, serve

NOW = dt.datetime(2022, 12, 21, 6, 0, tzinfo=dt.UTC)
TEXTS = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(DEMO.iterdir())}


class FakeClock:
    """Virtual time: ``sleep`` only advances ``monotonic`` and records the wait."""

    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []

    def now(self) -> dt.datetime:
        return NOW

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.t += seconds


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        yield s


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(open_database(tmp_path / "b.db"))


def config(tmp_path: Path, feeds: list[str], **fetch: object) -> Config:
    settings = {"delay": 0.0, "timeout": 5.0} | fetch
    return Config(feeds=tuple(Feed(u) for u in feeds),
                  fetch=FetchSettings(folder=tmp_path / "fetched", **settings))  # type: ignore[arg-type]


def fetch(tmp_path: Path, store: Store, feeds: list[str], clock: FakeClock | None = None,
          **settings: object) -> FetchReport:
    settings = config(tmp_path, feeds, **settings)
    return fetch_all(settings.feeds, settings.fetch, store, clock=clock or FakeClock())


def add_pages(site: Site, *names: str, prefix: str = "/news/") -> list[dict[str, str]]:
    """Serve demo articles as pages; return their feed items."""
    items = []
    for name in names:
        title = f"Story {name}"
        site.routes[f"{prefix}{name}.html"] = Route(page(title, TEXTS[name], site_name="Daily Test",
                                                         author="Ann Writer"))
        items.append({"title": title, "link": site.url(f"{prefix}{name}.html"),
                      "date": "Tue, 20 Dec 2022 08:00:00 GMT"})
    return items


def failures(report: FetchReport) -> dict[str, str]:
    return {f.url: f.reason for f in report.failures}


def test_fetch_writes_one_json_article_per_page(tmp_path: Path, site: Site, store: Store) -> None:
    site.routes["/feed.xml"] = Route(rss("Test Feed", add_pages(site, "000", "004")),
                                     content_type="application/rss+xml")
    report = fetch(tmp_path, store, [site.url("/feed.xml")])
    assert report.ok and report.feeds == 1 and report.unchanged == 0 and report.known == 0
    assert len(report.written) == 2
    doc = json.loads(report.written[0].read_text(encoding="utf-8"))
    host = f"127.0.0.1_{site.server.server_address[1]}"
    assert report.written[0].parent == tmp_path / "fetched" / host
    assert doc["title"] == "Story 000" and doc["date"] == "2022-12-20"
    assert doc["source"] == "Daily Test" and doc["author"] == "Ann Writer"
    assert doc["url"] == site.url("/news/000.html") and doc["feed"] == site.url("/feed.xml")
    assert "Zelenskyy has confirmed today that he is visiting the United States" in doc["text"]
    assert "All rights reserved" not in doc["text"] and "Home" not in doc["text"]
    assert doc["text"].startswith("date 2022-12-21 Ukrainian President")  # the h1 is dropped
    assert doc["fetched_at"] == "2022-12-21T06:00:00+00:00"
    assert site.paths() == ["/robots.txt", "/feed.xml", "/news/000.html", "/news/004.html"]
    agents = {r.headers["user-agent"] for r in site.requests}
    assert agents == {f"briefing/{__version__} (local news briefing generator)"}


def test_outlet_of_a_page_without_site_name_is_the_feed_title(tmp_path: Path, site: Site,
                                                              store: Store) -> None:
    """trafilatura names a page without a site name after its host: the feed title wins."""
    site.routes["/a.html"] = Route(page("Story A", TEXTS["000"]))
    site.routes["/b.html"] = Route(page("Story B", TEXTS["001"], site_name="127.0.0.1 Times"))
    site.routes["/feed.xml"] = Route(rss("Local Feed", [
        {"title": "Story A", "link": site.url("/a.html")},
        {"title": "Story B", "link": site.url("/b.html")}]))
    report = fetch(tmp_path, store, [site.url("/feed.xml")])
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in report.written]
    assert {d["title"]: d["source"] for d in docs} == {
        "Story A": "Local Feed", "Story B": "127.0.0.1 Times"}


def test_nothing_is_fetched_twice_and_feeds_are_conditional(tmp_path: Path, site: Site,
                                                            store: Store) -> None:
    items = add_pages(site, "000", "001")
    site.routes["/feed.xml"] = Route(rss("F", items), etag='"v1"')
    first = fetch(tmp_path, store, [site.url("/feed.xml")])
    assert len(first.written) == 2
    site.requests.clear()

    second = fetch(tmp_path, store, [site.url("/feed.xml")])
    assert (second.unchanged, second.written, second.known) == (1, (), 0)
    assert [(r.path, r.headers.get("if-none-match")) for r in site.requests] == [
        ("/robots.txt", None), ("/feed.xml", '"v1"')]
    site.requests.clear()

    items += add_pages(site, "002")  # the feed changes: one new entry, two old ones
    site.routes["/feed.xml"] = Route(rss("F", items), etag='"v2"')
    third = fetch(tmp_path, store, [site.url("/feed.xml")])
    assert (third.unchanged, len(third.written), third.known) == (0, 1, 2)
    assert site.paths() == ["/robots.txt", "/feed.xml", "/news/002.html"]
    assert FetchLog(store).page_count() == 3


def test_last_modified_makes_an_atom_feed_conditional(tmp_path: Path, site: Site,
                                                      store: Store) -> None:
    stamp = dt.datetime(2022, 12, 20, 9, 30, tzinfo=dt.UTC)
    site.routes["/atom"] = Route(atom("A", add_pages(site, "003")), last_modified=stamp,
                                 content_type="application/atom+xml")
    assert len(fetch(tmp_path, store, [site.url("/atom")]).written) == 1
    site.requests.clear()
    again = fetch(tmp_path, store, [site.url("/atom")])
    assert again.unchanged == 1 and again.ok
    assert site.requests[-1].headers["if-modified-since"] == "Tue, 20 Dec 2022 09:30:00 GMT"


def test_failing_pages_are_reported_and_skipped(tmp_path: Path, site: Site, store: Store) -> None:
    good = add_pages(site, "000", "004")
    site.routes.update({
        "/gone.html": Route(b"gone", status=404),
        "/broken.html": Route(b"oops", status=500),
        "/slow.html": Route(page("Slow", TEXTS["001"]), stall=3.0),
        "/huge.html": Route(endless=True),
        "/big.html": Route(b"<p>" + b"y" * 300_000 + b"</p>"),
        "/loop-a": Route(status=301, headers={"Location": "/loop-b"}),
        "/loop-b": Route(status=302, headers={"Location": "/loop-a"}),
        "/report.pdf": Route(b"%PDF-1.4", content_type="application/pdf"),
        "/empty.html": Route(b"<html><head><title>Nothing</title></head><body></body></html>"),
        "/private/secret.html": Route(page("Secret", TEXTS["002"])),
        "/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
    })
    bad = ["/gone.html", "/broken.html", "/slow.html", "/huge.html", "/big.html", "/loop-a",
           "/report.pdf", "/empty.html", "/private/secret.html", "/ftp"]
    items = [{"title": p, "link": site.url(p)} for p in bad[:-1]] + [
        {"title": "ftp", "link": "ftp://127.0.0.1/file"}]
    site.routes["/feed.xml"] = Route(rss("F", [good[0], *items, good[1]]))
    report = fetch(tmp_path, store, [site.url("/feed.xml")], timeout=1.0, max_bytes=200_000)
    assert len(report.written) == 2  # the two good pages, whatever failed between them
    assert failures(report) == {
        site.url("/gone.html"): "HTTP 404 Not Found",
        site.url("/broken.html"): "HTTP 500 Internal Server Error",
        site.url("/slow.html"): "timed out after 1 s",
        site.url("/huge.html"): "too large: more than 200,000 bytes",
        site.url("/big.html"): "too large: 300,007 bytes, the limit is 200,000",
        site.url("/loop-a"): f"redirect loop: {site.url('/loop-a')} -> {site.url('/loop-b')} "
                             f"-> {site.url('/loop-a')}",
        site.url("/report.pdf"): "not HTML (content type application/pdf)",
        site.url("/empty.html"): "no article text on the page",
        site.url("/private/secret.html"): "disallowed by robots.txt",
        "ftp://127.0.0.1/file": "not an http(s) URL: ftp://127.0.0.1/file",
    }
    assert {f.kind for f in report.failures} == {"page"}
    assert "/private/secret.html" not in site.paths()
    assert FetchLog(store).page_count("failed") == 10


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Route(b"no", status=404), "HTTP 404 Not Found"),
        (Route(b"no", status=503), "HTTP 503 Service Unavailable"),
        (Route(rss("F", []), stall=3.0), "timed out after 1 s"),
        (Route(b"<html><body>not a feed</body></html>"), "not an RSS or Atom feed"),
        (Route(status=302, headers={"Location": "/feed.xml"}), "redirect loop"),
    ],
)
def test_a_failing_feed_is_reported_and_the_others_fetched(tmp_path: Path, site: Site,
                                                           store: Store, route: Route,
                                                           reason: str) -> None:
    site.routes["/feed.xml"] = route
    site.routes["/good.xml"] = Route(rss("Good", add_pages(site, "004")))
    report = fetch(tmp_path, store, [site.url("/feed.xml"), site.url("/good.xml")], timeout=1.0)
    [failure] = report.failures
    assert (failure.url, failure.kind) == (site.url("/feed.xml"), "feed")
    assert failure.reason.startswith(reason)
    assert len(report.written) == 1


def test_a_failed_page_is_retried_even_when_its_feed_is_unchanged(tmp_path: Path, site: Site,
                                                                  store: Store) -> None:
    items = add_pages(site, "000")
    site.routes["/news/000.html"].status = 500
    site.routes["/feed.xml"] = Route(rss("F", items), etag='"same"')
    first = fetch(tmp_path, store, [site.url("/feed.xml")])
    assert failures(first) == {site.url("/news/000.html"): "HTTP 500 Internal Server Error"}
    site.routes["/news/000.html"].status = 200
    second = fetch(tmp_path, store, [site.url("/feed.xml")])
    assert second.unchanged == 1 and second.ok and len(second.written) == 1
    assert json.loads(second.written[0].read_text())["title"] == "Story 000"


def test_redirects_are_followed_and_the_final_url_is_never_fetched_again(
        tmp_path: Path, site: Site, store: Store) -> None:
    add_pages(site, "004")
    site.routes["/short/4"] = Route(status=301, headers={"Location": "/news/004.html"})
    site.routes["/a.xml"] = Route(rss("A", [{"title": "Four", "link": site.url("/short/4")}]))
    site.routes["/b.xml"] = Route(rss("B", [{"title": "Four", "link": site.url("/news/004.html")}]))
    report = fetch(tmp_path, store, [site.url("/a.xml"), site.url("/b.xml")])
    assert report.ok and report.known == 1 and len(report.written) == 1
    assert json.loads(report.written[0].read_text())["url"] == site.url("/news/004.html")
    assert site.paths().count("/news/004.html") == 1


def test_a_url_read_from_a_folder_is_not_fetched(tmp_path: Path, site: Site, store: Store) -> None:
    from briefing.ingest.readers import ingest

    items = add_pages(site, "000", "001")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps({"text": TEXTS["000"], "url": items[0]["link"]}))
    store.save_articles(ingest([folder]).articles)
    site.routes["/feed.xml"] = Route(rss("F", items))
    report = fetch(tmp_path, store, [site.url("/feed.xml")])
    assert report.known == 1 and len(report.written) == 1
    assert "/news/000.html" not in site.paths()


def test_requests_to_one_host_are_spaced_by_the_delay(tmp_path: Path, site: Site,
                                                      store: Store) -> None:
    site.routes["/feed.xml"] = Route(rss("F", add_pages(site, "000", "001")))
    clock = FakeClock()
    fetch(tmp_path, store, [site.url("/feed.xml")], clock=clock, delay=2.5)
    assert clock.sleeps == [2.5, 2.5, 2.5]  # robots.txt, feed, page, page: three gaps


def test_robots_crawl_delay_is_honoured(tmp_path: Path, site: Site, store: Store) -> None:
    site.routes["/robots.txt"] = Route(b"User-agent: briefing\nCrawl-delay: 7\n",
                                       content_type="text/plain")
    site.routes["/feed.xml"] = Route(rss("F", add_pages(site, "000")))
    clock = FakeClock()
    fetch(tmp_path, store, [site.url("/feed.xml")], clock=clock, delay=1.0)
    assert clock.sleeps == [7.0, 7.0]


@pytest.mark.parametrize(
    ("robots", "reason"),
    [
        (Route(b"User-agent: briefing\nDisallow: /\n", content_type="text/plain"),
         "disallowed by robots.txt"),
        (Route(b"no", status=403), "disallowed by robots.txt (HTTP 403 Forbidden)"),
        (Route(b"down", status=500),
         "robots.txt unavailable (HTTP 500 Internal Server Error), host skipped"),
    ],
)
def test_robots_txt_can_forbid_a_whole_host(tmp_path: Path, site: Site, store: Store,
                                            robots: Route, reason: str) -> None:
    site.routes["/robots.txt"] = robots
    site.routes["/feed.xml"] = Route(rss("F", add_pages(site, "000")))
    report = fetch(tmp_path, store, [site.url("/feed.xml")])
    assert failures(report) == {site.url("/feed.xml"): reason}
    assert site.paths() == ["/robots.txt"]


def test_connection_refused_is_a_reason(tmp_path: Path, store: Store) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    report = fetch(tmp_path, store, [f"http://127.0.0.1:{port}/feed.xml"])
    [failure] = report.failures
    assert failure.reason.startswith("robots.txt unavailable (cannot connect:")


def test_a_page_linked_by_two_feeds_is_requested_once(tmp_path: Path, site: Site,
                                                      store: Store) -> None:
    items = add_pages(site, "000")
    site.routes["/news/000.html"].status = 500
    site.routes["/a.xml"] = Route(rss("A", items))
    site.routes["/b.xml"] = Route(rss("B", items))
    report = fetch(tmp_path, store, [site.url("/a.xml"), site.url("/b.xml")])
    assert [(f.url, f.feed) for f in report.failures] == [
        (site.url("/news/000.html"), site.url("/a.xml"))]
    assert site.paths().count("/news/000.html") == 1
