"""One stage of the scale benchmark, run alone in its own process.

``python -m bench.stages STAGE CORPUS WORK [--embed-budget S]`` times one library
call and prints one JSON line: ``seconds`` (the call only: no imports, no reading of
the previous stage's output), ``peak_mb`` (this process's peak RSS, imports and
inputs included) and counts. Stages hand their outputs to the next through pickles
and a NumPy file in WORK; the SQLite file ``WORK/bench.db`` is real and shared by
``store`` and ``embed``.

- ingest: ``briefing.ingest.readers.ingest`` on the corpus folder.
- store: ``Store.save_articles`` of every article read, into a fresh SQLite file.
- dedup: ``briefing.events.dedup.deduplicate`` of every article read.
- embed: ``briefing.events.embed.embed_articles`` of the deduplicated articles with the store,
  cold (model loading timed apart as ``load_s``), then warm (every vector a cache hit).
  Cold embedding goes in chunks of ``--embed-chunk`` articles (default ``CHUNK``) and
  starts no new chunk once ``--embed-budget`` seconds have passed; the articles left
  then get the vector of an embedded article of the same seed story
  (``corpus_gen.seed_key``), so that grouping still sees every article, and the line
  says how many were embedded and the full cold time extrapolated from the measured rate.
- group: ``briefing.events.cluster.group_events`` given those vectors.
- render: ``briefing.publish.render.write_outputs`` (md, html, json) of a Briefing of the
  events ranked as ``pipeline.rank_key`` does, each with a cheap made-up summary (the
  lead sentence of its central article, cited): no summarization is timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import resource
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.corpus_gen import seed_key

STAGES = ("ingest", "store", "dedup", "embed", "group", "render")
CHUNK = 256


def _load(work: Path, name: str) -> object:
    with open(work / name, "rb") as f:
        return pickle.load(f)


def _save(work: Path, name: str, value: object) -> None:
    with open(work / name, "wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)


def _timed(call: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    value = call()
    return value, time.perf_counter() - start


def stage_ingest(corpus: Path, work: Path, **_: object) -> dict:
    """Read the corpus folder."""
    from briefing.ingest.readers import ingest

    read, seconds = _timed(lambda: ingest([corpus]))
    _save(work, "read.pkl", read.articles)  # type: ignore[attr-defined]
    return {"seconds": seconds, "articles": len(read.articles), "skipped": len(read.skipped)}  # type: ignore[attr-defined]


def _store(work: Path):  # type: ignore[no-untyped-def]
    from briefing.store.store import Store, open_database

    return Store(open_database(work / "bench.db"))


def stage_store(corpus: Path, work: Path, **_: object) -> dict:
    """Save every article read into the SQLite file."""
    articles = _load(work, "read.pkl")
    store = _store(work)
    _, seconds = _timed(lambda: store.save_articles(articles))
    return {"seconds": seconds, "rows": store.article_count()}


def stage_dedup(corpus: Path, work: Path, **_: object) -> dict:
    """Fold exact and near duplicates."""
    from briefing.events.dedup import deduplicate

    articles = _load(work, "read.pkl")
    result, seconds = _timed(lambda: deduplicate(articles))  # type: ignore[arg-type]
    _save(work, "deduped.pkl", result.articles)  # type: ignore[attr-defined]
    near = sum(1 for *_, j in result.near_pairs if j < 1.0)  # type: ignore[attr-defined]
    kept, folded = len(result.articles), result.duplicates  # type: ignore[attr-defined]
    return {"seconds": seconds, "kept": kept, "folded": folded, "near": near}


def stage_embed(
    corpus: Path, work: Path, *, embed_budget: float = 600.0, embed_chunk: int = CHUNK, **_: object
) -> dict:
    """Embed cold within the budget, then warm; fill the rest with seed-story vectors."""
    from briefing.events.embed import embed_articles, get_embedder

    articles: list = _load(work, "deduped.pkl")  # type: ignore[assignment]
    store = _store(work)
    embedder, load_s = _timed(get_embedder)
    start = time.perf_counter()
    done = 0
    parts = []
    while done < len(articles) and (not done or time.perf_counter() - start < embed_budget):
        chunk = articles[done : done + embed_chunk]
        parts.append(embed_articles(chunk, embedder=embedder, store=store))  # type: ignore[arg-type]
        done += len(chunk)
    cold = time.perf_counter() - start
    embedded = articles[:done]
    _, warm = _timed(lambda: embed_articles(embedded, embedder=embedder, store=store))  # type: ignore[arg-type]
    vectors = np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)
    if done < len(articles):
        vectors = _fill(articles, vectors, embedder)
    np.save(work / "vectors.npy", vectors)
    line = {"seconds": cold, "warm_s": warm, "load_s": load_s, "embedded": done}
    line["total"] = len(articles)
    if done < len(articles):
        line["estimate_s"] = cold * len(articles) / max(done, 1)
    return line


def _fill(articles: list, vectors: np.ndarray, embedder: object) -> np.ndarray:
    """Give each article past the embedded ones the vector of its seed story."""
    from briefing.events.embed import embed_articles

    by_seed: dict[str, np.ndarray] = {}
    for a, v in zip(articles, vectors, strict=False):
        by_seed.setdefault(seed_key(a.url or a.path), v)
    rest = articles[len(vectors) :]
    unseen = [a for a in rest if seed_key(a.url or a.path) not in by_seed]
    if unseen:  # a seed story none of the embedded articles came from: embed one of each
        firsts = list({seed_key(a.url or a.path): a for a in reversed(unseen)}.values())
        for a, v in zip(firsts, embed_articles(firsts, embedder=embedder), strict=True):  # type: ignore[arg-type]
            by_seed[seed_key(a.url or a.path)] = v
    filled = np.stack([by_seed[seed_key(a.url or a.path)] for a in rest])
    return np.concatenate([vectors, filled]).astype(np.float32)


def stage_group(corpus: Path, work: Path, **_: object) -> dict:
    """Group the deduplicated articles into events."""
    from briefing.events.cluster import group_events

    articles = _load(work, "deduped.pkl")
    vectors = np.load(work / "vectors.npy")
    events, seconds = _timed(lambda: group_events(articles, vectors))  # type: ignore[arg-type]
    _save(work, "events.pkl", events)
    sizes = [len(e.articles) for e in events]  # type: ignore[attr-defined]
    return {"seconds": seconds, "events": len(sizes), "largest": max(sizes, default=0)}


def stage_render(corpus: Path, work: Path, **_: object) -> dict:
    """Write md, html and json of a briefing of the events with cheap summaries."""
    from briefing.pipeline import rank_key
    from briefing.publish.render import make_environment, write_outputs
    from briefing.records import Briefing, BriefingEvent, Sentence, Stats, Summary
    from briefing.text import split_sentences

    events = sorted(_load(work, "events.pkl"), key=rank_key)  # type: ignore[call-overload]
    items = []
    for rank, event in enumerate(events, start=1):
        lead = event.articles[0]
        first = next(iter(split_sentences(lead.text[:1000])), lead.title)
        summary = Summary(lead.title, (Sentence(first, (lead.id,)),), backend="bench")
        items.append(BriefingEvent(event=event, summary=summary, rank=rank))
    count = sum(len(e.articles) for e in events)
    briefing = Briefing(
        date=dt.date(2025, 12, 31),
        generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        backend="bench",
        events=tuple(items),
        stats=Stats(read=count, events=len(events)),
    )
    env = make_environment()
    out = work / "out"
    paths, seconds = _timed(lambda: write_outputs(briefing, out, ("md", "html", "json"), env=env))
    size = sum(p.stat().st_size for p in paths)  # type: ignore[attr-defined]
    return {"seconds": seconds, "bytes": size}


def main() -> None:
    """Run one stage and print its JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=STAGES)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--embed-budget", type=float, default=600.0)
    parser.add_argument("--embed-chunk", type=int, default=CHUNK)
    args = parser.parse_args()
    run = globals()[f"stage_{args.stage}"]
    line = run(args.corpus, args.work, embed_budget=args.embed_budget, embed_chunk=args.embed_chunk)
    line["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if children:  # worker processes (dedup hashes in several): the largest one's peak
        line["children_peak_mb"] = children
    print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
