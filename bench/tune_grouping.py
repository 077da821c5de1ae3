"""Choose the grouping weights and threshold on half A of every dev set; report half B.

Usage: python bench/tune_grouping.py [--cache /tmp/vectors.npz]

The similarity of a pair no longer depends on the corpus (background word
weights), so the three similarities of every pair of dev articles are computed
once, and each candidate configuration is scored by clustering each set's half A
(average linkage, as ``group_events``). Among the configurations that group the demo
corpus as expected (the issue's requirement; the demo has no half A), the ones with
the best mean F1 on the halves A (ties: the lowest threshold) are printed with their
F1 on halves B. The lead's length (``LEAD_WORDS``: 60, 80 and 120 words were
compared) is set in the module.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scoreboard.grouping import bcubed, load_sets  # noqa: E402
from briefing.events import similarity as S  # noqa: E402
from briefing.events.cluster import _dense_labels  # noqa: E402


def load(cache: Path):
    from briefing.events.embed import embed_articles, get_embedder
    from briefing.ingest import ingest

    sets = load_sets()
    articles = {}
    for name, (files, _, _) in sets.items():
        when = dt.date(2022, 12, 21) if name == "demo corpus" else None
        articles.update({a.path: a for a in ingest(files, reference_date=when).articles})
    arts = list(articles.values())
    if cache.exists():
        stored = np.load(cache)
        vecs = np.stack([stored[a.path] for a in arts])
    else:
        vecs = embed_articles(arts, embedder=get_embedder())
        np.savez(cache, **{a.path: v for a, v in zip(arts, vecs, strict=True)})
    return sets, arts, vecs


def parts(arts, vecs):
    f = S.features(arts, vecs)
    v = f.vectors.astype(np.float64)
    cosine = v @ v.T
    lead = (f.lead @ f.lead.T).toarray()
    words = (f.words @ f.words.T).toarray()
    o = f.ordinals
    dated = (o != S.UNDATED)[:, None] & (o != S.UNDATED)[None, :]
    gap = np.where(dated, np.abs(o[:, None] - o[None, :]), -1)
    return cosine, lead, words, gap


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=Path("/tmp/briefing-dev-vectors.npz"))
    args = parser.parse_args()
    sets, arts, vecs = load(args.cache)
    index = {a.path: n for n, a in enumerate(arts)}
    cosine, lead, words, gap = parts(arts, vecs)
    groups = {}
    for name, (files, gold, side) in sets.items():
        for h in "AB":
            keys = [str(f) for f in files if side[str(f)] == h and str(f) in index]
            if keys:
                groups[(name, h)] = (np.array([index[k] for k in keys]), keys, gold)

    def score(we, wl, ww, floor, t, h):
        out = {}
        emb = np.clip((cosine - floor) / (1 - floor), 0, 1)
        sim = (we * emb + wl * lead + ww * words) / (we + wl + ww)
        sim[gap > S.MAX_GAP_DAYS] = 0
        for (name, half), (rows, keys, gold) in groups.items():
            if half != h:
                continue
            m = sim[np.ix_(rows, rows)].round(S.DECIMALS)
            np.fill_diagonal(m, 1.0)
            labels = _dense_labels(m, t)
            out[name] = bcubed(dict(zip(keys, labels.tolist(), strict=True)),
                               {k: gold[k] for k in keys})[2]
        return out

    results = []
    for we, wl, ww, floor in itertools.product(
        (0.1, 0.15, 0.2), (0.5, 0.6, 0.8), (0.3, 0.4), (0.65, 0.7, 0.75)
    ):
        for t in np.round(np.arange(0.12, 0.40, 0.02), 3):
            if score(we, wl, ww, floor, t, "B")["demo corpus"] < 1.0:
                continue
            a = score(we, wl, ww, floor, t, "A")
            results.append((float(np.mean(list(a.values()))), -t, we, wl, ww, floor, a))
    results.sort(key=lambda r: r[:2], reverse=True)
    for mean, t, we, wl, ww, floor, a in results[:8]:
        b = score(we, wl, ww, floor, -t, "B")
        print(f"embedding={we} lead={wl} words={ww} floor={floor} t={-t:.3f} meanA={mean:.3f} "
              + " ".join(f"{k[:8]}:A{a[k]:.3f}/B{b[k]:.3f}" for k in a))

if __name__ == "__main__":
    main()
