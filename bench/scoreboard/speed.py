"""Speed: seconds per event of the default backend (the digest part's figure when it ran,
else 4 wikinews-dev events of half B), with the CPU model and flags."""

from __future__ import annotations

import time

from .common import Section, cpu

EVENTS = 4


def run(embedder: object, quick: bool = False, *, max_words: int = 90) -> list[Section]:
    from briefing.cli.config import Config
    from briefing.events.cluster import single_event
    from briefing.events.embed import embed_articles
    from briefing.summarize import get_summarizer, summarize_event

    from .digests import LAST_SECONDS, load_events

    backend = Config().backend  # the default backend
    started = time.perf_counter()
    model, flags = cpu()
    section = Section(
        "Speed: the default backend, digests with the guard",
        ("backend", "events", "s/event", "load s", "CPU", "flags"),
    )
    if backend in LAST_SECONDS:  # measured a moment ago by the digest part, on more events
        events, per = LAST_SECONDS[backend]
        section.rows.append((backend, events, f"{per:.1f}", "-", model, flags))
        section.notes.append("the digest part's s/event of this run (not run again)")
        section.seconds = time.perf_counter() - started
        return [section]
    events = [e for e in load_events(quick=True)][:EVENTS]
    prepared = [single_event(a, embed_articles(a, embedder=embedder)).articles
                for _, _, a, _ in events]
    begin = time.perf_counter()
    summarizer = get_summarizer(backend)
    loaded = time.perf_counter() - begin
    begin = time.perf_counter()
    for articles in prepared:
        summarize_event(articles, summarizer, max_words=max_words, embedder=embedder)
    per = (time.perf_counter() - begin) / len(prepared)
    section.rows.append((backend, len(prepared), f"{per:.1f}", f"{loaded:.1f}", model,
                         flags))
    section.seconds = time.perf_counter() - started
    return [section]
