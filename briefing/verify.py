"""Align summary sentences with the source sentences that support them.

A summary sentence is scored against every sentence of its sources by the mean
of two signals, each in [0, 1]: the cosine of their sentence embeddings, and
the share of the summary sentence's content words (stop words removed,
lower-cased) that the source sentence contains. A sentence copied verbatim
scores 1. Citations are the articles of the evidence that reaches
``CITE_MIN``; nothing is cited on a backend's word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .embed import Embedder, get_embedder
from .models import Article, Evidence
from .text import split_sentences, words

CITE_MIN = 0.55  # evidence at or above this score is cited
MAX_EVIDENCE = 3
_NUMBER = re.compile(r"\d")


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
    """Split every article (title included) into source sentences."""
    found = []
    for a in articles:
        parts = ([a.title] if a.title.strip() else []) + split_sentences(a.text)
        found.extend(SourceSentence(a.id, i, s) for i, s in enumerate(parts))
    return found


def lexical_support(sentence: str, source: str) -> float:
    """Return the share of the sentence's content words found in the source sentence."""
    wanted = content_words(sentence)
    if not wanted:
        return 0.0
    return len(wanted & content_words(source)) / len(wanted)


def align(
    sentences: Sequence[str],
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
) -> list[Alignment]:
    """Find the supporting source sentences of each summary sentence."""
    sources = source_sentences(articles)
    if not sentences:
        return []
    if not sources:
        return [Alignment(s, 0.0, ()) for s in sentences]
    model = embedder or get_embedder()
    vectors = model.encode([s.text for s in sources])
    queries = model.encode(list(sentences))
    cosine = np.clip(queries @ vectors.T, 0.0, 1.0)
    source_words = [content_words(s.text) for s in sources]
    results = []
    for q, sentence in enumerate(sentences):
        wanted = content_words(sentence)
        lexical = np.array(
            [len(wanted & sw) / len(wanted) if wanted else 0.0 for sw in source_words]
        )
        score = (cosine[q] + lexical) / 2
        exact = [i for i, s in enumerate(sources) if s.text.strip() == sentence.strip()]
        score[exact] = 1.0
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


_FACT = re.compile(
    r"\d+(?:[.,]\d+)*"  # a number: 45, 1.5, 45,000
    r"|\b(?:[A-Z]\.){2,}"  # an acronym with dots: U.S.
    r"|(?<![.!?\"“]\s)(?<!^)\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*"  # a name, not sentence-initial
)
_MONTHS_AND_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "i",
}


def facts(sentence: str) -> list[str]:
    """Return the numbers and capitalised names a sentence states."""
    found = []
    for match in _FACT.findall(sentence.strip()):
        if match.lower() not in _MONTHS_AND_DAYS:
            found.append(match)
    return list(dict.fromkeys(found))


def unsupported_facts(sentence: str, source_text: str) -> list[str]:
    """Return the numbers and names of a sentence that appear nowhere in the sources.

    A name counts as present when each of its words appears in the sources
    (case-insensitive), so "President Biden" is supported by "Joe Biden ... the
    president". A number counts as present when the same digits appear.
    """
    source_words = {w.replace(".", "") for w in words(source_text)}
    source_digits = {re.sub(r"[.,]", "", w) for w in source_words if _NUMBER.search(w)}
    missing = []
    for fact in facts(sentence):
        if _NUMBER.match(fact):
            if re.sub(r"[.,]", "", fact) not in source_digits:
                missing.append(fact)
        elif any(w.replace(".", "") not in source_words for w in words(fact)):
            missing.append(fact)
    return missing
