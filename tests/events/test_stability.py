"""Results do not depend on the BLAS kernel, the thread count or the grouping path.

Which kernel a machine runs (OpenBLAS's Haswell on AVX2, SkylakeX on AVX-512), how
many threads it uses, and whether pairs are computed in the full matrix or in
blocks of the sparse path all change the last bits of float sums. These tests
stand in for another machine by nudging every embedding by noise far below any
meaningful difference (1e-6), and by changing the thread count and the block
sizes: the events, their order and the briefing a reader gets must not move.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_limits

import briefing.pipeline as pipeline
from briefing.events.cluster import Scale, group_events
from briefing.events.embed import Embedder, get_embedder
from briefing.pipeline import BuildOptions, build_briefing
from tests.conftest import DEMO, SHARED, make_article

DATA = SHARED / "data"
NOISE = 1e-6
SPARSE = Scale(dense_limit=0, component_limit=0)  # every component by sparse linkage
SMALL_BLOCKS = Scale(dense_limit=0, component_limit=5, chunk=16)


def nudge(vectors: np.ndarray, key: str) -> np.ndarray:
    """Add noise of about NOISE to unit vectors, the same for the same ``key``."""
    seed = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")
    noise = np.random.default_rng(seed).standard_normal(vectors.shape) * NOISE
    moved = vectors.astype(np.float64) + noise
    return (moved / np.linalg.norm(moved, axis=-1, keepdims=True)).astype(np.float32)


def _dev_articles() -> list:
    """~330 real articles: wikinews-dev (dated), ecbplus-dev (undated), gvc-dev (dated)."""
    if not DATA.is_dir():
        pytest.skip(f"{DATA} is not there")
    articles = []
    for story in sorted(DATA.glob("wikinews-dev/*"))[:24]:
        when = json.loads((story / "meta.json").read_text())["date"]
        date = dt.datetime.strptime(when, "%B %d, %Y").date() if when else None
        for f in sorted(story.glob("articles/*.json")):
            doc = json.loads(f.read_text(encoding="utf-8"))
            articles.append(make_article(doc["text"], title=doc["title"], path=str(f), date=date))
    files = sorted(DATA.glob("ecbplus-dev/corpus/*.json")) + sorted(
        DATA.glob("gvc-dev/corpus/*.json")
    )[:160]
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        date = dt.date.fromisoformat(doc["date"][:10]) if doc.get("date") else None
        articles.append(make_article(doc["text"], title=doc["title"], path=str(f), date=date))
    return articles


@pytest.fixture(scope="module")
def dev():
    """The dev articles and their real embeddings (title and lead, as a build embeds them)."""
    articles = _dev_articles()
    from briefing.events.embed import embedding_text

    vectors = get_embedder().encode([embedding_text(a) for a in articles])
    return articles, vectors


def events_seen(events) -> list[tuple[str, ...]]:
    """What a reader sees of the events: their articles, most central first.

    (The order of the events themselves is the pipeline's ``rank_key``, not grouping's.)
    """
    return sorted(tuple(a.id for a in e.articles) for e in events)


def test_grouping_ignores_noise_threads_and_blocks(dev):
    articles, vectors = dev
    expected = events_seen(group_events(articles, vectors))
    assert sum(len(e) > 1 for e in expected) >= 20  # real events, not all singletons
    noisy = np.stack([nudge(v, a.id) for v, a in zip(vectors, articles, strict=True)])
    assert 0 < np.abs(noisy - vectors).max() < 1e-5

    for threads in (1, 2):
        with threadpool_limits(limits=threads):
            for scale in (Scale(), SPARSE, SMALL_BLOCKS):
                for vecs in (vectors, noisy):
                    seen = events_seen(group_events(articles, vecs, scale=scale))
                    assert seen == expected, (threads, scale, vecs is noisy)


def test_the_order_inside_an_event_does_not_follow_the_last_bits():
    """Two articles of one event tie in centrality exactly, whatever their rounding: id wins."""
    a = make_article("Rescuers searched the rubble in Ferndale after the quake on Tuesday.")
    b = make_article("Rescue teams searched rubble in Ferndale after Tuesday's quake struck.")
    base = np.ones((2, 8), dtype=np.float64) / np.sqrt(8)
    first = min(a.id, b.id)
    for seed in range(20):
        vecs = nudge(base, f"pair{seed}")
        (event,) = group_events([a, b], vecs)
        assert event.articles[0].id == first
        (event,) = group_events([b, a], vecs[::-1])
        assert event.articles[0].id == first


def _build(root: Path, name: str, *, scale: Scale | None = None) -> dict:
    options = BuildOptions(
        paths=(root,),
        date=dt.date(2022, 12, 21),
        out_dir=root.parent / name,
        db_path=root.parent / f"{name}.db",
        window=100_000,
        formats=("json",),
        backend="extractive",
    )
    if scale is None:
        result = build_briefing(options)
    else:
        grouped = functools.partial(group_events, scale=scale)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pipeline, "group_events", grouped)
            result = build_briefing(options)
    data = json.loads((options.out_dir / "2022-12-21.json").read_text(encoding="utf-8"))
    data.pop("generated_at")
    assert result.briefing.stats.events == len(data["events"])
    return data


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus and two ECB+ dev topics (undated near-miss events) in one folder."""
    if not DATA.is_dir():
        pytest.skip(f"{DATA} is not there")
    root = tmp_path_factory.mktemp("stable") / "corpus"
    root.mkdir()
    for f in sorted(DEMO.iterdir()):
        (root / f.name).write_bytes(f.read_bytes())
    gold = json.loads((DATA / "ecbplus-dev" / "gold.json").read_text(encoding="utf-8"))
    topics = sorted({label.split("-")[0] for label in gold.values()})[:2]  # two of four
    for name, label in sorted(gold.items()):
        if label.split("-")[0] in topics:
            f = DATA / "ecbplus-dev" / "corpus" / name
            (root / f"ecb_{name}").write_bytes(f.read_bytes())
    return root


def test_the_briefing_is_the_same_with_noise_threads_and_the_sparse_path(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
):
    expected = _build(corpus, "plain")
    assert len(expected["events"]) >= 5

    monkeypatch.setattr(Embedder, "encode", _noisy(Embedder.encode))
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        with threadpool_limits(limits=1):
            one_thread = _build(corpus, "noisy1")
        torch.set_num_threads(2)
        with threadpool_limits(limits=2):
            sparse = _build(corpus, "noisy2", scale=SMALL_BLOCKS)
    finally:
        torch.set_num_threads(threads)

    assert one_thread == expected
    assert sparse == expected


def _noisy(encode):  # type: ignore[no-untyped-def]
    def noisy(self: Embedder, texts, **kwargs) -> np.ndarray:  # type: ignore[no-untyped-def]
        vectors = encode(self, texts, **kwargs)
        if not len(texts):
            return vectors
        return np.stack([nudge(v, t) for v, t in zip(vectors, texts, strict=True)])

    return noisy
