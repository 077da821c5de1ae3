"""Choose history's look-back and match threshold on half A of the two mornings.

Usage: python bench/tune_history.py [--half A] [--lookback 100,365,400]
       [--thresholds 0.28] [--named 0.18] [--cover 0.2,0.27] [--near 100]
       [--far-cover 0.4,0.5]

Runs the scoreboard's two-morning scenarios from gvc-dev (``bench/scoreboard/history.py``:
split incidents must be *developing* on day 2, different incidents of the same kind
*new*) through the tool for each look-back (days searched back, and the longest pause
allowed), threshold, name cover, near pause (after it the names must agree: far
cover), on the scenarios of one half of gvc-dev's incidents (A to choose, B only to
report), and prints the share right of each kind. A threshold below the score of the
second supermarket fire of ``tests/events/test_history.py`` (0.269 against the first)
is not a candidate, whatever it scores here, nor a name cover below its cover (0.28).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scoreboard.common import DATA, CachedEmbedder  # noqa: E402
from bench.scoreboard.history import continues, scenario_halves, scenarios  # noqa: E402


def _numbers(text: str, kind: type) -> list:
    return [kind(x) for x in text.split(",")]


def main() -> None:
    from briefing.events.embed import get_embedder
    from briefing.ingest import ingest

    parser = argparse.ArgumentParser()
    parser.add_argument("--half", default="A", choices=("A", "B"))
    parser.add_argument("--lookback", default="100,365,400")
    parser.add_argument("--thresholds", default="0.28")
    parser.add_argument("--named", default="0.18",
                        help="the least similarity when the leads name the same")
    parser.add_argument("--cover", default="0.2,0.27", help="the least name cover")
    parser.add_argument("--near", default="100",
                        help="the longest pause after which the similarity alone may match")
    parser.add_argument("--far-cover", default="0.4,0.5",
                        help="the least name cover after a longer pause")
    args = parser.parse_args()
    corpus = ingest([DATA / "gvc-dev" / "corpus"]).articles
    split, different = scenarios({Path(a.path).name: a for a in corpus})
    side = scenario_halves()
    split = [c for c in split if side(c[0]) == args.half]
    different = [c for c in different if side(c[0]) == args.half]
    embedder = CachedEmbedder(get_embedder())
    for days in _numbers(args.lookback, int):
        for t, named, cover, near, far in itertools.product(
            _numbers(args.thresholds, float), _numbers(args.named, float),
            _numbers(args.cover, float), _numbers(args.near, int),
            _numbers(args.far_cover, float),
        ):
            options = {"lookback_days": days, "threshold": t, "named_threshold": named,
                       "min_name_cover": cover, "near_pause_days": near, "far_name_cover": far}
            right = sum(all(continues(a, b, embedder, **options)) for a, b in split)
            new = sum(not any(continues(a, b, embedder, **options)) for a, b in different)
            print(f"half {args.half} look-back {days:>3} d threshold {t:.2f} named {named:.2f} "
                  f"cover {cover:.2f} near {near} d far cover {far:.2f}: "
                  f"split developing {right}/{len(split)} = {right / len(split):.1%}, "
                  f"different new {new}/{len(different)} = {new / len(different):.1%}",
                  flush=True)


if __name__ == "__main__":
    main()
