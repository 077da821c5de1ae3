"""Use the digest's budget: after the guard, fill what is left with the best source sentences.

A model digest is often short (the model stops early, or the guard drops a sentence
it could not back). The rest of ``max_words`` is filled with whole source sentences,
chosen as the extractive backend chooses them (``select.choose``) among those that
repeat nothing the digest already says, and appended after the model's sentences.
They are checked and cited like any digest sentence. Nothing is added when the
digest already uses ``FILL`` of its budget.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Article
from ..text import word_count, words
from .select import candidates, choose

FILL = 0.8  # a digest using at least this share of max_words is left as it is
SAID = 0.5  # share of a sentence's content words the digest has already: a repeat


def _content(text: str) -> set[str]:
    return {w for w in words(text) if len(w) > 3 or any(c.isdigit() for c in w)}


def refill(digest: Sequence[str], articles: Sequence[Article], *, max_words: int) -> list[str]:
    """Return source sentences to append to ``digest`` so that it fills ``max_words``."""
    used = sum(word_count(s) for s in digest)
    if used >= FILL * max_words:
        return []
    said = set().union(*(_content(s) for s in digest)) if digest else set()
    fresh = []
    for candidate in candidates(articles):
        mine = _content(candidate.text)
        if mine and len(mine & said) / len(mine) < SAID:
            fresh.append(candidate)
    picked = choose(fresh, max_words=max_words - used, at_least_one=False)
    return [c.text for c in picked]
