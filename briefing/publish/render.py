"""Render a ``Briefing`` as Markdown, HTML and JSON, and write the files.

Invariants:

- Article text is data. It is only ever passed to templates as values, never
  compiled as a template, so ``{{ 7*7 }}`` in a title prints as written.
- HTML templates (``*.html``, ``*.html.j2``) autoescape every value; Markdown
  templates do not, and escape untrusted strings with ``md_escape``/``md_code``.
- Only http(s) URLs become links (``http_url``); anything else is shown as text.
- Citation numbers are local to an event: article ``n`` of the event's
  ``articles`` tuple is source ``[n]``, counting from 1.
- Output files appear whole or not at all, and a briefing's files are replaced
  together: every format is written to a temp file in the same folder first, and
  only then is each ``os.replace``d, so a full or read-only disk leaves the
  previous files as they were (``files.write_files``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import markdown as markdown_lib
import nh3
from markupsafe import Markup

from ..errors import BriefingError, ConfigError, OutputError, TemplateNotFoundError
from ..events.timeline import timeline
from ..records import Article, Briefing, BriefingEvent, Limit, Sentence
from ..resources import data_dir
from .files import write_files
from .jsonio import _utc, briefing_to_dict, event_to_dict, render_json, utc_iso

__all__ = ["briefing_to_dict", "event_to_dict", "render_json", "utc_iso"]  # the JSON format

FORMATS = ("md", "html", "json")

_MD_INLINE = re.compile(r"([\\`*_\[\]#!])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_LINE_START = re.compile(r"^(\d+)([.)])|^([-+])")
_BAD_URL_CHARS = re.compile(r"[\s<>\"'`\\\x00-\x1f\x7f]")
_ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "a", "ul", "ol", "li", "blockquote"}


def _oneline(text: object) -> str:
    """Collapse all whitespace, newlines included, to single spaces."""
    return " ".join(str(text).split())


def md_escape(text: object) -> str:
    """Escape a string so Markdown renders it as literal inline text."""
    out = _MD_ENTITY.sub("&amp;", _oneline(text)).replace("<", "&lt;").replace(">", "&gt;")
    out = _MD_INLINE.sub(r"\\\1", out)
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", out)


def md_code(text: object) -> str:
    """Wrap a string in a Markdown code span that no backtick inside can close."""
    text = _oneline(text)
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def http_url(url: str | None) -> str | None:
    """Return ``url`` if it is an absolute http(s) URL safe to link, else None."""
    if not url or _BAD_URL_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def url_host(url: str | None) -> str:
    """Return the host of an http(s) URL without ``www.``, or an empty string."""
    safe = http_url(url)
    host = urlsplit(safe).hostname or "" if safe else ""
    return host.removeprefix("www.")


def cite_numbers(sentence: Sentence, item: BriefingEvent) -> list[int]:
    """Return the event-local source numbers a sentence cites, in order."""
    index = {a.id: n for n, a in enumerate(item.event.articles, start=1)}
    return sorted({index[c] for c in sentence.citations if c in index})


def outlets(item: BriefingEvent) -> list[str]:
    """Return the distinct outlets that carried an event, duplicates included."""
    names = [a.source for a in item.event.articles]
    names += [d.source for a in item.event.articles for d in a.duplicates]
    return sorted({n.strip() for n in names if n and n.strip()}, key=str.casefold)


def limit_notes(item: BriefingEvent) -> list[str]:
    """Return the reader's notes on an event that a size limit cut short (detail: the JSON)."""
    notes = [item.summary.input_cut.note] if item.summary.input_cut is not None else []
    for n, article in enumerate(item.event.articles, start=1):
        if article.truncated is not None:
            notes.append(f"Source {n}: {article.truncated.note[0].lower()}"
                         f"{article.truncated.note[1:]}")
    return notes


def corpus_notes(limits: Iterable[Limit]) -> list[str]:
    """Return the reader's notes on limits that concern no single event (the corpus's)."""
    return [limit.note for limit in limits if limit.name == "max_corpus_chars"]


def plural(count: int, word: str) -> str:
    """Return ``"1 event"`` or ``"3 events"``."""
    return f"{count} {word if count == 1 else word + 's'}"


def short_date(day: dt.date) -> str:
    """Format a date as ``21 Dec 2022``."""
    return f"{day.day} {day:%b %Y}"


def date_span(articles: Iterable[Article]) -> str:
    """Format the span of the articles' dates: ``20–21 Dec 2022``; empty if undated."""
    days = sorted({a.date for a in articles if a.date})
    if not days:
        return ""
    first, last = days[0], days[-1]
    if first.year != last.year:
        return f"{short_date(first)} – {short_date(last)}"
    if first.month != last.month:
        return f"{first.day} {first:%b} – {short_date(last)}"
    return short_date(last) if first == last else f"{first.day}–{short_date(last)}"


def utc_human(moment: dt.datetime) -> str:
    """Format a time for people: ``21 Dec 2022, 07:30 UTC``."""
    return f"{short_date(_utc(moment))}, {_utc(moment):%H:%M} UTC"


def markdown_to_html(md_text: str) -> Markup:
    """Convert user-supplied Markdown to sanitised HTML (http/https/mailto links only)."""
    html = markdown_lib.markdown(md_text, output_format="html")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


FILTERS: dict[str, Callable[..., Any]] = {
    "md_escape": md_escape,
    "md_code": md_code,
    "http_url": http_url,
    "url_host": url_host,
    "cite_numbers": cite_numbers,
    "outlets": outlets,
    "plural": plural,
    "limit_notes": limit_notes,
    "corpus_notes": corpus_notes,
    "short_date": short_date,
    "date_span": date_span,
    "utc_iso": utc_iso,
    "utc_human": utc_human,
    "markdown": markdown_to_html,
    "timeline": lambda item: timeline(item.event),
}


def make_environment(template_dirs: Sequence[Path] = ()) -> jinja2.Environment:
    """Build the Jinja environment: user folders first, then the shipped templates."""
    missing = [str(d) for d in template_dirs if not Path(d).is_dir()]
    if missing:
        raise ConfigError(f"template folder not found: {', '.join(missing)}")
    shipped = jinja2.FileSystemLoader(data_dir("templates"))
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"builtin": shipped}, delimiter=":"),
            *(jinja2.FileSystemLoader(Path(d)) for d in template_dirs),
            shipped,
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "html.j2"], default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


@functools.cache
def _default_environment() -> jinja2.Environment:
    return make_environment()


def _searched(loader: jinja2.BaseLoader | None) -> list[str]:
    """List the folders a loader stack searches, in order."""
    if isinstance(loader, jinja2.FileSystemLoader):
        return [str(p) for p in loader.searchpath]
    if isinstance(loader, jinja2.ChoiceLoader):
        return [p for sub in loader.loaders for p in _searched(sub)]
    if isinstance(loader, jinja2.PrefixLoader):
        return [f"{k}: {p}" for k, sub in loader.mapping.items() for p in _searched(sub)]
    return []


def _render(env: jinja2.Environment | None, name: str, **context: Any) -> str:
    env = env or _default_environment()
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        searched = ", ".join(_searched(env.loader)) or "(no folders)"
        needed = "" if exc.name == name else f" (needed by {name!r})"
        raise TemplateNotFoundError(
            f"template {exc.name!r} not found{needed}; searched: {searched}"
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise BriefingError(f"template {where}, line {exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise BriefingError(f"template {name!r} failed: {exc}") from exc


def render_markdown(
    briefing: Briefing, *, env: jinja2.Environment | None = None, nav: Any = None
) -> str:
    """Render the briefing as Markdown with ``[n]`` citations."""
    return _render(env, "briefing.md.j2", briefing=briefing, nav=nav)


def render_html(
    briefing: Briefing, *, env: jinja2.Environment | None = None, nav: Any = None
) -> str:
    """Render the briefing as one self-contained HTML page.

    ``nav`` (an ``archive.Nav``) adds links to the previous and next briefings.
    """
    return _render(env, "briefing.html.j2", briefing=briefing, nav=nav)


def write_text(path: Path, text: str) -> None:
    """Write a file whole or not at all (``OutputError`` naming it on failure)."""
    write_files({Path(path): text.encode("utf-8")})


def write_outputs(
    briefing: Briefing,
    out_dir: Path,
    formats: Sequence[str],
    *,
    env: jinja2.Environment | None = None,
    nav: Any = None,
) -> list[Path]:
    """Write ``out_dir/YYYY-MM-DD.<format>`` for each format; return the paths written."""
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        known = ", ".join(FORMATS)
        raise ConfigError(f"unknown output format {', '.join(unknown)} (known: {known})")
    texts = {  # render every format before writing any
        fmt: render_json(briefing)
        if fmt == "json"
        else _render(env, f"briefing.{fmt}.j2", briefing=briefing, nav=nav)
        for fmt in wanted
    }
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out_dir}: {exc.strerror or exc}") from exc
    files = {out_dir / f"{briefing.date.isoformat()}.{fmt}": t.encode() for fmt, t in texts.items()}
    write_files(files)
    return list(files)
