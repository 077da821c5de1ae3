"""The JSON document of a briefing: write it (``briefing_to_dict``) and read it back.

Invariant: ``briefing_to_dict(briefing_from_dict(doc)) == doc`` for every
document ``briefing_to_dict`` writes. The JSON carries no article text, so
rebuilt articles have ``text == ""``; everything a template shows is kept.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import (
    Article,
    Briefing,
    BriefingEvent,
    Dropped,
    Event,
    Evidence,
    Gone,
    History,
    Previous,
    Sentence,
    Skipped,
    Source,
    Stats,
    Summary,
)
from ..store.codec import limit_from_dict, limit_to_dict


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


def _sentence(s: dict[str, Any]) -> Sentence:
    return Sentence(
        text=s["text"],
        citations=tuple(s.get("citations", ())),
        evidence=tuple(
            Evidence(article_id=e["article_id"], sentence=e["sentence"], score=float(e["score"]))
            for e in s.get("evidence", ())
        ),
    )


def _sentence_dict(s: Sentence) -> dict[str, Any]:
    return {
        "text": s.text,
        "citations": list(s.citations),
        "evidence": [
            {"article_id": e.article_id, "sentence": e.sentence, "score": float(e.score)}
            for e in s.evidence
        ],
    }


def history_to_dict(history: History | None) -> dict[str, Any]:
    """Return an event's history keys for the JSON document (none when it has no history)."""
    if history is None:
        return {}
    previous = history.previous
    return {
        "status": history.status,
        "previous": {
            "date": previous.date.isoformat(),
            "briefing": previous.briefing,
            "headline": previous.headline,
        }
        if previous
        else None,
        "new_articles": list(history.new_articles),
        "whats_new": _sentence_dict(history.whats_new) if history.whats_new else None,
    }


def gone_to_dict(gone: tuple[Gone, ...]) -> list[dict[str, Any]]:
    """Return the JSON list of the previous briefing's events that are gone."""
    return [
        {"headline": g.headline, "date": g.date.isoformat(), "briefing": g.briefing} for g in gone
    ]


def _history(doc: dict[str, Any]) -> History | None:
    if "status" not in doc:
        return None
    previous = doc.get("previous")
    whats_new = doc.get("whats_new")
    return History(
        status=doc["status"],
        previous=Previous(
            date=dt.date.fromisoformat(previous["date"]),
            headline=previous["headline"],
            briefing=previous.get("briefing"),
        )
        if previous
        else None,
        new_articles=tuple(doc.get("new_articles", ())),
        whats_new=_sentence(whats_new) if whats_new else None,
    )


def _event(doc: dict[str, Any]) -> BriefingEvent:
    sentences = tuple(_sentence(s) for s in doc["sentences"])
    summary = Summary(
        headline=doc["headline"],
        sentences=sentences,
        backend=doc["backend"],
        dropped=tuple(Dropped(text=d["text"], reason=d["reason"])
                      for d in doc.get("dropped", ())),
        input_cut=limit_from_dict(doc.get("input_cut")),
    )
    event = Event(id=doc["id"], articles=tuple(_article(a) for a in doc["articles"]))
    return BriefingEvent(
        event=event, summary=summary, rank=int(doc["rank"]), history=_history(doc)
    )


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
            gone=tuple(
                Gone(headline=g["headline"], date=dt.date.fromisoformat(g["date"]),
                     briefing=g.get("briefing"))
                for g in doc.get("gone", ())
            ),
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


def _utc(moment: dt.datetime) -> dt.datetime:
    """Return a naive UTC time; a naive input is taken to be UTC already."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def utc_iso(moment: dt.datetime) -> str:
    """Format a time as ISO 8601 UTC: ``2022-12-21T07:30:00Z``."""
    return _utc(moment).isoformat(timespec="seconds") + "Z"


def _article_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "author": article.author,
        "date": article.date.isoformat() if article.date else None,
        "url": article.url,
        "path": article.path,
        "duplicates": [
            {"path": d.path, "source": d.source, "url": d.url} for d in article.duplicates
        ],
        "truncated": limit_to_dict(article.truncated),
    }


def event_to_dict(item: BriefingEvent) -> dict[str, Any]:
    summary = item.summary
    return {
        "id": item.event.id,
        "headline": summary.headline,
        "rank": item.rank,
        "backend": summary.backend,
        "digest": summary.digest,
        "sentences": [
            {
                "text": s.text,
                "citations": list(s.citations),
                "evidence": [
                    {"article_id": e.article_id, "sentence": e.sentence, "score": float(e.score)}
                    for e in s.evidence
                ],
            }
            for s in summary.sentences
        ],
        "dropped": [{"text": d.text, "reason": d.reason} for d in summary.dropped],
        "input_cut": limit_to_dict(summary.input_cut),
        "articles": [_article_dict(a) for a in item.event.articles],
        **history_to_dict(item.history),
    }


def briefing_to_dict(briefing: Briefing) -> dict[str, Any]:
    """Convert a briefing to the JSON document, keys in a fixed order.

    The document (events in rank order; ``null`` where a value is missing)::

        {"date": "2022-12-21", "generated_at": "2022-12-21T07:30:00Z",
         "backend": str, "title": "Briefing for Wednesday, 21 December 2022",
         "stats": {"read": int, "duplicates": int, "events": int,
                   "skipped": int, "out_of_window": int},
         "events": [{"id": str, "headline": str, "rank": int,
                     "backend": str, "digest": str,
                     "sentences": [{"text": str, "citations": [article_id, ...],
                                    "evidence": [{"article_id": str,
                                                  "sentence": str, "score": float}]}],
                     "dropped": [{"text": str, "reason": str}],
                     "input_cut": limit|null,
                     "articles": [{"id": str, "title": str, "source": str|null,
                                   "author": str|null, "date": "YYYY-MM-DD"|null,
                                   "url": str|null, "path": str,
                                   "duplicates": [{"path": str, "source": str|null,
                                                   "url": str|null}],
                                   "truncated": limit|null}]}],
         "skipped": [{"path": str, "reason": str}],
         "gone": [{"headline": str, "date": "YYYY-MM-DD", "briefing": str|null}],
         "limits": [limit]}

    An event placed in history (every event of a build) also has ``status``
    ("new", "developing" or "unchanged"), ``previous`` ({"date", "briefing",
    "headline"} or null), ``new_articles`` (ids) and ``whats_new`` (a sentence
    object like those of ``sentences``, or null). A limit (``ingest/limits.py``) is
    {"name": str, "where": str, "cap": int, "kept": int, "total": int, "unit": str,
    "message": str}.
    """
    stats = briefing.stats
    return {
        "date": briefing.date.isoformat(),
        "generated_at": utc_iso(briefing.generated_at),
        "backend": briefing.backend,
        "title": briefing.title,
        "stats": {
            "read": stats.read,
            "duplicates": stats.duplicates,
            "events": stats.events,
            "skipped": stats.skipped,
            "out_of_window": stats.out_of_window,
        },
        "events": [event_to_dict(i) for i in sorted(briefing.events, key=lambda i: i.rank)],
        "skipped": [{"path": s.path, "reason": s.reason} for s in briefing.skipped],
        "gone": gone_to_dict(briefing.gone),
        "limits": [limit_to_dict(limit) for limit in briefing.limits],
    }


def render_json(briefing: Briefing) -> str:
    """Render the briefing as the JSON document (UTF-8, indent 2)."""
    return json.dumps(briefing_to_dict(briefing), ensure_ascii=False, indent=2) + "\n"
