"""Measure a model backend's digests on one half of wikinews-dev (tune on A, never on B).

Prints, for the backend and prompt folder given, ROUGE-1/2 (F1 x 100, the scoreboard's
scoring), words, sentences, the share of model sentences the guard dropped, invented
names and numbers, and seconds per event; with --dump, every digest as JSON lines.

    python bench/tune_prompts.py --backend llama [--prompt-dir DIR] [--half A] [--events 24]
        [--revise]

"dropped" counts sentences of the shipped digests the guard removed, "revised" the events
whose first draft lost a sentence and were written again (only with ``--revise``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.scoreboard.digests import FIRST_DRAFT, invented, load_events  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="llama")
    parser.add_argument("--prompt-dir", type=Path)
    parser.add_argument("--half", default="A", choices=("A", "B"))
    parser.add_argument("--events", type=int, default=24)
    parser.add_argument("--max-words", type=int, default=90)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--names", help="only these events (comma-separated, e.g. wn003,wn010)")
    parser.add_argument("--revise", action="store_true",
                        help="a draft that loses a sentence is written again (revise=True)")
    args = parser.parse_args()
    from rouge_score import rouge_scorer

    from briefing.events.cluster import single_event
    from briefing.events.embed import Embedder, embed_articles
    from briefing.summarize import get_summarizer, summarize_event
    from briefing.text import word_count

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    embedder = Embedder()
    options: dict[str, object] = {"prompt_dir": args.prompt_dir} if args.prompt_dir else {}
    if args.revise:
        options["revise"] = True
    summarizer = get_summarizer(args.backend, **options)
    rows = []
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    begin = time.perf_counter()
    events = [e for e in load_events(False) if e[0] == args.half][: args.events]
    if args.names:
        events = [e for e in events if e[1] in args.names.split(",")]
    for _side, name, articles, reference in events:
        vectors = embed_articles(articles, embedder=embedder)
        ordered = single_event(articles, vectors).articles
        summary = summarize_event(ordered, summarizer, max_words=args.max_words,
                                  embedder=embedder)
        sentences = [s.text for s in summary.sentences]
        score = scorer.score(reference, "\n".join(sentences))
        row = {"event": name, "headline": summary.headline, "digest": sentences,
               "r1": score["rouge1"].fmeasure, "r2": score["rouge2"].fmeasure,
               "words": sum(word_count(s) for s in sentences), "sentences": len(sentences),
               "dropped": [d.reason for d in summary.dropped],
               "dropped_text": [d.text for d in summary.dropped],
               "invented": invented(sentences, [t for a in ordered for t in (a.text, a.title)],
                                    summary.headline)}
        rows.append(row)
        if dump:
            dump.write(json.dumps(row) + "\n")
            dump.flush()
    seconds = (time.perf_counter() - begin) / max(len(rows), 1)
    drops = sum(sum(not r.startswith(("headline", FIRST_DRAFT)) for r in row["dropped"])
                for row in rows)
    revised = sum(any(r.startswith(FIRST_DRAFT) for r in row["dropped"]) for row in rows)
    kept = sum(row["sentences"] for row in rows)
    print(f"{args.backend} prompts={args.prompt_dir or 'shipped'} half {args.half}, "
          f"{len(rows)} events: R-1 {100 * statistics.mean(r['r1'] for r in rows):.1f} "
          f"R-2 {100 * statistics.mean(r['r2'] for r in rows):.2f} "
          f"words {statistics.mean(r['words'] for r in rows):.0f} "
          f"sentences {statistics.mean(r['sentences'] for r in rows):.1f} "
          f"dropped {drops}/{kept + drops} revised {revised}/{len(rows)} "
          f"invented {sum(len(r['invented']) for r in rows)} "
          f"s/event {seconds:.1f}")


if __name__ == "__main__":
    main()
