"""Speed: seconds per event of the default backend (the digest part's figure when it ran,
else 4 wikinews-dev events of half B), with the CPU model and flags; and the truth check:
seconds to check a 90-word digest (the build guard's ``check_sentences``) and the time of
``compare --pairs`` on qags-xsum-dev (measured on a sample, extrapolated to all 239)."""

from __future__ import annotations

import io
import json
import time

from .common import DATA, Section, cpu

EVENTS = 4
DIGESTS = 4  # wikinews-dev events whose 90-word lead is checked as a digest
PAIRS_SAMPLE = 30  # qags-xsum-dev summaries timed through compare_pairs


def _truth() -> Section:
    """Time the truth check with the plain embedder (no cache across texts), model loaded."""
    from briefing.check.compare_io import compare_pairs
    from briefing.events.embed import get_embedder
    from briefing.summarize.summary import check_sentences
    from briefing.text import split_sentences

    from .digests import load_events

    model, flags = cpu()
    embedder = get_embedder()
    embedder.encode(["warm up"])
    section = Section("Speed: the truth check (the model already loaded)",
                      ("what", "items", "seconds each", "total s", "CPU", "flags"))
    timed = []
    for _, _, articles, _ in load_events(quick=True)[:DIGESTS]:
        digest, words = [], 0
        for sentence in split_sentences(articles[0].text):
            if words >= 90:
                break
            digest.append(sentence)
            words += len(sentence.split())
        begin = time.perf_counter()
        check_sentences(digest, articles, embedder=embedder)
        timed.append(time.perf_counter() - begin)
    section.rows.append(("check a 90-word digest (guard)", len(timed),
                         f"{sum(timed) / len(timed):.2f}", f"{sum(timed):.1f}", model, flags))
    rows = [json.loads(x) for x in (DATA / "qags-xsum-dev.jsonl").read_text("utf-8").splitlines()
            if x.strip()]
    sample = rows[:: max(len(rows) // PAIRS_SAMPLE, 1)][:PAIRS_SAMPLE]
    pairs = "".join(json.dumps({"summary": r["summary"], "source": r["article"]}) + "\n"
                    for r in sample)
    begin = time.perf_counter()
    compare_pairs(io.StringIO(pairs), io.StringIO(), embedder=embedder)
    per = (time.perf_counter() - begin) / len(sample)
    section.rows.append((f"compare --pairs qags-xsum-dev (extrapolated from {len(sample)})",
                         len(rows), f"{per:.2f}", f"{per * len(rows):.0f}", model, flags))
    section.notes.append("targets: a 90-word digest <= 10 s, compare --pairs on the 239 "
                         "qags-xsum-dev summaries <= 15 min, on 2 AVX2 cores; the digest is "
                         "the first ~90 words of the event's first article, checked against "
                         "all its articles; times on a shared machine are noisy")
    return section


def run(embedder: object, quick: bool = False, *, max_words: int = 90) -> list[Section]:
    from briefing.cli.config import Config
    from briefing.events.cluster import single_event
    from briefing.events.embed import embed_articles
    from briefing.summarize import get_summarizer, summarize_event
    from briefing.summarize.registry import resolve_backend

    from .digests import LAST_SECONDS, load_events

    backend = resolve_backend(Config().backend)  # the default backend on this CPU
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
        return [section, _timed(_truth)]
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
    return [section, _timed(_truth)]


def _timed(part) -> Section:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    section = part()
    section.seconds = time.perf_counter() - started
    return section
