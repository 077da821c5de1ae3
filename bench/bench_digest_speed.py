"""Time the model backends on the first wikinews-dev events: hf settings and llama.cpp.

Settings (each in its own process, so that peak RSS is its own; the model loaded once):

- ``plain``: ``generate()`` greedy, one event at a time: the baseline;
- ``lookup10``, ``lookup20``, ``lookup30``: prompt-lookup decoding (10, 20 or 30
  guessed tokens checked in one pass), one event at a time;
- ``batch4``: greedy, four events decoded together (left-padded; each stops on its own);
- ``tool``: the hf backend's defaults here (one at a time on a CPU, lookup10 with native bf16);
- ``llama``: the llama backend (llama.cpp on the same model's Q4_K_M GGUF), one at a time;
- ``llama-300``: llama with 300 tokens of source excerpts per event instead of 450;
- ``llama-batch4``: llama, four events decoded together (one sequence each, one context).

Per setting it prints seconds per event (wall, prompt pass included), new tokens per
second (wall), prefill tokens per second (prompt tokens / prompt-pass seconds), decode
tokens per second (after each sequence's first token), peak RSS, how many digests
are word for word the same as those of the first setting run on the same engine
(plain's for hf, llama's for llama), and the quality figures a speed lever must
keep: ROUGE-1/2/L F1 (rouge-score, stemming on, ``rougeL``) against the first 120
words of each reference, and the share of digest sentences the guard drops. Usage:

    .venv/bin/python bench/bench_digest_speed.py [--events 8] [--max-words 90]
        [--settings plain,lookup10,batch4]
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
SETTINGS: dict[str, tuple[str, dict[str, object]]] = {
    "plain": ("hf", {"prompt_lookup": None, "batch_size": 1}),
    "lookup10": ("hf", {"prompt_lookup": 10, "batch_size": 1}),
    "lookup20": ("hf", {"prompt_lookup": 20, "batch_size": 1}),
    "lookup30": ("hf", {"prompt_lookup": 30, "batch_size": 1}),
    "batch4": ("hf", {"prompt_lookup": None, "batch_size": 4}),
    "tool": ("hf", {}),  # the hf backend's own defaults on this machine
    "llama": ("llama", {}),  # llama.cpp on the Q4_K_M GGUF (the llama extra)
    "llama-300": ("llama", {"source_tokens": 300}),  # shorter prompts: 300 source tokens
    "llama-batch4": ("llama", {"batch_size": 4}),  # four events per batch (llama_batch.py)
}
REFERENCE_WORDS = 120


def load_events(count: int) -> list[tuple[str, list]]:
    """Read the first ``count`` wikinews-dev events as (name, articles)."""
    from briefing.records import Article

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
    """Summarize the events with one setting; print one JSON line per event, then RSS.

    A batch's figures are shared by its events: ``seconds`` is the batch's wall time
    divided by its size, and the token counts are the event's share of the batch's.
    """
    from briefing.summarize.registry import get_summarizer

    start = time.perf_counter()
    backend, options = SETTINGS[setting]
    model = get_summarizer(backend, **options)
    dtype = getattr(model, "dtype", "q4_k_m")
    print(json.dumps({"load_s": time.perf_counter() - start, "dtype": dtype}), flush=True)
    events = load_events(count)
    marks = {"last": time.perf_counter(), "stats": None, "wall": 0.0}
    per_event = []

    def on_event(done: int, total: int, stats: object) -> None:
        if stats is not marks["stats"]:  # the first event of a new batch
            now = time.perf_counter()
            marks.update(wall=now - marks["last"], last=now, stats=stats)
        per_event.append((marks["wall"], stats))

    drafts = model.summarize_many([a for _, a in events], max_words=max_words, on_event=on_event)
    for (name, articles), draft, (wall, stats) in zip(events, drafts, per_event, strict=True):
        share = 1 / stats.batch
        row = {
            "event": name,
            "articles": len(articles),
            "batch": stats.batch,
            "seconds": wall * share,
            "generate_s": stats.seconds * share,
            "prompt_s": stats.prompt_seconds * share,
            "decode_rate": stats.decode_tokens_per_second,
            "prompt_tokens": stats.prompt_tokens * share,
            "new_tokens": stats.new_tokens * share,
            "digest": " ".join(draft.sentences),
            "sentences": list(draft.sentences),
            "headline": draft.headline,
        }
        print(json.dumps(row), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux -> GB
    print(json.dumps({"peak_rss_gb": peak}), flush=True)


def run_setting(setting: str, count: int, max_words: int) -> list[dict]:
    """Run one setting in a child process and return its JSON lines ([] if it failed)."""
    command = [sys.executable, __file__, "--worker", setting]
    command += ["--events", str(count), "--max-words", str(max_words)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"{setting}: failed (exit {done.returncode}): {last}", flush=True)
        return []
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def quality(rows: list[dict], events: dict[str, list]) -> tuple[float, float, float, float]:
    """Return mean ROUGE-1/2/L F1 against the references and the guard's dropped share."""
    from rouge_score import rouge_scorer

    from briefing.events.embed import get_embedder
    from briefing.summarize.summary import check_sentences

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    embedder = get_embedder()
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    dropped = written = 0
    for row in rows:
        words = (DATA / row["event"] / "reference.md").read_text().split()[:REFERENCE_WORDS]
        scores = scorer.score(" ".join(words), row["digest"])
        for key in totals:
            totals[key] += scores[key].fmeasure / len(rows)
        _, gone = check_sentences(row["sentences"], events[row["event"]], embedder=embedder)
        dropped, written = dropped + len(gone), written + len(row["sentences"])
    return totals["rouge1"], totals["rouge2"], totals["rougeL"], dropped / max(written, 1)


def cpu_line() -> str:
    """Return the CPU, its flags and the engines ``localmodels.cpu`` chooses for it."""
    import importlib.util

    from briefing.events.embed_onnx import onnx_available
    from briefing.localmodels.cpu import choose_engines, read_cpu

    cpu = read_cpu()
    choice = choose_engines(
        cpu, llama=importlib.util.find_spec("llama_cpp") is not None, onnx=onnx_available()
    )
    return (f"{cpu.describe()}; chosen: backend {choice.backend}, "
            f"embedding {choice.embedding} ({choice.reason})")  # fmt: skip


def main() -> None:
    """Run the settings and print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=8)
    parser.add_argument("--max-words", type=int, default=90)
    parser.add_argument("--settings", default="plain,lookup10,batch4")
    parser.add_argument("--worker", choices=sorted(SETTINGS))
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.events, args.max_words)
        return
    names = args.settings.split(",")
    events = dict(load_events(args.events))
    print(f"{args.events} events, max_words={args.max_words}", flush=True)
    print(f"cpu: {cpu_line()}", flush=True)
    header = (
        f"{'setting':<13}{'load s':>7}{'s/event':>8}{'tok/s':>7}{'prefill':>8}{'decode':>7}"
        f"{'RSS GB':>7}{'vs plain':>9}{'same':>6}{'R-1':>7}{'R-2':>7}{'R-L':>7}{'dropped':>8}"
    )
    print(header)
    print("-" * len(header), flush=True)
    base: list[dict] = []  # the first setting's rows: the speed baseline
    first: dict[str, list[dict]] = {}  # by engine: the rows digests are compared with
    for name in names:  # a row as soon as its setting is done; a failed one says why
        lines = run_setting(name, args.events, args.max_words)
        if not lines:
            continue
        rows = lines[1:-1]
        base = base or rows  # plain, when it comes first: the baseline
        same_as = first.setdefault(SETTINGS[name][0], rows)
        seconds = sum(r["seconds"] for r in rows)
        prompt_s = sum(r["prompt_s"] for r in rows)
        decode = [r["decode_rate"] for r in rows if r["decode_rate"]]
        speedup = sum(r["seconds"] for r in base) / seconds
        same = sum(r["digest"] == b["digest"] for r, b in zip(rows, same_as, strict=True))
        r1, r2, rl, drop = quality(rows, events)
        print(
            f"{name:<13}{lines[0]['load_s']:>7.1f}{seconds / len(rows):>8.1f}"
            f"{sum(r['new_tokens'] for r in rows) / seconds:>7.2f}"
            f"{sum(r['prompt_tokens'] for r in rows) / prompt_s if prompt_s else 0:>8.1f}"
            f"{sum(decode) / len(decode) if decode else 0:>7.2f}{lines[-1]['peak_rss_gb']:>7.2f}"
            f"{speedup:>8.2f}x{same:>4}/{len(rows):<1}"
            f"{r1:>7.3f}{r2:>7.3f}{rl:>7.3f}{drop:>7.1%}",
            flush=True,
        )


if __name__ == "__main__":
    main()
