"""Check any summary against its source texts, claim by claim.

Invariants:

- Each summary sentence is judged by :func:`judge.judge` (the judge the build guard
  uses too) against its best source sentences (``verify.support_matrix``):
  ``supported``, ``contradicted`` (a close source sentence says otherwise: negation,
  opposite, roles, number, date, place, attribution; what differs is given) or
  ``not found`` (a number or name in no source, or too little support).
- The summary's ``support_score`` is its weakest sentence's support: one
  invented claim makes a summary unfaithful however good the rest is.
- Bad input raises ``InputError`` with a message for the user; a source that
  cannot be read is skipped with a note as long as one source remains.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..events.embed import Embedder
from ..records import Article
from ..text import split_sentences, word_count
from .facts import vocabulary
from .judge import judge
from .metrics import (
    FragmentStats,
    RougeScores,
    fragment_stats,
    join_sources,
    novel_ngram_ratios,
    rouge,
    summary_tokens,
)
from .verify import SourceSentence, preceding, preselect, support_matrix

MAX_EVIDENCE = 3
MAX_SOURCE_CHARS = 50_000_000  # all sources together; more is refused
FAST_SPLIT_CHARS = 5_000  # a longer paragraph is split on punctuation, not by pysbd ...
FAST_SPLIT_TEXT = 1_000_000  # ... and so is every paragraph of a longer source
MAX_CANDIDATES = 500  # more source sentences are pre-selected by shared words
_FAST_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)\]]*|\n|$)")


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A source sentence supporting a summary sentence: where it is and how well it supports."""

    source: str  # the source's file (or label)
    position: int  # the sentence's number in its source, from 1 (a title is sentence 1)
    sentence: str
    score: float


@dataclass(frozen=True, slots=True)
class SentenceCheck:
    """One summary sentence and what the sources say about it."""

    position: int  # from 1
    text: str
    alignment: float  # the best source sentence's score, before the penalties
    support: float
    verdict: str
    evidence: tuple[SourceRef, ...]
    unsupported_facts: tuple[str, ...]  # numbers, dates and names in no source
    novel_words: tuple[str, ...]  # other content words in no source
    differences: tuple[str, ...] = ()  # contradicted: what differs from evidence[0]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A source as it was read."""

    name: str
    title: str
    words: int
    sentences: int


@dataclass(frozen=True, slots=True)
class Comparison:
    """A summary checked against its sources: per-sentence support and whole-summary metrics."""

    sentences: tuple[SentenceCheck, ...]
    support_score: float
    supported_share: float
    words: int
    rouge_sources: RougeScores
    rouge_reference: RougeScores | None
    fragments: FragmentStats
    novel_ngrams: tuple[float, float, float, float]  # n = 1, 2, 3, 4
    sources: tuple[SourceInfo, ...]
    notes: tuple[str, ...] = ()

    def count(self, verdict: str) -> int:
        """Count the sentences with a verdict."""
        return sum(1 for s in self.sentences if s.verdict == verdict)


def _round(value: float) -> float:
    return round(float(value), 3)


def as_articles(sources: Sequence[str | Article]) -> list[Article]:
    """Wrap plain source texts as Articles labelled ``source 1``, ``source 2``, …"""
    return [
        s if isinstance(s, Article) else Article(f"s{n}", "", s, f"source {n}")
        for n, s in enumerate(sources, start=1)
    ]


def _sentences(text: str) -> list[str]:
    """Split text into sentences like ``split_sentences``, long paragraphs by punctuation."""
    parts = []
    fast = len(text) > FAST_SPLIT_TEXT
    for para in text.splitlines():
        if fast or len(para) > FAST_SPLIT_CHARS:  # pysbd: slow, quadratic in a paragraph
            parts += [m.group().strip() for m in _FAST_SENTENCE.finditer(para)]
        else:
            parts += split_sentences(para)
    return [p for p in parts if p]


def _split(article: Article) -> list[SourceSentence]:
    """Split a source (its title first, unless derived from its opening) into sentences."""
    parts = _sentences(article.text)
    title = article.title.strip()
    if title and not article.text.lstrip().startswith(title.rstrip("…").rstrip()):
        parts.insert(0, title)
    return [SourceSentence(article.path, i, s) for i, s in enumerate(filter(None, parts), 1)]


def compare_summary(
    summary_text: str | Sequence[str],
    sources: Sequence[str | Article],
    *,
    reference: str | None = None,
    embedder: Embedder | None = None,
    notes: Sequence[str] = (),
) -> Comparison:
    """Check a summary (a text, or its sentences) against its sources, sentence by sentence."""
    if isinstance(summary_text, str):
        sentences = _sentences(summary_text)
    else:
        sentences = [s.strip() for s in summary_text if s.strip()]
        summary_text = " ".join(sentences)
    if not sentences:
        raise InputError("the summary is empty")
    articles = as_articles(sources)
    empty = [a for a in articles if not (a.text.strip() or a.title.strip())]
    notes = list(notes) + [f"source {a.path} is empty" for a in empty]
    articles = [a for a in articles if a not in empty]
    if not articles:
        raise InputError("no source text to compare with: every source is empty")
    size = sum(len(a.text) for a in articles)
    if size > MAX_SOURCE_CHARS:
        raise InputError(
            f"the sources are too large ({size / 1e6:.0f} million characters; "
            f"the limit is {MAX_SOURCE_CHARS / 1e6:.0f} million)"
        )
    split = [_split(a) for a in articles]
    pool = preselect(sentences, [s for part in split for s in part], MAX_CANDIDATES)
    matrix = support_matrix(sentences, pool, embedder=embedder)
    joined = "\n".join(f"{a.title}\n{a.text}" for a in articles)
    known = vocabulary(joined)
    before = preceding([s for part in split for s in part])
    checks = []
    for q, text in enumerate(sentences):
        order = np.argsort(-matrix[q], kind="stable")[:MAX_EVIDENCE]
        refs = [
            SourceRef(pool[i].article_id, pool[i].position, pool[i].text, _round(matrix[q, i]))
            for i in order
        ]
        j = judge(text, [(r.sentence, r.score) for r in refs], known, before=before)
        if j.against:  # the contradicting sentence first: it is the evidence that matters
            refs.insert(0, refs.pop(j.against))
        checks.append(SentenceCheck(q + 1, text, j.alignment, j.support, j.verdict, tuple(refs),
                                    j.unsupported_facts, j.novel_words, j.differences))
    tokens = summary_tokens(summary_text)
    source_tokens = join_sources([summary_tokens(f"{a.title}\n{a.text}") for a in articles])
    return Comparison(
        sentences=tuple(checks),
        support_score=min(c.support for c in checks),
        supported_share=_round(sum(c.verdict == "supported" for c in checks) / len(checks)),
        words=word_count(summary_text),
        rouge_sources=rouge(summary_text, joined),
        rouge_reference=rouge(summary_text, reference) if reference is not None else None,
        fragments=fragment_stats(tokens, source_tokens),
        novel_ngrams=novel_ngram_ratios(tokens, source_tokens),  # type: ignore[arg-type]
        sources=tuple(
            SourceInfo(a.path, a.title, word_count(a.text), len(part))
            for a, part in zip(articles, split, strict=True)
        ),
        notes=tuple(notes),
    )


@dataclass(frozen=True, slots=True)
class EventComparison:
    """One event of a briefing: its digest checked against its articles."""

    rank: int
    headline: str
    comparison: Comparison
