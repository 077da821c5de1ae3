"""Read a corpus of files into Articles, choosing a reader by file extension.

- One bad file never stops ``ingest``: an unreadable file, feed entry, JSON list item
  or JSONL line becomes a ``Skipped(path, reason)`` and a logged warning.
- Folders are walked recursively in sorted order, hidden names and unknown extensions
  passed over silently, each real folder once (so symlink loops end).
- Entries of a feed or JSON list get paths ``file#N`` (entry number from 1); JSONL
  lines get ``file#LINE``.
- ``Article.text`` is the body only, paragraphs separated by blank lines; its id is
  ``dedup.content_id(text)``. A metadata date wins over one found in the text's header;
  an unparsable metadata date is ignored, never a reason to skip.
- Only regular files are read (a FIFO or device is skipped, never opened); a body of
  fewer than ``MIN_WORDS`` words in a text or Markdown file is skipped as too short; a title over
  ``MAX_TITLE_CHARS`` is cut at a word, ending in "…"; in a malformed feed, an entry
  with a title and no text is skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import ArticleError, InputError
from ..records import Article, Corpus, Skipped
from ..text import content_id, word_count
from .dates import parse_date
from .decode import decode_text
from .htmltext import extract_html, html_to_text
from .textmeta import read_text

log = logging.getLogger(__name__)

_Result = tuple[list[Article], list[Skipped]]
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
_TEXT_KEYS = ("text", "content", "body")
_KEYS = {
    "title": ("title", "headline"),
    "date": ("date", "published", "pubDate", "date_published"),
    "source": ("source", "outlet", "publisher"),
    "author": ("author", "byline"),
    "url": ("url", "link"),
}
MIN_WORDS = 2  # a text file with a shorter body is no article (a feed item may be a title)
MAX_TITLE_CHARS = 300  # a longer title is cut, ending in "…"
_NO_JSON_TEXT = "JSON has no article text (expected an object with 'text' or a list of them)"


def ingest(paths: Sequence[Path], *, reference_date: dt.date | None = None) -> Corpus:
    """Read every supported file under the given files and folders into a Corpus."""
    roots = [Path(p) for p in paths]
    for root in roots:
        if not root.exists() and not root.is_symlink():
            raise InputError(f"corpus path not found: {root}")
    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for root in roots:
        for item in _walk(root, seen, top=True):
            try:
                found, bad = _read(item, reference_date) if isinstance(item, Path) else ([], [item])
            except ArticleError as e:
                found, bad = [], [Skipped(str(item), str(e).removeprefix(f"{item}: "))]
            for s in bad:
                log.warning("skipped %s: %s", s.path, s.reason)
            articles += found
            skipped += bad
    return Corpus(articles=tuple(articles), skipped=tuple(skipped))


def read_file(path: Path, *, reference_date: dt.date | None = None) -> list[Article]:
    """Read one file into its articles; raise ArticleError when the file cannot be read."""
    articles, bad = _read(path, reference_date)
    for s in bad:
        log.warning("skipped %s: %s", s.path, s.reason)
    return articles


def parse_text(raw: str, path: str, *, reference_date: dt.date | None = None) -> Article:
    """Parse a plain-text or Markdown article, with optional YAML front matter."""
    meta: dict[str, Any] = {}
    m = _FRONT_MATTER.match(raw.lstrip("\ufeff"))
    if m:
        import yaml

        try:
            loaded = yaml.safe_load(m.group(1) or "")
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f" at line {mark.line + 2}" if mark is not None else ""
            raise ArticleError(f"{path}: malformed YAML front matter{where}") from None
        if isinstance(loaded, dict):
            meta, raw = loaded, raw.lstrip("\ufeff")[m.end() :]
    if path.lower().endswith((".md", ".markdown")):
        import markdown

        raw = html_to_text(markdown.markdown(raw))
    article = _article(path, raw, meta, reference_date)
    if (n := word_count(article.text)) < MIN_WORDS:
        raise ArticleError(f"{path}: too short to be an article ({n} word{'s' * (n != 1)})")
    return article


def _walk(path: Path, seen: set[Path], *, top: bool = False) -> Iterator[Path | Skipped]:
    """Yield the readable files under a path in sorted order, each folder once."""
    if path.is_dir():
        real = path.resolve()
        if real in seen:
            return
        seen.add(real)
        try:
            children = sorted(path.iterdir(), key=lambda p: p.name)
        except OSError as e:
            yield Skipped(str(path), _os_reason(e))
            return
        for child in children:
            if not child.name.startswith("."):
                yield from _walk(child, seen)
    elif top or path.suffix.lower() in _READERS:
        yield path


def _os_reason(e: OSError) -> str:
    known = {PermissionError: "permission denied", FileNotFoundError: "file not found"}
    return f"unreadable: {known.get(type(e)) or e.strerror or e}"


def _read(path: Path, reference_date: dt.date | None) -> _Result:
    """Read one file with the reader for its extension; raise ArticleError on failure."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or device would block or never end
            raise ArticleError(f"{path}: not a regular file")
        data = path.read_bytes()
    except OSError as e:
        raise ArticleError(f"{path}: {_os_reason(e)}") from None
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise ArticleError(f"{path}: unsupported file type {path.suffix or '(no extension)'!r}")
    if not data.strip():
        raise ArticleError(f"{path}: empty file")
    return reader(data, path, reference_date)


def _article(path: str, text: str, meta: dict[str, Any], reference_date: dt.date | None) -> Article:
    """Build an Article from body text and metadata, filling gaps from the text's header."""

    def field(name: str) -> str | None:
        for key in _KEYS[name]:
            value = meta.get(key)
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = ", ".join(value)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None

    title, url = field("title"), field("url")
    if title and re.match(r"https?\s*:\s*/", title):  # a URL standing in for a title
        url, title = url or re.sub(r"\s+", "", title), None
    date_value = next((meta[k] for k in _KEYS["date"] if meta.get(k)), None)
    found = read_text(text, title=title, reference_date=reference_date)
    body = found.text or (title or "")  # a headline-only item (common in feeds): its title
    if not body:
        raise ArticleError(f"{path}: no article text")
    return Article(
        id=content_id(body),
        title=_short_title(found.title),
        text=body,
        path=path,
        date=parse_date(date_value, reference_date=reference_date) or found.date,
        source=field("source") or found.source,
        author=field("author") or found.author,
        url=url,
    )


def _short_title(title: str) -> str:
    """Cut a title longer than ``MAX_TITLE_CHARS`` at a word boundary, marked with "…"."""
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title.rfind(" ", 0, MAX_TITLE_CHARS)
    return title[: cut if cut > MAX_TITLE_CHARS // 2 else MAX_TITLE_CHARS].rstrip() + "…"


def _read_text(data: bytes, path: Path, reference_date: dt.date | None) -> _Result:
    return [parse_text(decode_text(data, path), str(path), reference_date=reference_date)], []


def _read_html(data: bytes, path: Path, reference_date: dt.date | None) -> _Result:
    meta = extract_html(decode_text(data, path))
    if meta is None:
        raise ArticleError(f"{path}: no article text")
    return [_article(str(path), meta["text"] or "", meta, reference_date)], []


def _entries(items: list[Any], wheres: list[str], ref: dt.date | None) -> _Result:
    """Read JSON values as articles at the given paths, skipping the ones without text."""
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for where, item in zip(wheres, items, strict=True):
        try:
            if not isinstance(item, dict):
                raise ArticleError(f"{where}: not a JSON object")
            text = next((item[k] for k in _TEXT_KEYS if isinstance(item.get(k), str)), "")
            articles.append(_article(where, text, item, ref))
        except ArticleError as e:
            skipped.append(Skipped(where, str(e).removeprefix(f"{where}: ")))
    return articles, skipped


def _read_json(data: bytes, path: Path, reference_date: dt.date | None) -> _Result:
    try:
        value = json.loads(decode_text(data, path))
    except json.JSONDecodeError as e:
        raise ArticleError(f"{path}: malformed JSON: {e.msg} at line {e.lineno}") from None
    items = value if isinstance(value, list) else [value]
    if not any(
        isinstance(v, dict) and any(isinstance(v.get(k), str) for k in _TEXT_KEYS) for v in items
    ):
        raise ArticleError(f"{path}: {_NO_JSON_TEXT}")
    if isinstance(value, list):
        return _entries(value, [f"{path}#{n}" for n in range(1, len(value) + 1)], reference_date)
    articles, skipped = _entries(items, [str(path)], reference_date)
    if skipped:
        raise ArticleError(f"{path}: {skipped[0].reason}")
    return articles, []


def _read_jsonl(data: bytes, path: Path, reference_date: dt.date | None) -> _Result:
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for n, line in enumerate(decode_text(data, path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            skipped.append(Skipped(f"{path}#{n}", f"malformed JSON: {e.msg}"))
            continue
        found, bad = _entries([item], [f"{path}#{n}"], reference_date)
        articles += found
        skipped += bad
    return articles, skipped


def _read_feed(data: bytes, path: Path, reference_date: dt.date | None) -> _Result:
    decode_text(data, path)  # rejects binary files; feedparser decodes by the XML declaration
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        problem = f": malformed XML ({feed.bozo_exception})" if feed.bozo else ""
        raise ArticleError(f"{path}: feed has no entries{problem}")
    outlet = feed.feed.get("title")
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for n, entry in enumerate(feed.entries, 1):
        where = f"{path}#{n}"
        parts = [*entry.get("content", []), entry.get("summary_detail") or {}]
        part = max(parts, key=lambda p: len(p.get("value") or ""))
        text = part.get("value") or ""
        if "html" in (part.get("type") or "html"):
            text = html_to_text(text)
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        stamp = entry.get("published") or entry.get("updated")
        date = parse_date(stamp) or (dt.date(*parsed[:3]) if parsed else None)
        meta = {"title": entry.get("title"), "date": date, "source": outlet}
        author = (entry.get("author_detail") or {}).get("name") or entry.get("author")
        meta |= {"author": author, "url": entry.get("link")}
        try:
            if feed.bozo and not text.strip():
                raise ArticleError(f"{where}: a title without text")
            articles.append(_article(where, text, meta, reference_date))
        except ArticleError as e:
            reason = str(e).removeprefix(f"{where}: ")
            if feed.bozo:
                reason += f" (malformed XML: {feed.bozo_exception})"
            skipped.append(Skipped(where, reason))
    return articles, skipped


_READERS: dict[str, Callable[[bytes, Path, dt.date | None], _Result]] = {
    **dict.fromkeys((".txt", ".md", ".markdown"), _read_text),
    **dict.fromkeys((".html", ".htm"), _read_html),
    **dict.fromkeys((".xml", ".rss", ".atom"), _read_feed),
    ".json": _read_json,
    ".jsonl": _read_jsonl,
}
