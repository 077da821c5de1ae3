"""Time the hf backend on the first wikinews-dev events: plain greedy vs prompt lookup.

Each setting runs in its own process (so peak RSS is its own) with the model
loaded once; per event it prints seconds, prompt tokens, new tokens and new
tokens per second (tok/s: over the whole generation; dec: after the prompt
pass), side by side, and whether the two settings wrote the same digest. Usage:

    .venv/bin/python bench/bench_digest_speed.py [--events 6] [--max-words 80]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "wikinews-dev"
SETTINGS = {"plain": None, "lookup10": 10}


def load_events(count: int) -> list[tuple[str, list]]:
    """Read the first ``count`` wikinews-dev events as (name, articles)."""
    from briefing.models import Article

    events = []
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir())[:count]:
        articles = []
        for path in sorted((folder / "articles").glob("*.json")):
            raw = json.loads(path.read_text())
            articles.append(
                Article(id=path.stem, title=raw.get("title", ""), text=raw["text"], path=str(path))
            )
        events.append((folder.name, articles))
    return events


def run_worker(setting: str, count: int, max_words: int) -> None:
    """Summarize the events with one setting; print one JSON line per event, then RSS."""
    from briefing.summarize.hf import HFSummarizer

    start = time.perf_counter()
    hf = HFSummarizer(prompt_lookup=SETTINGS[setting])
    print(json.dumps({"load_s": time.perf_counter() - start, "dtype": hf.dtype}), flush=True)
    for name, articles in load_events(count):
        start = time.perf_counter()
        draft = hf.summarize(articles, max_words=max_words)
        stats = hf.last_stats
        assert stats is not None
        row = {
            "event": name,
            "articles": len(articles),
            "seconds": time.perf_counter() - start,
            "generate_s": stats.seconds,
            "prompt_s": stats.prompt_seconds,
            "decode_rate": stats.decode_tokens_per_second,
            "prompt_tokens": stats.prompt_tokens,
            "new_tokens": stats.new_tokens,
            "digest": " ".join(draft.sentences),
            "headline": draft.headline,
        }
        print(json.dumps(row), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux -> GB
    print(json.dumps({"peak_rss_gb": peak}), flush=True)


def run_setting(setting: str, count: int, max_words: int) -> list[dict]:
    """Run one setting in a child process and return its JSON lines."""
    command = [sys.executable, __file__, "--worker", setting]
    command += ["--events", str(count), "--max-words", str(max_words)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    """Run both settings and print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=6)
    parser.add_argument("--max-words", type=int, default=80)
    parser.add_argument("--worker", choices=sorted(SETTINGS))
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.events, args.max_words)
        return
    results = {s: run_setting(s, args.events, args.max_words) for s in SETTINGS}
    plain, lookup = results["plain"], results["lookup10"]
    dtype = plain[0]["dtype"]
    default = "plain" if dtype == "mixed" else "lookup10"
    print(f"hf backend, dtype {dtype} (tool default here: {default}), max_words={args.max_words}")
    print(f"model load: plain {plain[0]['load_s']:.1f} s, lookup10 {lookup[0]['load_s']:.1f} s")
    header = (
        f"{'event':<7}{'arts':>5}{'prompt':>7}{'pass s':>7} | "
        f"{'plain s':>8}{'new':>5}{'tok/s':>6}{'dec':>6} | "
        f"{'lookup s':>8}{'new':>5}{'tok/s':>6}{'dec':>6} | {'speedup':>7} same"
    )
    print(header)
    print("-" * len(header))
    totals = {"plain": [0.0, 0], "lookup10": [0.0, 0]}
    for p, q in zip(plain[1:-1], lookup[1:-1], strict=True):
        for key, row in (("plain", p), ("lookup10", q)):
            totals[key][0] += row["seconds"]
            totals[key][1] += row["new_tokens"]
        same = "yes" if p["digest"] == q["digest"] and p["headline"] == q["headline"] else "no"
        print(
            f"{p['event']:<7}{p['articles']:>5}{p['prompt_tokens']:>7}{p['prompt_s']:>7.1f} | "
            + " | ".join(
                f"{r['seconds']:>8.1f}{r['new_tokens']:>5}"
                f"{r['new_tokens'] / r['generate_s']:>6.2f}{r['decode_rate']:>6.2f}"
                for r in (p, q)
            )
            + f" | {p['seconds'] / q['seconds']:>6.2f}x {same}"
        )
    n = len(plain) - 2
    print("-" * len(header))
    for key, rows in results.items():
        seconds, tokens = totals[key]
        print(
            f"{key:<9} mean {seconds / n:6.1f} s/event, {tokens / seconds:5.2f} new tok/s "
            f"(wall), peak RSS {rows[-1]['peak_rss_gb']:.2f} GB"
        )


if __name__ == "__main__":
    main()
