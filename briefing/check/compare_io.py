"""Compare from files: sources read from disk, a briefing's JSON, JSON-lines pairs.

The checking itself is ``compare.compare_summary``; this module reads what it checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import InputError
from ..events.embed import Embedder
from ..ingest.readers import read_file
from ..records import Article
from .compare import EventComparison, compare_summary

if TYPE_CHECKING:
    from ..progress import Progress


def read_sources(paths: Sequence[Path]) -> tuple[list[Article], list[str]]:
    """Read source files into Articles; return them and a note for each file skipped."""
    articles: list[Article] = []
    notes: list[str] = []
    for path in paths:
        try:
            articles += read_file(Path(path))
        except InputError as e:
            notes.append(f"skipped source {e}")
    if not articles:
        raise InputError("no readable source: " + "; ".join(notes or ["none given"]))
    return articles, notes


_MD_MARKUP = [  # links and images become their text; block marks, emphasis and code go
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)", re.M), ""),
    (re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
]


def summary_from_bytes(data: bytes, *, markdown: bool = False) -> str:
    """Decode a summary (UTF-8 or UTF-16 with a BOM, UTF-8, else cp1252); drop Markdown marks."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if markdown:
        for pattern, replacement in _MD_MARKUP:
            text = pattern.sub(replacement, text)
    return text


def _event_sources(event: dict, base: Path) -> tuple[list[Article], list[str]]:
    """Read an event's articles from the paths in the briefing JSON (or their copies)."""
    found: list[Article] = []
    notes: list[str] = []
    for item in event.get("articles", []):
        paths = [item.get("path")] + [d.get("path") for d in item.get("duplicates", [])]
        for raw in filter(None, paths):
            name, _, entry = str(raw).partition("#")
            places = (Path(name), base / name, base.parent / name)
            path = next((p for p in places if p.is_file()), None)
            if path is None:
                continue
            try:
                read = read_file(path)
                found.append(read[int(entry) - 1] if entry.isdigit() else read[0])
                break
            except (InputError, IndexError):
                continue
        else:
            notes.append(f"article {item.get('path')!r} not found or unreadable")
    return found, notes


def compare_briefing(json_path: Path, *, embedder: Embedder | None = None) -> list[EventComparison]:
    """Check every event's digest of a briefing JSON against that event's articles."""
    try:
        doc = json.loads(Path(json_path).read_text("utf-8"))
        events = doc["events"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
        raise InputError(f"{json_path}: not a briefing JSON ({e})") from None
    results = []
    for event in events:
        sentences = [s["text"] for s in event.get("sentences", [])]
        articles, notes = _event_sources(event, Path(json_path).resolve().parent)
        if not sentences or not articles:
            continue
        comparison = compare_summary(sentences, articles, embedder=embedder, notes=notes)
        results.append(EventComparison(event.get("rank", 0), event.get("headline", ""), comparison))
    if not results:
        raise InputError(f"{json_path}: no event with a digest and readable articles")
    return results


def compare_pairs(
    jsonl_in: Path | IO[str],
    out: Path | IO[str],
    progress: Progress | None = None,
    *,
    embedder: Embedder | None = None,
) -> int:
    """Check one ``{"summary", "sources"|"source", "reference"?}`` object a line into JSON lines.

    Output line N answers the N-th non-blank input line: the JSON format of
    ``compare_render.comparison_to_dict`` (with the input's ``id``, if any), or
    ``{"line": N, "error": "..."}`` for a line that cannot be checked. The
    embedding model is loaded once. Returns the number of lines written.
    """
    from ..events.embed import get_embedder

    try:
        text = jsonl_in.read_text("utf-8") if isinstance(jsonl_in, Path) else jsonl_in.read()
        sink = out.open("w", encoding="utf-8") if isinstance(out, Path) else out
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read or write the pairs: {e}") from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    model = embedder or get_embedder()
    progress = progress or _Silent()
    progress.start("Comparing", len(lines))
    try:
        for n, line in lines:
            sink.write(json.dumps(_pair(n, line, model), ensure_ascii=False) + "\n")
            progress.advance(f"line {n}")
    finally:
        progress.finish()
        if sink is not out:
            sink.close()
    return len(lines)


def _pair(n: int, line: str, embedder: Embedder) -> dict[str, Any]:
    from .compare_render import comparison_to_dict

    try:
        item = json.loads(line)
        sources = item.get("sources", [item.get("source")])
        if not isinstance(item.get("summary"), str) or not all(isinstance(s, str) for s in sources):
            raise InputError('expected {"summary": text, "sources": [text, ...]}')
        reference = item.get("reference")
        c = compare_summary(item["summary"], sources, reference=reference, embedder=embedder)
    except (ValueError, AttributeError, TypeError, InputError) as e:
        return {"line": n, "error": str(e)}
    return ({"id": item["id"]} if "id" in item else {}) | comparison_to_dict(c)


class _Silent:
    def start(self, stage: str, total: int) -> None: ...
    def advance(self, info: str = "") -> None: ...
    def finish(self) -> None: ...
