"""Check an event's headline: short, found in the sources, and not one outlet's headline.

A headline that names a person or figure in no source is replaced. So is one that
copies an article's title when the event has more than one article: the briefing
covers the event, not one outlet's take on it. A backend that can write headlines
(``HeadlineWriter``) gets one more try with the titles to avoid; otherwise, or if
that try fails too, the first digest sentence that fits becomes the headline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from rapidfuzz import fuzz
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..check.facts import unsupported_facts
from ..check.verify import source_text
from ..records import Article, Dropped
from ..text import words

HEADLINE_WORDS = 14
COPY_RATIO = 85  # rapidfuzz token_sort_ratio at or above which a headline copies a title


@runtime_checkable
class HeadlineWriter(Protocol):
    """A backend that can write a headline for given digest sentences."""

    def write_headline(
        self, articles: Sequence[Article], sentences: Sequence[str], *, avoid: Sequence[str]
    ) -> str: ...


def unsupported_headline_words(headline: str, source_text: str) -> list[str]:
    """Return a headline's numbers and capitalised words that appear nowhere in the sources.

    Headlines are often in title case, so every capitalised word is checked, the first
    one included; a word counts as present when a source word shares its first five
    letters ("Visits" ~ "visiting"), a number when the same digits appear.
    """
    known = {w.replace(".", "") for w in words(source_text)}
    missing = []
    for token in re.findall(r"\d[\d.,]*\d|\d|[A-Z][\w’'.-]*", headline):
        token = token.rstrip(".")
        if token[0].isdigit():
            missing.extend(unsupported_facts(f"so {token}", source_text))
            continue
        word = token.lower().replace(".", "")
        if word in known or word in ENGLISH_STOP_WORDS:
            continue
        if len(word) >= 5 and any(k.startswith(word[:5]) for k in known):
            continue
        missing.append(token)
    return list(dict.fromkeys(missing))


def copied_title(headline: str, articles: Sequence[Article]) -> Article | None:
    """Return the article whose title the headline copies, when the event has several articles."""
    if len(articles) < 2:
        return None
    mine = " ".join(words(headline))
    for article in articles:
        theirs = " ".join(words(article.title))
        if mine and theirs and fuzz.token_sort_ratio(mine, theirs) >= COPY_RATIO:
            return article
    return None


def problems(headline: str, articles: Sequence[Article], sources: str | None = None) -> str | None:
    """Return why a headline cannot stand (empty, invented words, a copied title), or None.

    ``sources`` is ``verify.source_text(articles)``, when the caller has it already.
    """
    if not headline.strip():
        return "empty headline"
    sources = source_text(articles) if sources is None else sources
    invented = unsupported_headline_words(headline, sources)
    if invented:
        return "headline not in the sources: " + ", ".join(invented)
    copied = copied_title(headline, articles)
    if copied is not None:
        return f"headline copies the title of {copied.source or copied.path}"
    return None


def check_headline(
    headline: str,
    articles: Sequence[Article],
    sentences: Sequence[str],
    *,
    writer: object = None,
    fallback: str,
) -> tuple[str, list[Dropped]]:
    """Return a headline that passes ``problems`` and the rejected ones with their reasons.

    Order of tries: the backend's headline; one rewrite by ``writer`` if it is a
    ``HeadlineWriter``; the first digest sentence of at most HEADLINE_WORDS words;
    ``fallback`` (the extractive headline), kept even if it copies a title.
    """
    dropped: list[Dropped] = []
    avoid = [a.title for a in articles if a.title.strip()]
    sources = source_text(articles)  # split once for every try
    tries: list[object] = [headline.strip()]
    if isinstance(writer, HeadlineWriter):
        tries.append(lambda: writer.write_headline(articles, sentences, avoid=avoid))
    tries += [s.strip().rstrip(".") for s in sentences if len(words(s)) <= HEADLINE_WORDS][:1]
    for attempt in tries:
        candidate = str(attempt() if callable(attempt) else attempt).strip()
        reason = problems(candidate, articles, sources)
        if reason is None:
            return candidate, dropped
        if candidate.strip():
            dropped.append(Dropped(candidate, reason))
    return fallback, dropped
