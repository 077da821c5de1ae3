"""Summarizer backends and the registry that names them.

A backend turns the articles of one event into a ``Draft`` (headline and digest
sentences). It knows nothing about events, citations or SQLite: citations come
afterwards from evidence (``verify.py``), never from what a backend claims.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..embed import Embedder
from ..errors import UnknownBackendError
from ..models import Article, Draft, Dropped, Sentence, Summary
from ..text import words
from ..verify import align, unsupported_facts


@runtime_checkable
class Summarizer(Protocol):
    """Write a headline and digest sentences for the articles of one event."""

    name: str

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft: ...


SummarizerFactory = Callable[..., Summarizer]
_REGISTRY: dict[str, SummarizerFactory] = {}


def register(name: str, factory: SummarizerFactory) -> None:
    """Register a summarizer factory under a name."""
    _REGISTRY[name] = factory


def available() -> list[str]:
    """List the registered backend names."""
    _load_builtins()
    return sorted(_REGISTRY)


def check_backend(name: str) -> None:
    """Raise UnknownBackendError, listing the known names, unless ``name`` is registered."""
    _load_builtins()
    if name not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownBackendError(f"unknown backend {name!r}; known backends: {known}")


def get_summarizer(name: str, **options: object) -> Summarizer:
    """Create the summarizer registered under ``name``."""
    check_backend(name)
    return _REGISTRY[name](**options)


def _load_builtins() -> None:
    if "extractive" in _REGISTRY:
        return
    from .extractive import ExtractiveSummarizer

    register("extractive", ExtractiveSummarizer)
    try:
        from .hf import HFSummarizer
    except ImportError:  # the hf module is optional until its dependencies are installed
        return
    register("hf", HFSummarizer)


def summarize_event(
    articles: Sequence[Article],
    summarizer: Summarizer,
    *,
    max_words: int,
    embedder: Embedder | None = None,
) -> Summary:
    """Summarize one event's articles and cite every sentence from evidence.

    A sentence whose best evidence stays below ``CITE_MIN``, or that states a
    number or name found in none of the sources, is dropped with its reason.
    If nothing supported remains, the event falls back to the extractive digest.
    """
    from .extractive import ExtractiveSummarizer, headline_for

    draft = summarizer.summarize(articles, max_words=max_words)
    kept, dropped = check_sentences(draft.sentences, articles, embedder=embedder)
    backend = summarizer.name
    headline = draft.headline.strip()
    sources = "\n".join(f"{a.title}\n{a.text}" for a in articles)
    invented = unsupported_headline_words(headline, sources) if headline else ["empty"]
    if invented:
        if headline:
            reason = "headline not in the sources: " + ", ".join(invented)
            dropped.append(Dropped(headline, reason))
        headline = headline_for(articles)
    if not kept and summarizer.name != "extractive":
        fallback = ExtractiveSummarizer().summarize(articles, max_words=max_words)
        kept, _ = check_sentences(fallback.sentences, articles, embedder=embedder)
        headline = fallback.headline
        backend = "extractive-fallback"
    return Summary(
        headline=headline,
        sentences=tuple(kept),
        backend=backend,
        dropped=tuple(dropped),
        input_cut=draft.input_cut,
    )


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


def check_sentences(
    sentences: Sequence[str], articles: Sequence[Article], *, embedder: Embedder | None = None
) -> tuple[list[Sentence], list[Dropped]]:
    """Split sentences into those the sources support (with citations) and dropped ones."""
    kept: list[Sentence] = []
    dropped: list[Dropped] = []
    sources = "\n".join(f"{a.title}\n{a.text}" for a in articles)
    for alignment in align(sentences, articles, embedder=embedder):
        missing = unsupported_facts(alignment.text, sources)
        if missing:
            dropped.append(Dropped(alignment.text, "not in the sources: " + ", ".join(missing)))
        elif not alignment.citations:
            dropped.append(Dropped(alignment.text, f"weak support (score {alignment.score:.2f})"))
        else:
            kept.append(Sentence(alignment.text, alignment.citations, alignment.evidence))
    return kept, dropped
