"""ROUGE of the digests on wikinews-dev: hf vs extractive vs a lead baseline.

Usage: python bench/bench_quality.py [--events N] [--max-words 90] [--backends hf,extractive]

For each event folder ``wnNNN`` (sorted; the first N), the articles are read with
the tool's ingest and summarized as one event by each backend (through
``summarize_event``, so the guard runs and dropped sentences are counted). The
lead baseline is the first sentences of the longest article at the same length.
Scores: rouge-score's ROUGE-1/2/L F1 (``use_stemmer=True``; ROUGE-L is the
sentence-level LCS variant ``rougeL``) against the first 120 words of the
reference (``reference.md``), averaged over events.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from rouge_score import rouge_scorer

from briefing.events.cluster import single_event
from briefing.events.embed import embed_articles, get_embedder
from briefing.ingest.readers import ingest
from briefing.summarize.registry import get_summarizer
from briefing.summarize.summary import summarize_event
from briefing.text import split_sentences, word_count

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wikinews-dev"
REFERENCE_WORDS = 120


def lead(articles, max_words: int) -> str:  # type: ignore[no-untyped-def]
    """Return the first whole sentences of the longest article, up to max_words."""
    longest = max(articles, key=lambda a: len(a.text))
    out, n = [], 0
    for sentence in split_sentences(longest.text):
        if out and n + word_count(sentence) > max_words:
            break
        out.append(sentence)
        n += word_count(sentence)
    return " ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--max-words", type=int, default=90)
    parser.add_argument("--backends", default="hf,extractive")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    folders = sorted(p for p in args.data.iterdir() if p.is_dir())[: args.events]
    embedder = get_embedder()
    events = []
    for folder in folders:
        articles = ingest([folder / "articles"]).articles
        reference = " ".join((folder / "reference.md").read_text().split()[:REFERENCE_WORDS])
        events.append((folder.name, single_event(articles, embed_articles(articles)), reference))

    rows: dict[str, dict[str, list[float]]] = {}

    def score(name: str, text: str, reference: str) -> None:
        result = scorer.score(reference, text)
        row = rows.setdefault(name, {"rouge1": [], "rouge2": [], "rougeL": []})
        for key in row:
            row[key].append(result[key].fmeasure)

    for _, event, reference in events:
        score("lead", lead(event.articles, args.max_words), reference)
    dropped_share: dict[str, str] = {"lead": "-"}
    seconds: dict[str, str] = {"lead": "-"}
    for backend in args.backends.split(","):
        summarizer = get_summarizer(backend)
        dropped = kept = 0
        start = time.perf_counter()
        for name, event, reference in events:
            summary = summarize_event(
                event.articles, summarizer, max_words=args.max_words, embedder=embedder
            )
            score(backend, summary.digest, reference)
            dropped += sum(not d.reason.startswith("headline") for d in summary.dropped)
            kept += len(summary.sentences)
            print(f"{backend:10} {name}: {summary.backend}, {len(summary.sentences)} kept, "
                  f"{len(summary.dropped)} dropped: {summary.headline}", flush=True)
        seconds[backend] = f"{(time.perf_counter() - start) / len(events):.1f}"
        total = dropped + kept
        dropped_share[backend] = f"{dropped / total:.1%}" if total else "-"

    print(f"\n{len(events)} wikinews-dev events, digests <= {args.max_words} words, reference = "
          f"first {REFERENCE_WORDS} words; rouge-score F1, stemming on, rougeL = sentence LCS")
    print(f"{'system':12} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'dropped':>8} {'s/event':>8}")
    for name, row in rows.items():
        means = [statistics.mean(row[k]) for k in ("rouge1", "rouge2", "rougeL")]
        print(f"{name:12} " + " ".join(f"{m:6.3f}" for m in means)
              + f" {dropped_share[name]:>8} {seconds[name]:>8}")


if __name__ == "__main__":
    main()
