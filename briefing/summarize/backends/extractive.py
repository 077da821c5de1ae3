"""The extractive backend: the event's best-rated, non-redundant source sentences.

Sentences are rated and chosen by ``summarize/select.py`` (centrality, position,
agreement across articles; see ``Weights``) until ``max_words``, whole sentences
only, then put back in reading order (article order, then position). No model,
no randomness.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...check.facts import stem
from ...check.verify import content_words
from ...records import Article, Draft
from ...text import split_sentences, word_count
from ..headline import HEADLINE_WORDS, title_furniture
from ..select import WEIGHTS, Candidate, Weights, candidates, choose, rank_candidates

OPENING = 3  # a title is checked against its article's first this many sentences
TITLE_OVERLAP = 2  # content words a real headline shares with its article's opening

__all__ = ["Candidate", "ExtractiveSummarizer", "Weights", "candidates", "choose",
           "headline_for"]


def headline_for(articles: Sequence[Article], digest: Sequence[str] = ()) -> str:
    """Return the title that best states the event, or the lead article's first sentence.

    A title counts when it is not web furniture ("Home Page", an address), has 2 to
    ``HEADLINE_WORDS`` words and shares at least ``TITLE_OVERLAP`` word stems with its own
    article's first sentences or with the ``digest``: "The Japan Times Online",
    "Accessing Article" or an error page's title does not. Of those, the one stating
    most stems of the digest and its article's opening wins (the most central article's
    on a tie). With none, the most central article's title, unless it is furniture or
    shorter than 3 words: then its article's first whole sentence of at most twice
    ``HEADLINE_WORDS`` words.
    """
    said = _stems(" ".join(digest))
    best, score = "", -1
    for article in articles:
        title = article.title.strip()
        if not 2 <= word_count(title) <= HEADLINE_WORDS or title_furniture(title):
            continue
        own = _stems(title)
        opening = _stems(" ".join(split_sentences(article.text)[:OPENING]))
        found = len(own & (said | opening))
        if max(len(own & said), len(own & opening)) >= TITLE_OVERLAP and found > score:
            best, score = title, found
    if best or not articles:
        return best or "Untitled event"
    lead = articles[0]
    title = lead.title.strip()
    if word_count(title) >= 3 and not title_furniture(title):
        return title
    short = [c.text for c in candidates([lead]) if word_count(c.text) <= 2 * HEADLINE_WORDS]
    sentences = short or ([] if title else split_sentences(lead.text))
    return sentences[0] if sentences else title or "Untitled event"


def _stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


class ExtractiveSummarizer:
    """Pick the event's most central source sentences: fast, faithful, no model."""

    name = "extractive"

    def __init__(self, weights: Weights = WEIGHTS) -> None:
        self.weights = weights

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        """Return the headline and the chosen sentences of an event's articles."""
        titles = {a.title.strip() for a in articles}
        first = headline_for(articles)
        lead = "" if first in titles else first  # no title stands: a sentence heads it
        skip = {t.rstrip(".") for t in titles} | {lead.rstrip(".")}
        found = [c for c in candidates(articles) if c.text.rstrip(".") not in skip]
        texts = tuple(c.text for c in choose(found, max_words=max_words, weights=self.weights))
        return Draft(headline=lead or headline_for(articles, texts), sentences=texts)

    def summarize_update(self, articles: Sequence[Article], *, max_words: int) -> str:
        """Return the most salient sentence of the (new) articles that fits ``max_words``."""
        found = candidates(articles)
        if not found:
            return ""
        scores, _ = rank_candidates(found, self.weights)
        order = sorted(range(len(found)), key=lambda i: (-scores[i], i))
        fitting = [i for i in order if word_count(found[i].text) <= max_words]
        return found[(fitting or order)[0]].text
