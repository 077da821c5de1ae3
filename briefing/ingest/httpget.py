"""Polite HTTP GET for `briefing fetch`: robots.txt, per-host delay, caps, redirects.

Invariants:

- Every request carries the configured User-Agent and waits until at least
  ``delay`` seconds (or the host's robots.txt ``Crawl-delay``, at most 60) have
  passed since the previous request to the same host (``Clock`` is injectable).
- robots.txt is read once per host per ``HttpClient``: 2xx is obeyed; 401/403
  forbid the whole host; another 4xx allows everything; a 5xx or an unreachable
  robots.txt forbids the host for this run (RFC 9309, 2.3.1).
- Redirects are followed by hand (at most ``max_redirects``), each hop checked
  against robots.txt and the delay; a loop or a non-HTTP target is an error.
- A body is streamed and abandoned once it passes ``max_bytes`` or the request
  has taken longer than ``timeout`` in all; nothing larger is ever held.
- Every failure is a ``FetchError`` whose message is the reason in a few words.
"""

from __future__ import annotations

import datetime as dt
import time
import urllib.robotparser
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

from ..errors import BriefingError
from ..resources import __version__

REDIRECTS = (301, 302, 303, 307, 308)
MAX_CRAWL_DELAY = 60.0
_ROBOTS_MAX_BYTES = 500_000


DEFAULT_USER_AGENT = f"briefing/{__version__} (local news briefing generator)"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How `briefing fetch` behaves on the network."""

    folder: Path | None = None  # None: $BRIEFING_HOME/fetched (see Config.with_home)
    delay: float = 1.0
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT


class FetchError(BriefingError):
    """A URL could not be fetched; the message says why."""


class Clock(Protocol):
    """Wall time for records, a monotonic clock and sleep for the per-host delay."""

    def now(self) -> dt.datetime: ...
    def monotonic(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True, slots=True)
class Response:
    """A finished request: 200 with its body, 304 Not Modified, or a redirect."""

    url: str
    status: int
    body: bytes
    content_type: str  # lower case, without parameters ("" when absent)
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None

    @classmethod
    def of(cls, r: requests.Response, body: bytes) -> Response:
        """Take what matters from a requests response."""
        kind, _, params = r.headers.get("Content-Type", "").partition(";")
        charset = next((p.split("=", 1)[1].strip().strip('"') for p in params.split(";")
                        if p.strip().lower().startswith("charset=")), None)
        return cls(r.url, r.status_code, body, kind.strip().lower(), charset or None,
                   r.headers.get("ETag"), r.headers.get("Last-Modified"),
                   r.headers.get("Location"))


def host_of(url: str) -> str:
    """Return ``scheme://host[:port]`` of a URL: the unit of politeness and robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _check_scheme(url: str) -> None:
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchError(f"not an http(s) URL: {url}")


class HttpClient:
    """GET URLs politely; one instance per run (it caches robots.txt per host)."""

    def __init__(self, settings: FetchSettings, *, clock: Clock | None = None,
                 session: requests.Session | None = None) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = settings.user_agent
        self._last: dict[str, float] = {}  # host -> monotonic time of its last request
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser | None, str]] = {}

    def close(self) -> None:
        """Close the connections."""
        self.session.close()

    def get(self, url: str, *, accept: str = "*/*", etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """GET ``url`` (conditionally when validators are given); raise FetchError."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = [url]
        for _ in range(self.settings.max_redirects + 1):
            _check_scheme(url)
            self._check_robots(url)
            response = self._request(url, headers, max_bytes=self.settings.max_bytes)
            if response.status not in REDIRECTS:
                return response
            target = urljoin(url, response.location) if response.location else None
            if target is None:
                raise FetchError(f"HTTP {response.status} redirect without a Location")
            if target in seen:
                raise FetchError("redirect loop: " + " -> ".join([*seen, target]))
            seen.append(target)
            url = target
        raise FetchError(f"too many redirects (more than {self.settings.max_redirects})")

    # -- robots.txt ---------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        """Tell whether the host's robots.txt lets this User-Agent fetch ``url``."""
        try:
            self._check_robots(url)
        except FetchError:
            return False
        return True

    def _check_robots(self, url: str) -> None:
        host = host_of(url)
        if host not in self._robots:
            self._robots[host] = self._read_robots(host)
        parser, problem = self._robots[host]
        if parser is None:
            raise FetchError(problem)
        if not parser.can_fetch(self.settings.user_agent, url):
            raise FetchError("disallowed by robots.txt")

    def _read_robots(self, host: str) -> tuple[urllib.robotparser.RobotFileParser | None, str]:
        parser = urllib.robotparser.RobotFileParser(host + "/robots.txt")
        try:
            response = self._request(host + "/robots.txt", {"Accept": "text/plain"},
                                     max_bytes=_ROBOTS_MAX_BYTES, redirects=True)
        except FetchError as exc:
            status = str(exc)
            if status.startswith("HTTP 401") or status.startswith("HTTP 403"):
                return None, f"disallowed by robots.txt ({status})"
            if status.startswith("HTTP 4"):
                parser.parse([])  # no robots.txt: everything is allowed
                return parser, ""
            return None, f"robots.txt unavailable ({status}), host skipped"
        parser.parse(response.body.decode("utf-8", "replace").splitlines())
        return parser, ""

    def _delay(self, host: str) -> float:
        parser = self._robots.get(host, (None, ""))[0]
        crawl = parser.crawl_delay(self.settings.user_agent) if parser else None
        return max(self.settings.delay, min(float(crawl or 0), MAX_CRAWL_DELAY))

    # -- one request --------------------------------------------------------------------
    def _request(self, url: str, headers: dict[str, str], *, max_bytes: int,
                 redirects: bool = False) -> Response:
        host = host_of(url)
        last = self._last.get(host)
        if last is not None:
            wait = self._delay(host) - (self.clock.monotonic() - last)
            if wait > 0:
                self.clock.sleep(wait)
        timeout = self.settings.timeout
        started = time.monotonic()
        try:
            with self.session.get(url, headers=headers, stream=True, timeout=timeout,
                                  allow_redirects=redirects) as r:
                if r.status_code in REDIRECTS and not redirects:
                    return Response.of(r, b"")
                if r.status_code == 304:
                    return Response.of(r, b"")
                if r.status_code != 200:
                    raise FetchError(f"HTTP {r.status_code} {r.reason or ''}".rstrip())
                declared = r.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"too large: {int(declared):,} bytes, "
                                     f"the limit is {max_bytes:,}")
                body = bytearray()
                for chunk in r.iter_content(65536):
                    body += chunk
                    if len(body) > max_bytes:
                        raise FetchError(f"too large: more than {max_bytes:,} bytes")
                    if time.monotonic() - started > timeout:
                        raise FetchError(f"timed out after {timeout:g} s")
                return Response.of(r, bytes(body))
        except requests.Timeout:
            raise FetchError(f"timed out after {timeout:g} s") from None
        except requests.TooManyRedirects:
            raise FetchError("too many redirects") from None
        except requests.ConnectionError as exc:
            if exc.args and isinstance(exc.args[0], ReadTimeoutError):
                raise FetchError(f"timed out after {timeout:g} s") from None
            raise FetchError(f"cannot connect: {_root_cause(exc)}") from None
        except requests.RequestException as exc:
            raise FetchError(f"HTTP error: {_root_cause(exc)}") from None
        finally:
            self._last[host] = self.clock.monotonic()


def _root_cause(exc: BaseException) -> str:
    """Return the innermost exception's message, on one line."""
    for _ in range(10):
        if exc.__context__ is None and not (exc.args and isinstance(exc.args[0], BaseException)):
            break
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = inner or exc.__context__  # type: ignore[assignment]
    return " ".join(str(getattr(exc, "reason", None) or exc).split()) or type(exc).__name__
