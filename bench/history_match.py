"""How strictly does history matching tell a continuing story from a similar, distinct one?

Usage: python bench/history_match.py [DATA_DIR]

On ../shared/data/ecbplus-dev every gold event is split in two halves of its articles
(alternating by file name): the halves are the same story with no shared article, the
case where only similarity can match. Each half is also scored against the halves of
the other event of its topic (ECB+ pairs two events of the same kind: two earthquakes,
two fires, ...), the case that must not match. The score is history.match_by_similarity's:
the average combined similarity (cluster.similarity_matrix) between the two article sets.
Prints both score distributions and the matches at history.MATCH_THRESHOLD.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from briefing.events.cluster import similarity_matrix
from briefing.events.embed import embed_articles
from briefing.events.history import MATCH_THRESHOLD
from briefing.ingest.readers import ingest

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecbplus-dev"


def main(data_dir: Path = DEFAULT) -> None:
    gold = json.loads((data_dir / "gold.json").read_text())
    articles = [a for a in ingest([data_dir / "corpus"]).articles if Path(a.path).name in gold]
    vectors = embed_articles(articles)
    sim = similarity_matrix(articles, vectors)
    halves: dict[str, list[list[int]]] = defaultdict(lambda: [[], []])
    for a in sorted(articles, key=lambda a: Path(a.path).name):
        label = gold[Path(a.path).name]
        group = halves[label]
        group[len(group[0]) > len(group[1])].append(articles.index(a))

    def score(x: list[int], y: list[int]) -> float:
        return float(sim[np.ix_(x, y)].mean())

    same = [score(*h) for h in halves.values() if all(h)]
    distinct = []
    labels = sorted(halves)
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if a.split("-")[0] == b.split("-")[0]:  # same topic: a near miss
                distinct += [score(x, y) for x in halves[a] for y in halves[b] if x and y]
    for name, values in (("same story", same), ("similar, distinct", distinct)):
        v = np.array(values)
        hits = int((v >= MATCH_THRESHOLD).sum())
        print(
            f"{name:18} n={len(v):2}  min {v.min():.3f}  median {np.median(v):.3f}  "
            f"max {v.max():.3f}  matched at {MATCH_THRESHOLD}: {hits}/{len(v)}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
