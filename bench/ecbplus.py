"""Score event grouping on ../shared/data/ecbplus-dev with B-cubed precision, recall and F1.

Usage: python bench/ecbplus.py [DATA_DIR]

The articles are read by the tool's own ingest (so dates found in their header
lines count, as in a real build), embedded, and grouped with the fixed settings
of briefing.events.cluster; the file names are used only to look up the gold labels.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from briefing.events.cluster import group_events
from briefing.events.embed import embed_articles
from briefing.ingest.readers import ingest

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecbplus-dev"


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Return B-cubed (precision, recall, F1): per item, overlap of its predicted and gold cluster.

    P = mean_i |C(i) ∩ G(i)| / |C(i)|, R = mean_i |C(i) ∩ G(i)| / |G(i)|, F1 = 2PR / (P + R).
    """
    items = sorted(gold)
    precision = recall = 0.0
    for i in items:
        c = {j for j in items if predicted[j] == predicted[i]}
        g = {j for j in items if gold[j] == gold[i]}
        precision += len(c & g) / len(c)
        recall += len(c & g) / len(g)
    precision /= len(items)
    recall /= len(items)
    return precision, recall, 2 * precision * recall / (precision + recall)


def main(data_dir: Path = DEFAULT) -> None:
    gold = json.loads((data_dir / "gold.json").read_text())
    start = time.perf_counter()
    corpus = ingest([data_dir / "corpus"])
    vectors = embed_articles(corpus.articles)
    events = group_events(corpus.articles, vectors)
    elapsed = time.perf_counter() - start
    predicted = {Path(a.path).name: e.id for e in events for a in e.articles}
    predicted.update({name: name for name in gold if name not in predicted})  # skipped: alone
    p, r, f = bcubed(predicted, gold)
    print(f"ecbplus-dev: {len(corpus.articles)} articles, {len(set(gold.values()))} gold events")
    print(f"predicted events: {len(events)}  ({elapsed:.1f} s incl. model load)")
    print(f"B-cubed precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
