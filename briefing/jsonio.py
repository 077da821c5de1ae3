"""Read a briefing back from its JSON document (the inverse of ``render.briefing_to_dict``).

Invariant: ``briefing_to_dict(briefing_from_dict(doc)) == doc`` for every
document ``briefing_to_dict`` writes. The JSON carries no article text, so
rebuilt articles have ``text == ""``; everything a template shows is kept.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from .errors import InputError
from .limits import limit_from_dict
from .models import (
    Article,
    Briefing,
    BriefingEvent,
    Dropped,
    Event,
    Evidence,
    Sentence,
    Skipped,
    Source,
    Stats,
    Summary,
)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _time(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _article(doc: dict[str, Any]) -> Article:
    return Article(
        id=doc["id"],
        title=doc["title"],
        text="",
        path=doc["path"],
        date=_date(doc.get("date")),
        source=doc.get("source"),
        author=doc.get("author"),
        url=doc.get("url"),
        duplicates=tuple(
            Source(path=d["path"], source=d.get("source"), url=d.get("url"))
            for d in doc.get("duplicates", ())
        ),
        truncated=limit_from_dict(doc.get("truncated")),
    )


def _event(doc: dict[str, Any]) -> BriefingEvent:
    sentences = tuple(
        Sentence(
            text=s["text"],
            citations=tuple(s.get("citations", ())),
            evidence=tuple(
                Evidence(article_id=e["article_id"], sentence=e["sentence"],
                         score=float(e["score"]))
                for e in s.get("evidence", ())
            ),
        )
        for s in doc["sentences"]
    )
    summary = Summary(
        headline=doc["headline"],
        sentences=sentences,
        backend=doc["backend"],
        dropped=tuple(Dropped(text=d["text"], reason=d["reason"])
                      for d in doc.get("dropped", ())),
        input_cut=limit_from_dict(doc.get("input_cut")),
    )
    event = Event(id=doc["id"], articles=tuple(_article(a) for a in doc["articles"]))
    return BriefingEvent(event=event, summary=summary, rank=int(doc["rank"]))


def briefing_from_dict(doc: dict[str, Any]) -> Briefing:
    """Rebuild a ``Briefing`` from its JSON document; raise ``InputError`` if malformed."""
    try:
        return Briefing(
            date=dt.date.fromisoformat(doc["date"]),
            generated_at=_time(doc["generated_at"]),
            backend=doc["backend"],
            events=tuple(sorted((_event(e) for e in doc["events"]), key=lambda i: i.rank)),
            skipped=tuple(Skipped(path=s["path"], reason=s["reason"])
                          for s in doc.get("skipped", ())),
            stats=Stats(**doc.get("stats", {})),
            limits=tuple(filter(None, map(limit_from_dict, doc.get("limits", ())))),
        )
    except KeyError as exc:
        raise InputError(f"not a briefing document: the key {exc.args[0]!r} is missing") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"not a briefing document: {exc}") from exc


def load_briefing(path: Path) -> Briefing:
    """Read the briefing JSON file at ``path``."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"briefing not found: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is not a briefing JSON file: {exc}") from exc
    if not isinstance(doc, dict):
        raise InputError(f"{path} is not a briefing JSON file: expected an object")
    try:
        return briefing_from_dict(doc)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc
