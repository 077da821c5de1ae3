"""Time near-duplicate detection and event grouping on large synthetic corpora.

Usage: python bench/bench_scale.py [--dedup 10000,100000] [--group 1000,10000] [--days 60]

The corpus is made from the ~330 real texts in ../shared/data (wikinews-dev and
ecbplus-dev): each article mixes the sentences of one base text with a few from
another, swaps some words, gets a date within ``--days`` days, and one in ten
gets a near-duplicate copy (one word changed). Grouping gets no model: each base
text has a random unit vector and its articles get that vector plus noise, so
articles of one base text look alike, as articles of one story do. Each figure is
printed with the wall and CPU seconds it took (CPU time suffers less from a
shared machine), the peak RSS of the process so far and the load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

from briefing.events.cluster import group_events
from briefing.events.dedup import deduplicate
from briefing.records import Article
from briefing.text import content_id, split_sentences

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def base_texts(data: Path = DATA) -> list[tuple[str, str]]:
    """Return (title, text) of every real article under ``data``."""
    files = sorted(data.glob("wikinews-dev/*/articles/*.json"))
    files += sorted(data.glob("ecbplus-dev/corpus/*.json"))
    texts = []
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        if len(doc.get("text", "").split()) >= 40:
            texts.append((doc.get("title") or "", doc["text"]))
    if not texts:
        sys.exit(f"{data}: no wikinews-dev or ecbplus-dev articles found")
    return texts


def synthetic_corpus(
    n: int, *, days: int = 60, seed: int = 0, dims: int = 384
) -> tuple[list[Article], np.ndarray]:
    """Return ``n`` articles (about 10% near-duplicate copies) and one unit vector each."""
    rng = random.Random(seed)
    bases = base_texts()
    sentences = [split_sentences(text) for _, text in bases]
    vocabulary = sorted({w for _, text in bases for w in text.split() if w.isalpha()})
    base_vectors = np.random.default_rng(seed).standard_normal((len(bases), dims))
    noise = np.random.default_rng(seed + 1)
    start = dt.date(2024, 1, 1)
    articles: list[Article] = []
    rows: list[np.ndarray] = []
    while len(articles) < n:
        b = rng.randrange(len(bases))
        own = sentences[b]
        keep = [s for s in own if rng.random() < 0.8] or own[:1]
        other = sentences[rng.randrange(len(bases))]
        keep += rng.sample(other, min(2, len(other)))
        tokens = " ".join(keep).split()
        for _ in range(max(1, len(tokens) // 20)):
            tokens[rng.randrange(len(tokens))] = rng.choice(vocabulary)
        text = " ".join(tokens)
        date = start + dt.timedelta(days=rng.randrange(days))
        copies = [text]
        if rng.random() < 0.1:
            edited = text.split()
            edited[rng.randrange(len(edited))] = rng.choice(vocabulary)
            copies.append(" ".join(edited))
        for c in copies:
            i = len(articles)
            articles.append(
                Article(content_id(c), bases[b][0], c, f"a{i:06d}.txt", date, f"outlet{i % 7}")
            )
            v = base_vectors[b] + 0.6 * noise.standard_normal(dims)
            rows.append(v / np.linalg.norm(v))
    return articles[:n], np.asarray(rows[:n], dtype=np.float32)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _report(what: str, seconds: float, cpu: float, detail: str) -> None:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"{what:<14} {seconds:7.1f} s wall {cpu:7.1f} s CPU  peak RSS {peak_mb:6.0f} MB"
        f"  load {load}  {detail}",
        flush=True,
    )


def bench_dedup(n: int, days: int) -> None:
    """Time deduplicate() on ``n`` synthetic articles."""
    articles, _ = synthetic_corpus(n, days=days)
    t, cpu = time.perf_counter(), _cpu()
    result = deduplicate(articles)
    took = time.perf_counter() - t
    _report(f"dedup {n:,}", took, _cpu() - cpu, f"{result.duplicates:,} folded")


def bench_group(n: int, days: int) -> None:
    """Time group_events() on ``n`` synthetic articles with their vectors."""
    articles, vectors = synthetic_corpus(n, days=days)
    t, cpu = time.perf_counter(), _cpu()
    events = group_events(articles, vectors)
    took = time.perf_counter() - t
    sizes = sorted((len(e.articles) for e in events), reverse=True)
    _report(f"group {n:,}", took, _cpu() - cpu, f"{len(events):,} events, largest {sizes[:3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dedup", default="10000,100000", help="corpus sizes, comma-separated")
    parser.add_argument("--group", default="1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--days", type=int, default=60, help="dates spread over this many days")
    args = parser.parse_args()
    for n in filter(None, args.dedup.split(",")):
        bench_dedup(int(n), args.days)
    for n in filter(None, args.group.split(",")):
        bench_group(int(n), args.days)


if __name__ == "__main__":
    main()
