"""The extractive backend: the event's best-rated, non-redundant source sentences.

Sentences are rated and chosen by ``summarize/select.py`` (centrality, position,
agreement across articles; see ``Weights``) until ``max_words``, whole sentences
only, then put back in reading order (article order, then position). No model,
no randomness.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...records import Article, Draft
from ...text import split_sentences, word_count
from ..select import WEIGHTS, Candidate, Weights, candidates, choose, rank_candidates

__all__ = ["Candidate", "ExtractiveSummarizer", "Weights", "candidates", "choose",
           "headline_for"]


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
