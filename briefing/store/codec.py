"""Summaries as plain JSON-able data: what the digest cache stores, rebuilt exactly."""

from __future__ import annotations

from ..records import Dropped, Evidence, Limit, Sentence, Summary


def limit_to_dict(limit: Limit | None) -> dict[str, object] | None:
    """Convert a limit to its JSON object (``message`` included), or None."""
    if limit is None:
        return None
    return {
        "name": limit.name,
        "where": limit.where,
        "cap": limit.cap,
        "kept": limit.kept,
        "total": limit.total,
        "unit": limit.unit,
        "message": limit.message,
    }


def limit_from_dict(data: dict[str, object] | None) -> Limit | None:
    """Rebuild a limit from ``limit_to_dict`` output (None stays None)."""
    if data is None:
        return None
    return Limit(
        name=str(data["name"]),
        where=str(data["where"]),
        cap=int(data["cap"]),  # type: ignore[call-overload]
        kept=int(data["kept"]),  # type: ignore[call-overload]
        total=int(data["total"]),  # type: ignore[call-overload]
        unit=str(data["unit"]),
    )


def summary_to_dict(summary: Summary) -> dict:
    """Turn a Summary into plain JSON-able data."""
    return {
        "headline": summary.headline,
        "backend": summary.backend,
        "sentences": [
            {
                "text": s.text,
                "citations": list(s.citations),
                "evidence": [
                    {"article_id": e.article_id, "sentence": e.sentence, "score": e.score}
                    for e in s.evidence
                ],
            }
            for s in summary.sentences
        ],
        "dropped": [{"text": d.text, "reason": d.reason} for d in summary.dropped],
        "input_cut": limit_to_dict(summary.input_cut),
    }


def summary_from_dict(data: dict) -> Summary:
    """Rebuild a Summary from ``summary_to_dict`` output."""
    return Summary(
        headline=data["headline"],
        backend=data["backend"],
        sentences=tuple(
            Sentence(
                text=s["text"],
                citations=tuple(s["citations"]),
                evidence=tuple(Evidence(**e) for e in s.get("evidence", [])),
            )
            for s in data["sentences"]
        ),
        dropped=tuple(Dropped(**d) for d in data.get("dropped", [])),
        input_cut=limit_from_dict(data.get("input_cut")),
    )
