"""What the prefix cache saves: the guard's revision turn with and without the cached KV.

For each of the first wikinews-dev events, the backend writes a digest; its last
sentence is then reported as removed by the guard, and the revision turn
(``ChatSummarizer.revise``) is timed twice: right after the digest, reusing the
conversation's KV cache (``summarize/backends/prefix.py``; llama.cpp's own prefix
reuse), and after ``forget_prefix()``, computing the whole conversation again. Prints
the CPU flags, then per backend the mean seconds of each, the prompt and cached
tokens, the speed-up, and how many revisions came out word for word the same (bf16
sums in another order may pick another near-tie token). Usage:

    .venv/bin/python bench/bench_prefix_cache.py [--events 4] [--backends hf,llama]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_digest_speed import cpu_line, load_events  # noqa: E402


def measure(backend: str, events: list, max_words: int) -> None:
    """Time the revision turn of each event with and without the cache; print one row."""
    from briefing.records import Dropped
    from briefing.summarize.registry import get_summarizer

    model = get_summarizer(backend)
    cached_s, fresh_s, prompt, cached, same = [], [], [], [], 0
    for _name, articles in events:
        draft = model.summarize(articles, max_words=max_words)
        if not draft.sentences:
            continue
        removed = [Dropped(draft.sentences[-1], "not found in the sources")]
        begin = time.perf_counter()
        first = model.revise(draft, removed, max_words=max_words)
        cached_s.append(time.perf_counter() - begin)
        stats = model.last_stats
        prompt.append(stats.prompt_tokens)
        cached.append(stats.cached_tokens)
        model.forget_prefix()
        begin = time.perf_counter()
        again = model.revise(draft, removed, max_words=max_words)
        fresh_s.append(time.perf_counter() - begin)
        same += first is not None and again is not None and first.sentences == again.sentences
    n = len(cached_s)
    if not n:
        print(f"{backend:<7} no digest to revise")
        return
    print(f"{backend:<7}{n:>7}{statistics.mean(cached_s):>10.1f}{statistics.mean(fresh_s):>10.1f}"
          f"{statistics.mean(fresh_s) / statistics.mean(cached_s):>9.2f}x"
          f"{statistics.mean(prompt):>9.0f}{statistics.mean(cached):>9.0f}{same:>6}/{n}",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=4)
    parser.add_argument("--max-words", type=int, default=90)
    parser.add_argument("--backends", default="hf,llama")
    args = parser.parse_args()
    events = load_events(args.events)
    print(f"cpu: {cpu_line()}", flush=True)
    print(f"{'backend':<7}{'events':>7}{'cached s':>10}{'fresh s':>10}{'saved':>10}"
          f"{'prompt':>9}{'cached':>9}{'same':>8}", flush=True)
    for backend in args.backends.split(","):
        try:
            measure(backend, events, args.max_words)
        except Exception as e:  # noqa: BLE001 - a missing extra is reported, not fatal
            print(f"{backend:<7} failed: {e}", flush=True)


if __name__ == "__main__":
    main()
