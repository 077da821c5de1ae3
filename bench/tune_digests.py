"""Choose the extractive backend's weights on half A of wikinews-dev (never on half B).

Prints ROUGE-1/2 (F1 x 100, the scoreboard's scoring) of lead, LexRank and each
weight setting of a small grid on half A, best first. The chosen setting goes into
``briefing/summarize/backends/extractive.py: Weights``; the scoreboard reports half B.

    python bench/tune_digests.py [--half A] [--max-words 90]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.scoreboard.digests import lead, lexrank, load_events  # noqa: E402

GRID = {  # one event's TF-IDF rows are cached (tfidf_rows), so a setting costs little
    "position": (0.0, 0.1, 0.2, 0.4),
    "agreement": (0.0, 0.2, 0.4),
    "article": (0.0, 0.1, 0.2),
    "dangling": (0.0, 0.2),
    "redundancy": (0.4, 0.6),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", default="A", choices=("A", "B"))
    parser.add_argument("--max-words", type=int, default=90)
    args = parser.parse_args()
    from rouge_score import rouge_scorer

    from briefing.events.cluster import single_event
    from briefing.events.embed import Embedder, embed_articles
    from briefing.summarize.backends.extractive import ExtractiveSummarizer, Weights
    from briefing.text import word_count

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    embedder = Embedder()
    events = []
    for side, _name, articles, reference in load_events(False):
        if side == args.half:
            vectors = embed_articles(articles, embedder=embedder)
            events.append((single_event(articles, vectors).articles, reference))

    def score(digest_of) -> tuple[float, float, float]:
        r1, r2, n = [], [], []
        for articles, reference in events:
            sentences = digest_of(articles)
            result = scorer.score(reference, "\n".join(sentences))
            r1.append(result["rouge1"].fmeasure)
            r2.append(result["rouge2"].fmeasure)
            n.append(sum(word_count(s) for s in sentences))
        return 100 * statistics.mean(r1), 100 * statistics.mean(r2), statistics.mean(n)

    w = args.max_words
    print(f"half {args.half}, {len(events)} events, {w} words")
    print("lead     R-1 %.1f R-2 %.2f words %.0f" % score(lambda a: lead([x.text for x in a], w)))
    print("LexRank  R-1 %.1f R-2 %.2f words %.0f" % score(lambda a: lexrank([x.text for x in a], w)))
    settings = [Weights(**dict(zip(GRID, v, strict=True))) for v in itertools.product(*GRID.values())]
    backends = [ExtractiveSummarizer(weights) for weights in settings]
    r1: dict[int, list[float]] = {i: [] for i in range(len(settings))}
    r2: dict[int, list[float]] = {i: [] for i in range(len(settings))}
    used: dict[int, list[int]] = {i: [] for i in range(len(settings))}
    for articles, reference in events:  # events outer: one event's TF-IDF rows stay cached
        for i, backend in enumerate(backends):
            sentences = backend.summarize(articles, max_words=w).sentences
            result = scorer.score(reference, "\n".join(sentences))
            r1[i].append(result["rouge1"].fmeasure)
            r2[i].append(result["rouge2"].fmeasure)
            used[i].append(sum(word_count(s) for s in sentences))
    rows = [((100 * statistics.mean(r1[i]), 100 * statistics.mean(r2[i]),
              statistics.mean(used[i])), settings[i]) for i in range(len(settings))]
    rows.sort(key=lambda r: -(r[0][0] + r[0][1]))
    for (r1, r2, n), weights in rows[:15]:
        print(f"R-1 {r1:.1f} R-2 {r2:.2f} words {n:.0f}  {weights}")


if __name__ == "__main__":
    main()
