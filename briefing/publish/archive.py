"""The archive of an output folder: ``index.html`` and the briefings' previous/next links.

The archive reflects what is on disk: the briefings are the ``YYYY-MM-DD.json``
files of the folder (read back with ``jsonio``), not the store's runs. After a
build writes a briefing, ``update_archive`` re-renders the HTML of its neighbours
(the nearest earlier and later briefings that have an HTML file) from their JSON,
so that their previous/next links include it, and rewrites ``index.html``.
Everything is static: relative links only, no script, the briefing's strict CSP;
the pages work opened from disk and served by any web server. A JSON file that
cannot be read is left out and reported, never fatal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..errors import InputError
from ..records import Briefing
from .jsonio import load_briefing
from .render import _render, render_html, write_text

INDEX = "index.html"
TOP_HEADLINES = 3
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.json$")


@dataclass(frozen=True, slots=True)
class Headline:
    """One of a briefing's top headlines, with its status (None before history existed)."""

    text: str
    status: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """A briefing of the archive: its date, title, files and top headlines."""

    date: dt.date
    title: str
    events: int
    headlines: tuple[Headline, ...]
    html: str | None  # file name of the HTML briefing, when it exists
    json: str

    @property
    def href(self) -> str:
        """Return the link to the briefing: its HTML, else its JSON."""
        return self.html or self.json


@dataclass(frozen=True, slots=True)
class Nav:
    """A briefing's links to the previous and next briefings and to the archive."""

    prev: Entry | None = None
    next: Entry | None = None
    index: str = INDEX


def _entry(path: Path, briefing: Briefing) -> Entry:
    html = path.with_suffix(".html")
    top = sorted(briefing.events, key=lambda i: i.rank)[:TOP_HEADLINES]
    return Entry(
        date=briefing.date,
        title=briefing.title,
        events=len(briefing.events),
        headlines=tuple(
            Headline(i.summary.headline, i.history.status if i.history else None) for i in top
        ),
        html=html.name if html.is_file() else None,
        json=path.name,
    )


def scan(out_dir: Path) -> tuple[list[tuple[Entry, Briefing]], list[str]]:
    """Read the folder's dated briefing JSON files, newest first; report unreadable ones."""
    found: list[tuple[Entry, Briefing]] = []
    notes: list[str] = []
    for path in sorted(Path(out_dir).glob("*.json"), reverse=True):
        m = _NAME.match(path.name)
        if not m:
            continue
        try:
            briefing = load_briefing(path)
        except InputError as exc:
            notes.append(f"archive: left out {exc}")
            continue
        if briefing.date.isoformat() != m[1]:
            notes.append(f"archive: left out {path}: it holds the briefing of {briefing.date}")
            continue
        found.append((_entry(path, briefing), briefing))
    return found, notes


def nav_for(date: dt.date, entries: Sequence[Entry]) -> Nav:
    """Return the links of the briefing of ``date``: the nearest briefings with HTML."""
    pages = [e for e in entries if e.html and e.date != date]
    earlier = [e for e in pages if e.date < date]
    later = [e for e in pages if e.date > date]
    return Nav(
        prev=max(earlier, key=lambda e: e.date) if earlier else None,
        next=min(later, key=lambda e: e.date) if later else None,
    )


def render_index(entries: Sequence[Entry], *, env: jinja2.Environment | None = None) -> str:
    """Render the archive page: every briefing, newest first, with its top headlines."""
    ordered = sorted(entries, key=lambda e: e.date, reverse=True)
    return _render(env, "archive.html.j2", entries=ordered)


def update_archive(
    out_dir: Path, date: dt.date, *, env: jinja2.Environment | None = None
) -> tuple[list[Path], list[str]]:
    """Re-render the HTML of the neighbours of ``date`` and rewrite ``index.html``.

    Returns the files written and notes on the briefings left out.
    """
    out_dir = Path(out_dir)
    found, notes = scan(out_dir)
    entries = [e for e, _ in found]
    written: list[Path] = []
    current = nav_for(date, entries)
    for neighbour in (current.prev, current.next):
        if neighbour is None or neighbour.html is None:
            continue
        briefing = next(b for e, b in found if e.date == neighbour.date)
        path = out_dir / neighbour.html
        write_text(path, render_html(briefing, env=env, nav=nav_for(neighbour.date, entries)))
        written.append(path)
    index = out_dir / INDEX
    write_text(index, render_index(entries, env=env))
    written.append(index)
    return written, notes
