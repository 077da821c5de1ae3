"""Align summary sentences with the source sentences that support them.

A summary sentence is scored against every sentence of its sources by the mean
of two signals, each in [0, 1]: the cosine of their sentence embeddings, and
the share of the summary sentence's content words (stop words removed,
lower-cased) that the source sentence contains. A sentence copied verbatim
scores 1. Citations are the articles of the evidence that reaches
``CITE_MIN``; nothing is cited on a backend's word. An event with more than
``ALIGN_SOURCES`` source sentences (a very long article) is searched among those
that share the most content words with each summary sentence (``preselect``; a
source sentence sharing none scores at most 0.5, below ``CITE_MIN``).

``facts.py`` checks the numbers and names a sentence states.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..events.embed import DECIMALS, Embedder, get_embedder
from ..records import Article, Evidence
from ..text import split_sentences, words
from .injection import is_instruction

CITE_MIN = 0.55  # evidence at or above this score is cited
MAX_EVIDENCE = 3
ALIGN_SOURCES = 400  # embed at most about this many source sentences per event
BEFORE = 2  # sentences before an evidence sentence where a pronoun's person is looked for


@dataclass(frozen=True, slots=True)
class SourceSentence:
    """A sentence of a source: its article, its position and text."""

    article_id: str
    position: int
    text: str


@dataclass(frozen=True, slots=True)
class Alignment:
    """The evidence found for one summary sentence, best first."""

    text: str
    score: float
    evidence: tuple[Evidence, ...]

    @property
    def citations(self) -> tuple[str, ...]:
        """Return the ids of the articles whose evidence reaches CITE_MIN, best first."""
        cited = [e.article_id for e in self.evidence if e.score >= CITE_MIN]
        return tuple(dict.fromkeys(cited))


def content_words(text: str) -> set[str]:
    """Return the lower-cased words of a text that are not stop words."""
    return {w for w in words(text) if w not in ENGLISH_STOP_WORDS}


def source_sentences(articles: Sequence[Article]) -> list[SourceSentence]:
    """Split every article (title included) into source sentences.

    Sentences that address a language model (``injection.is_instruction``) are left
    out: an instruction is never evidence. Positions still count them.
    """
    found = []
    for a in articles:
        parts = ([a.title] if a.title.strip() else []) + split_sentences(a.text)
        found.extend(
            SourceSentence(a.id, i, s) for i, s in enumerate(parts) if not is_instruction(s)
        )
    return found


def preceding(
    sources: Sequence[SourceSentence], *, count: int = BEFORE
) -> dict[str, tuple[str, ...]]:
    """Map each source sentence to the ``count`` sentences before it in its article.

    Whom a pronoun stands for ("He said ...") is found there (``speakers.moved``); a
    sentence found in several articles keeps its first context.
    """
    found: dict[str, tuple[str, ...]] = {}
    for n, s in enumerate(sources):
        if s.text in found:
            continue
        start = n
        while start > 0 and n - start < count and sources[start - 1].article_id == s.article_id:
            start -= 1
        found[s.text] = tuple(t.text for t in sources[start:n])
    return found


def source_text(articles: Sequence[Article]) -> str:
    """Return the articles' titles and sentences, instructions to a model left out."""
    return "\n".join(s.text for s in source_sentences(articles))


def lexical_support(sentence: str, source: str) -> float:
    """Return the share of the sentence's content words found in the source sentence."""
    wanted = content_words(sentence)
    if not wanted:
        return 0.0
    return len(wanted & content_words(source)) / len(wanted)


def support_matrix(
    sentences: Sequence[str],
    sources: Sequence[SourceSentence],
    *,
    embedder: Embedder | None = None,
) -> np.ndarray:
    """Return the support of each sentence (rows) by each source sentence (columns).

    support = (cosine⁺(embeddings) + share of the sentence's content words in the
    source sentence) / 2, in [0, 1]; a verbatim copy (whitespace trimmed) scores 1.
    """
    if not sentences or not sources:
        return np.zeros((len(sentences), len(sources)), dtype=np.float64)
    model = embedder or get_embedder()
    vectors = model.encode([s.text for s in sources])
    queries = model.encode(list(sentences))
    # float64 and rounded (as grouping's similarities): the BLAS kernel must not
    # reorder the evidence of a sentence.
    cosine = np.clip(queries.astype(np.float64) @ vectors.astype(np.float64).T, 0.0, 1.0)
    cosine = cosine.round(DECIMALS)
    source_words = [content_words(s.text) for s in sources]
    stripped = [s.text.strip() for s in sources]
    scores = np.empty_like(cosine)
    for q, sentence in enumerate(sentences):
        wanted = content_words(sentence)
        lexical = np.array(
            [len(wanted & sw) / len(wanted) if wanted else 0.0 for sw in source_words]
        )
        scores[q] = ((cosine[q] + lexical) / 2).round(DECIMALS)
        exact = [i for i, s in enumerate(stripped) if s == sentence.strip()]
        scores[q, exact] = 1.0
    return scores


def preselect(
    sentences: Sequence[str], sources: Sequence[SourceSentence], limit: int
) -> list[SourceSentence]:
    """Keep at most about ``limit`` source sentences: those sharing most content words.

    Each summary sentence keeps its ``limit // len(sentences)`` (at least 20) best
    source sentences by shared content words; sources in their original order.
    """
    if len(sources) <= limit:
        return list(sources)
    per = max(limit // max(len(sentences), 1), 20)
    bags = [content_words(s.text) for s in sources]
    keep: set[int] = set()
    for sentence in sentences:
        wanted = content_words(sentence)
        shared = np.array([len(wanted & b) for b in bags])
        keep.update(int(i) for i in np.argsort(-shared, kind="stable")[:per])
    return [sources[i] for i in sorted(keep)]


def align(
    sentences: Sequence[str],
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
) -> list[Alignment]:
    """Find the supporting source sentences of each summary sentence."""
    if not sentences:
        return []
    sources = preselect(sentences, source_sentences(articles), ALIGN_SOURCES)
    if not sources:
        return [Alignment(s, 0.0, ()) for s in sentences]
    matrix = support_matrix(sentences, sources, embedder=embedder)
    results = []
    for q, sentence in enumerate(sentences):
        score = matrix[q]
        best = np.argsort(-score, kind="stable")[: MAX_EVIDENCE * 4]
        evidence: list[Evidence] = []
        seen: set[str] = set()
        for i in best:
            key = sources[i].text
            if key in seen:
                # the same sentence in another article is evidence from that article too
                if float(score[i]) >= CITE_MIN:
                    evidence.append(Evidence(sources[i].article_id, key, round(float(score[i]), 3)))
                continue
            seen.add(key)
            if len(seen) > MAX_EVIDENCE:
                break
            evidence.append(Evidence(sources[i].article_id, key, round(float(score[i]), 3)))
        results.append(Alignment(sentence, round(float(score[best[0]]), 3), tuple(evidence)))
    return results


