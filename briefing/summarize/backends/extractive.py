"""The extractive backend: the event's most central, non-redundant source sentences.

Sentences of every article are rated by TF-IDF cosine to the event's centroid,
plus a small bonus for an article's lead sentences; the best are taken greedily
with maximal marginal relevance (a sentence too close to one already chosen is
skipped) until ``max_words``, whole sentences only, then put back in reading
order (article order, then position). No model, no randomness.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ...check.injection import is_instruction
from ...records import Article, Draft
from ...text import split_sentences, word_count

MIN_WORDS = 6
MAX_WORDS = 60
REDUNDANCY = 0.5  # cosine above which a candidate repeats a chosen sentence
LEAD_BONUS = (0.15, 0.1, 0.05)
_BOILERPLATE = re.compile(
    r"(Picture|Photo|Image|Credit)s?:\s|^Also read|^Read more|^Related:|^Click here|"
    r"^Sign up|^Subscribe|^Advertisement|^\(.*\)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A source sentence: which article (0-based), where in it, and its text."""

    article: int
    position: int
    text: str


def candidates(articles: Sequence[Article]) -> list[Candidate]:
    """Split the articles into candidate sentences, dropping captions and fragments."""
    found = []
    for a, article in enumerate(articles):
        position = 0
        for sentence in split_sentences(article.text):
            n = word_count(sentence)
            if n < MIN_WORDS or n > MAX_WORDS or _BOILERPLATE.search(sentence):
                continue
            if is_instruction(sentence):
                continue
            found.append(Candidate(a, position, sentence))
            position += 1
    return found


def rank_candidates(found: Sequence[Candidate]) -> tuple[np.ndarray, np.ndarray]:
    """Return each candidate's centrality score and the normalised TF-IDF rows."""
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    try:
        matrix = vectorizer.fit_transform([c.text for c in found])
    except ValueError:  # only stop words
        return np.zeros(len(found)), np.zeros((len(found), 1))
    rows = matrix.toarray()
    centroid = rows.mean(axis=0)
    norm = np.linalg.norm(centroid)
    scores = rows @ (centroid / norm) if norm else np.zeros(len(found))
    bonus = np.array(
        [LEAD_BONUS[c.position] if c.position < len(LEAD_BONUS) else 0.0 for c in found]
    )
    # Rounded: a BLAS kernel changes the last bits, which must not reorder equal sentences.
    return (scores + bonus).round(9), rows


def choose(found: Sequence[Candidate], *, max_words: int) -> list[Candidate]:
    """Choose central, non-redundant candidates up to ``max_words``, in reading order."""
    if not found:
        return []
    scores, rows = rank_candidates(found)
    chosen: list[int] = []
    words = 0
    for i in sorted(range(len(found)), key=lambda i: (-scores[i], i)):
        n = word_count(found[i].text)
        if chosen and words + n > max_words:
            continue
        if any(float(rows[i] @ rows[j]) > REDUNDANCY for j in chosen):
            continue
        if not chosen and n > max_words:
            continue  # prefer a first sentence that fits; fall back below
        chosen.append(i)
        words += n
    if not chosen:
        chosen = [min(range(len(found)), key=lambda i: (word_count(found[i].text), i))]
    return sorted((found[i] for i in chosen), key=lambda c: (c.article, c.position))


def headline_for(articles: Sequence[Article]) -> str:
    """Return the most central article's title, or its lead sentence."""
    lead = articles[0]
    if lead.title.strip():
        return lead.title.strip()
    sentences = split_sentences(lead.text)
    return sentences[0] if sentences else "Untitled event"


class ExtractiveSummarizer:
    """Pick the event's most central source sentences: fast, faithful, no model."""

    name = "extractive"

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        """Return the headline and the chosen sentences of an event's articles."""
        headline = headline_for(articles)
        found = [c for c in candidates(articles) if c.text.rstrip(".") != headline.rstrip(".")]
        chosen = choose(found, max_words=max_words)
        return Draft(headline=headline, sentences=tuple(c.text for c in chosen))

    def summarize_update(self, articles: Sequence[Article], *, max_words: int) -> str:
        """Return the most salient sentence of the (new) articles that fits ``max_words``."""
        found = candidates(articles)
        if not found:
            return ""
        scores, _ = rank_candidates(found)
        order = sorted(range(len(found)), key=lambda i: (-scores[i], i))
        fitting = [i for i in order if word_count(found[i].text) <= max_words]
        return found[(fitting or order)[0]].text
