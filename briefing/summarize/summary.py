"""From a backend's draft to a checked ``Summary``: citations from evidence, never claims.

``summarize_event`` asks a backend for a ``Draft`` (headline and sentences), aligns each
sentence with the event's source sentences (``check.verify``), cites the evidence, and
drops a sentence that the sources contradict, or with no support or with facts the
sources lack (``check.judge``);
``summarize_update`` writes the one what's-new sentence of a developing event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..check.facts import vocabulary
from ..check.judge import judge
from ..check.verify import align, preceding, source_sentences
from ..events.embed import Embedder
from ..records import Article, Draft, Dropped, Sentence, Summary
from ..text import word_count
from .headline import check_headline
from .refill import refill
from .registry import Summarizer


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
    If nothing supported remains, the event falls back to the extractive digest. A
    backend whose ``refill`` is true (the model backends) has a digest under
    ``refill.FILL`` of ``max_words`` filled with source sentences (``refill.py``).
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
    from .backends.extractive import ExtractiveSummarizer, headline_for

    kept, dropped = check_sentences(draft.sentences, articles, embedder=embedder)
    revise = getattr(summarizer, "revise", None)
    asks = getattr(summarizer, "revise_drops", True)  # the model backends: when built so
    if dropped and callable(revise) and asks:  # one more try, told what was removed and why
        second = revise(draft, dropped, max_words=max_words)
        if second is not None:
            kept2, dropped2 = check_sentences(second.sentences, articles, embedder=embedder)
            if _words(kept2) >= _words(kept):  # keep the try that kept more checked text
                earlier = [Dropped(d.text, "first draft, revised: " + d.reason) for d in dropped]
                headline = second.headline or draft.headline
                draft, kept, dropped = replace(second, headline=headline), kept2, dropped2
                dropped = earlier + dropped
    backend = summarizer.name
    if not kept and summarizer.name != "extractive":
        fallback = ExtractiveSummarizer().summarize(articles, max_words=max_words)
        kept, _ = check_sentences(fallback.sentences, articles, embedder=embedder)
        backend = "extractive-fallback"
    texts = [s.text for s in kept]
    if getattr(summarizer, "refill", False) and not backend.startswith("extractive"):
        # a short model digest: fill its budget with source sentences
        extra = refill(texts, articles, max_words=max_words)
        if extra:
            added, _ = check_sentences(extra, articles, embedder=embedder)
            kept += added
            texts += [s.text for s in added]
    if summarizer.name == "extractive":  # no model: the title that best states the digest
        headline, rejected = draft.headline or headline_for(articles, texts), []
    else:
        headline, rejected = check_headline(draft.headline, articles, texts, writer=summarizer)
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
    """Split sentences into those the sources support (with citations) and dropped ones.

    Each sentence is judged as ``briefing compare`` judges it (``check.judge``): one that a
    source sentence contradicts, or that states a number or name no source has, is
    dropped with the reason; so is one whose evidence stays below ``CITE_MIN``.
    """
    kept: list[Sentence] = []
    dropped: list[Dropped] = []
    sources = source_sentences(articles)
    known = vocabulary("\n".join(s.text for s in sources))  # as verify.source_text
    before = preceding(sources)
    for alignment in align(sentences, articles, embedder=embedder):
        evidence = list(dict.fromkeys((e.sentence, e.score) for e in alignment.evidence))
        verdict = judge(alignment.text, evidence, known, before=before)
        if verdict.verdict == "contradicted" or verdict.unsupported_facts:
            dropped.append(Dropped(alignment.text, verdict.reason))
        elif not alignment.citations:
            dropped.append(Dropped(alignment.text, f"weak support (score {alignment.score:.2f})"))
        else:
            kept.append(Sentence(alignment.text, alignment.citations, alignment.evidence))
    return kept, dropped


def _words(sentences: Sequence[Sentence]) -> int:
    return sum(word_count(s.text) for s in sentences)
