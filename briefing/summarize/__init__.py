"""Summarizer backends and the registry that names them.

A backend turns the articles of one event into a ``Draft`` (headline and digest
sentences). It knows nothing about events, citations or SQLite: citations come
afterwards from evidence (``verify.py``), never from what a backend claims.

Built-in backends register through ``register()``; an installed package adds one
with an entry point in the ``briefing.backends`` group (``name = "module:Factory"``),
loaded only when that backend is used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib.metadata import EntryPoint, entry_points
from typing import Protocol, runtime_checkable

from ..embed import Embedder
from ..errors import UnknownBackendError
from ..models import Article, Draft, Dropped, Sentence, Summary
from ..verify import align, source_text, unsupported_facts
from .headline import check_headline


@runtime_checkable
class Summarizer(Protocol):
    """Write a headline and digest sentences for the articles of one event."""

    name: str

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft: ...


SummarizerFactory = Callable[..., Summarizer]
_REGISTRY: dict[str, SummarizerFactory] = {}
ENTRY_POINT_GROUP = "briefing.backends"


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
        pass
    else:
        register("hf", HFSummarizer)
    from .llamacpp import LlamaSummarizer  # llama_cpp itself is imported when it is built

    register("llama", LlamaSummarizer)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        _REGISTRY.setdefault(entry.name, _lazy(entry))


def _lazy(entry: EntryPoint) -> SummarizerFactory:
    """Wrap a plugin's entry point so that its module is imported only when used."""

    def factory(**options: object) -> Summarizer:
        try:
            make = entry.load()
        except (ImportError, AttributeError) as e:
            raise UnknownBackendError(
                f"backend {entry.name!r} ({entry.value}) cannot be loaded: {e}"
            ) from e
        return make(**options)

    return factory


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
    The headline is checked too (``headline.check_headline``).
    """
    draft = summarizer.summarize(articles, max_words=max_words)
    return check_draft(draft, articles, summarizer, max_words=max_words, embedder=embedder)


def summarize_events(
    events: Sequence[Sequence[Article]],
    summarizer: Summarizer,
    *,
    max_words: int,
    embedder: Embedder | None = None,
) -> list[Summary]:
    """Summarize several events like ``summarize_event``, in one call to the backend's
    ``summarize_many(events, *, max_words)`` where it has one (the hf backend batches)."""
    many = getattr(summarizer, "summarize_many", None)
    if callable(many) and len(events) > 1:
        drafts = list(many(events, max_words=max_words))
    else:
        drafts = [summarizer.summarize(articles, max_words=max_words) for articles in events]
    return [
        check_draft(draft, articles, summarizer, max_words=max_words, embedder=embedder)
        for draft, articles in zip(drafts, events, strict=True)
    ]


def check_draft(
    draft: Draft,
    articles: Sequence[Article],
    summarizer: Summarizer,
    *,
    max_words: int,
    embedder: Embedder | None = None,
) -> Summary:
    """Turn a backend's draft into a checked, cited summary (see ``summarize_event``)."""
    from .extractive import ExtractiveSummarizer, headline_for

    kept, dropped = check_sentences(draft.sentences, articles, embedder=embedder)
    backend = summarizer.name
    if not kept and summarizer.name != "extractive":
        fallback = ExtractiveSummarizer().summarize(articles, max_words=max_words)
        kept, _ = check_sentences(fallback.sentences, articles, embedder=embedder)
        backend = "extractive-fallback"
    texts = [s.text for s in kept]
    if backend.startswith("extractive"):  # an extractive headline is the central title
        headline, rejected = headline_for(articles), []
    else:
        headline, rejected = check_headline(
            draft.headline, articles, texts, writer=summarizer, fallback=headline_for(articles)
        )
    return Summary(
        headline=headline,
        sentences=tuple(kept),
        backend=backend,
        dropped=tuple(rejected + dropped),
        input_cut=draft.input_cut,
    )


WHATS_NEW_WORDS = 40


def summarize_update(
    new_articles: Sequence[Article],
    summarizer: Summarizer,
    *,
    embedder: Embedder | None = None,
    max_words: int = WHATS_NEW_WORDS,
) -> tuple[Sentence | None, list[Dropped]]:
    """Write one "what's new" sentence from the new articles only, checked like a digest's.

    A backend with a ``summarize_update(articles, *, max_words) -> str`` method writes
    it (the extractive backend: the most salient sentence); any other backend's digest
    of the new articles gives its first sentence. The sentence is aligned with the new
    articles and dropped, with its reason, when they do not support it.
    """
    update = getattr(summarizer, "summarize_update", None)
    if callable(update):
        text = str(update(new_articles, max_words=max_words)).strip()
    else:
        sentences = summarizer.summarize(new_articles, max_words=max_words).sentences
        text = sentences[0].strip() if sentences else ""
    if not text:
        return None, []
    kept, dropped = check_sentences([text], new_articles, embedder=embedder)
    dropped = [Dropped(d.text, "what's new: " + d.reason) for d in dropped]
    return (kept[0] if kept else None), dropped


def check_sentences(
    sentences: Sequence[str], articles: Sequence[Article], *, embedder: Embedder | None = None
) -> tuple[list[Sentence], list[Dropped]]:
    """Split sentences into those the sources support (with citations) and dropped ones."""
    kept: list[Sentence] = []
    dropped: list[Dropped] = []
    sources = source_text(articles)
    for alignment in align(sentences, articles, embedder=embedder):
        missing = unsupported_facts(alignment.text, sources)
        if missing:
            dropped.append(Dropped(alignment.text, "not in the sources: " + ", ".join(missing)))
        elif not alignment.citations:
            dropped.append(Dropped(alignment.text, f"weak support (score {alignment.score:.2f})"))
        else:
            kept.append(Sentence(alignment.text, alignment.citations, alignment.evidence))
    return kept, dropped
