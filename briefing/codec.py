"""Summaries as plain JSON-able data: what the digest cache stores, rebuilt exactly."""

from __future__ import annotations

from .limits import limit_from_dict, limit_to_dict
from .models import Dropped, Evidence, Sentence, Summary


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
