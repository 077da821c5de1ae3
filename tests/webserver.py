"""A real HTTP server on 127.0.0.1 for the fetch tests: routes, conditional GET, faults.

``Site`` serves ``Route``s from a ``ThreadingHTTPServer`` in a thread and records
every request (path and headers). A route can answer any status, redirect, honour
``If-None-Match`` / ``If-Modified-Since`` with 304, stall before answering, or
stream an endless body without a Content-Length.
"""

from __future__ import annotations

import datetime as dt
import html
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answer 304 to a matching If-None-Match
    last_modified: dt.datetime | None = None  # answer 304 to If-Modified-Since >= it
    stall: float = 0.0  # seconds to wait before answering
    endless: bool = False  # stream 64 KiB chunks until the client hangs up


@dataclass
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a client hangs up (the fetcher does, on purpose)."""


class Site:
    """Routes served on 127.0.0.1; ``url(path)`` gives their addresses."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                headers = {k.lower(): v for k, v in self.headers.items()}
                site.requests.append(Seen(self.path, headers))
                site.answer(self)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        """Return the requested paths in order."""
        return [r.path for r in self.requests]

    def answer(self, h: BaseHTTPRequestHandler) -> None:
        route = self.routes.get(h.path)
        if route is None:
            route = Route(b"not found", status=404, content_type="text/plain")
        if route.stall:
            time.sleep(route.stall)
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = format_datetime(route.last_modified, usegmt=True)
        if self._not_modified(h, route):
            h.send_response(304)
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        h.send_response(route.status)
        h.send_header("Content-Type", route.content_type)
        for k, v in headers.items():
            h.send_header(k, v)
        if route.endless:
            h.send_header("Connection", "close")
            h.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>\n"
            try:
                for _ in range(2000):  # 128 MiB at most
                    h.wfile.write(chunk)
            except OSError:  # the client hung up: what we want
                pass
            h.close_connection = True
            return
        h.send_header("Content-Length", str(len(route.body)))
        h.end_headers()
        h.wfile.write(route.body)

    @staticmethod
    def _not_modified(h: BaseHTTPRequestHandler, route: Route) -> bool:
        if route.status != 200:
            return False
        if route.etag and h.headers.get("If-None-Match") == route.etag:
            return True
        since = h.headers.get("If-Modified-Since")
        if route.last_modified and since and not route.etag:
            from email.utils import parsedate_to_datetime

            return parsedate_to_datetime(since) >= route.last_modified.replace(microsecond=0)
        return False


@contextmanager
def serve() -> Iterator[Site]:
    """Run a Site for the duration of the block."""
    site = Site()
    site.thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    """Return an RSS 2.0 feed with the given items (title, link, date, author)."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
             f"<title>{html.escape(title)}</title><link>http://example.org/</link>"
             "<description>test feed</description>"]
    for item in items:
        parts.append("<item>" + "".join(
            f"<{tag}>{html.escape(item[key])}</{tag}>"
            for key, tag in (("title", "title"), ("link", "link"), ("date", "pubDate"),
                             ("author", "author"))
            if key in item
        ) + "</item>")
    return ("".join(parts) + "</channel></rss>").encode()


def atom(title: str, items: list[dict[str, str]]) -> bytes:
    """Return an Atom feed with the given entries (title, link, date as ISO)."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
             f"<title>{html.escape(title)}</title><id>urn:test</id>"
             "<updated>2022-12-21T00:00:00Z</updated>"]
    for n, item in enumerate(items):
        parts.append(f"<entry><id>urn:test:{n}</id><title>{html.escape(item['title'])}</title>"
                     f'<link href="{html.escape(item["link"])}"/>'
                     f"<updated>{item.get('date', '2022-12-21T00:00:00Z')}</updated></entry>")
    return ("".join(parts) + "</feed>").encode()


def page(title: str, text: str, *, site_name: str | None = None, author: str | None = None,
         date: str | None = None) -> bytes:
    """Return an article page: a header, a nav bar, the paragraphs of ``text``, a footer."""
    meta = "".join(
        f'<meta property="{k}" content="{html.escape(v)}">'
        for k, v in (("og:site_name", site_name), ("article:published_time", date)) if v
    ) + (f'<meta name="author" content="{html.escape(author)}">' if author else "")
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n")
                         if p.strip())
    return (f"<!doctype html><html><head><title>{html.escape(title)}</title>{meta}</head>"
            "<body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
            f"<article><h1>{html.escape(title)}</h1>{paragraphs}</article>"
            "<footer>Copyright 2022. All rights reserved.</footer></body></html>").encode()
