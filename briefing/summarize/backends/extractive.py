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
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ...check.injection import is_instruction
from ...records import Article, Draft
from ...text import split_sentences, word_count

MIN_WORDS = 6
MAX_WORDS = 60


@dataclass(frozen=True, slots=True)
class Weights:
    """How a source sentence is rated (chosen on half A of wikinews-dev: bench/tune_digests.py).

    score = centrality · cosine(sentence, event centroid)
          + position / (1 + its place among the article's sentences)   (news puts facts first)
          + agreement · mean over the other articles of the best cosine to one of their
            sentences                                                   (facts several report)
          + article / (1 + the article's rank)                          (central articles first)
          − dangling if it opens with a pronoun or link word            ("He said ...", "But")
    A sentence over ``redundancy`` cosine to one already chosen is skipped.
    """

    centrality: float = 1.0
    position: float = 0.15
    agreement: float = 0.0
    article: float = 0.0
    dangling: float = 0.0
    redundancy: float = 0.5


WEIGHTS = Weights()
_DANGLING = re.compile(
    r"^[\"“‘']?(?:he|she|it|they|his|her|its|their|them|this|these|those|that|but|and|or|"
    r"so|however|also|meanwhile|still|yet|then|there|here|such|both|another|other)\b",
    re.IGNORECASE,
)
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


@lru_cache(maxsize=8)
def tfidf_rows(texts: tuple[str, ...]) -> np.ndarray:
    """Return the sentences' normalised TF-IDF rows (fitted on these sentences only)."""
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    try:
        rows = vectorizer.fit_transform(list(texts)).toarray()
    except ValueError:  # only stop words
        rows = np.zeros((len(texts), 1))
    rows.flags.writeable = False
    return rows


def rank_candidates(
    found: Sequence[Candidate], weights: Weights = WEIGHTS
) -> tuple[np.ndarray, np.ndarray]:
    """Return each candidate's score (see ``Weights``) and the normalised TF-IDF rows."""
    rows = tfidf_rows(tuple(c.text for c in found))
    centroid = rows.mean(axis=0)
    norm = np.linalg.norm(centroid)
    scores = weights.centrality * (rows @ (centroid / norm) if norm else np.zeros(len(found)))
    article = np.array([c.article for c in found])
    scores += weights.position / (1.0 + np.array([c.position for c in found]))
    scores += weights.article / (1.0 + article)
    scores -= weights.dangling * np.array([bool(_DANGLING.match(c.text)) for c in found])
    others = sorted(set(article.tolist()))
    if weights.agreement and len(others) > 1:
        similar = rows @ rows.T
        best = np.stack([np.where(article == a, 0.0, similar[:, article == a].max(axis=1))
                         for a in others], axis=1)
        scores += weights.agreement * best.sum(axis=1) / (len(others) - 1)
    # Rounded: a BLAS kernel changes the last bits, which must not reorder equal sentences.
    return scores.round(9), rows


def choose(
    found: Sequence[Candidate], *, max_words: int, weights: Weights = WEIGHTS
) -> list[Candidate]:
    """Choose the best-rated, non-redundant candidates up to ``max_words``, in reading order."""
    if not found:
        return []
    scores, rows = rank_candidates(found, weights)
    chosen: list[int] = []
    words = 0
    for i in sorted(range(len(found)), key=lambda i: (-scores[i], i)):
        n = word_count(found[i].text)
        if chosen and words + n > max_words:
            continue
        if any(float(rows[i] @ rows[j]) > weights.redundancy for j in chosen):
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

    def __init__(self, weights: Weights = WEIGHTS) -> None:
        self.weights = weights

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        """Return the headline and the chosen sentences of an event's articles."""
        headline = headline_for(articles)
        found = [c for c in candidates(articles) if c.text.rstrip(".") != headline.rstrip(".")]
        chosen = choose(found, max_words=max_words, weights=self.weights)
        return Draft(headline=headline, sentences=tuple(c.text for c in chosen))

    def summarize_update(self, articles: Sequence[Article], *, max_words: int) -> str:
        """Return the most salient sentence of the (new) articles that fits ``max_words``."""
        found = candidates(articles)
        if not found:
            return ""
        scores, _ = rank_candidates(found, self.weights)
        order = sorted(range(len(found)), key=lambda i: (-scores[i], i))
        fitting = [i for i in order if word_count(found[i].text) <= max_words]
        return found[(fitting or order)[0]].text
