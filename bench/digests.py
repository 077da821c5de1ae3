"""The digest part of the scale benchmark: the hf backend on the first wikinews-dev events.

One child process loads the model once (the tool's default settings) and summarizes
the first N events of ``../shared/data/wikinews-dev`` (``bench_digest_speed.load_events``),
printing one JSON line per event from ``HFSummarizer.last_stats`` and its peak RSS.
Events go through ``summarize_many`` with the backend's defaults, so they are batched
where the tool batches (a batch's time is shared by its events). The summary reports
seconds per event, prefill tokens/s
(prompt tokens / prompt-pass seconds, summed over events) and decode tokens/s
(new tokens after the first / seconds after the prompt pass, summed over events).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bench.suite import child_env

ROOT = Path(__file__).resolve().parents[1]


def run_worker(count: int, max_words: int) -> None:
    """Summarize ``count`` events with the hf backend's defaults (batched where that is
    the default); print JSON lines (``bench_digest_speed.run_worker``'s format)."""
    from bench.bench_digest_speed import run_worker as speed_worker

    speed_worker("tool", count, max_words)


def run_digests(count: int, *, timeout: float, max_words: int = 80) -> dict:
    """Run the worker in a fresh process and summarize its lines (or say why not)."""
    command = [sys.executable, "-m", "bench.digests", "--worker", str(count)]
    command += ["--max-words", str(max_words)]
    env = child_env()
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"status": f"timeout >{timeout:g} s"}
    lines = [json.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
    if done.returncode != 0 or not lines or "peak_rss_gb" not in lines[-1]:
        tail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return {"status": f"failed: {tail[:120]}"}
    events = [x for x in lines if "event" in x]
    prompt_s = sum(x["prompt_s"] for x in events)
    decode_s = sum(x["generate_s"] - x["prompt_s"] for x in events)
    return {
        "status": "ok",
        "events": len(events),
        "load_s": lines[0]["load_s"],
        "s_per_event": sum(x["seconds"] for x in events) / len(events),
        "prefill_tps": sum(x["prompt_tokens"] for x in events) / prompt_s if prompt_s else 0.0,
        "decode_tps": sum(x["new_tokens"] - 1 for x in events) / decode_s if decode_s else 0.0,
        "prompt_tokens": sum(x["prompt_tokens"] for x in events) / len(events),
        "new_tokens": sum(x["new_tokens"] for x in events) / len(events),
        "peak_mb": lines[-1]["peak_rss_gb"] * 1e6 / 1024,
    }


def digest_table(result: dict) -> str:
    """Return the digest part as a one-row Markdown table (or the reason it is missing)."""
    names = ["events", "model load", "s/event", "prompt tok/event", "new tok/event"]
    names += ["prefill tok/s", "decode tok/s", "peak RSS"]
    head = "| " + " | ".join(names) + " |\n|" + "---:|" * len(names)
    if result["status"] != "ok":
        return f"{head}\n| {result['status']} |" + " |" * (len(names) - 1)
    r = result
    values = [
        str(r["events"]),
        f"{r['load_s']:.1f} s",
        f"{r['s_per_event']:.1f}",
        f"{r['prompt_tokens']:.0f}",
        f"{r['new_tokens']:.0f}",
        f"{r['prefill_tps']:.1f}",
        f"{r['decode_tps']:.2f}",
        f"{r['peak_mb']:.0f} MB",
    ]
    return f"{head}\n| " + " | ".join(values) + " |"


def main() -> None:
    """Worker entry point (``--worker N``), or run and print the digest table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", type=int)
    parser.add_argument("--events", type=int, default=3)
    parser.add_argument("--max-words", type=int, default=80)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.max_words)
    else:
        result = run_digests(args.events, timeout=args.timeout, max_words=args.max_words)
        print(digest_table(result))


if __name__ == "__main__":
    main()
