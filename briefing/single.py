"""Summarize given files as one event: the library side of ``briefing summarize``.

The files are read and deduplicated like a build's articles, ordered by centrality
(``cluster.single_event``), and summarized and cited like any event of a briefing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .events.cluster import single_event
from .events.dedup import deduplicate
from .events.embed import embed_articles
from .ingest.limits import MAX_ARTICLE_CHARS, cap_article
from .ingest.readers import ingest
from .localmodels.device import resolve_device
from .records import BriefingEvent
from .summarize.executors import BackendSpec, LocalExecutor
from .summarize.registry import check_backend, resolve_backend
from .summarize.summary import summarize_event


@dataclass(frozen=True, slots=True)
class SummarizeResult:
    """Files summarized as one event; ``numbers`` maps article ids to citation numbers."""

    item: BriefingEvent
    numbers: dict[str, int]
    skipped: tuple = ()


def summarize_files(
    paths: Sequence[Path],
    *,
    backend: str,
    max_words: int,
    options: dict[str, object] | None = None,
    device: str = "auto",
) -> SummarizeResult:
    """Read the files as the articles of one event and summarize it with citations."""
    backend = resolve_backend(backend)
    check_backend(backend)
    corpus = ingest(list(paths))
    articles = deduplicate([cap_article(a, MAX_ARTICLE_CHARS) for a in corpus.articles]).articles
    if not articles:
        raise InputError("no readable article in " + ", ".join(str(p) for p in paths))
    local = LocalExecutor(
        BackendSpec(backend, tuple((options or {}).items())), device=resolve_device(device)
    )
    embedder = local.embedder()
    vectors = embed_articles(articles, embedder=embedder)
    event = single_event(articles, vectors)
    summarizer = local.summarizer()
    summary = summarize_event(event.articles, summarizer, max_words=max_words, embedder=embedder)
    numbers = {a.id: n for n, a in enumerate(event.articles, start=1)}
    return SummarizeResult(BriefingEvent(event, summary, rank=1), numbers, corpus.skipped)
