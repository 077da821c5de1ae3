"""Time cold sentence embedding of the dev articles with each engine, side by side.

Embeds the title + lead (``embedding_text``) of every wikinews-dev and ecbplus-dev
article (no store, so every vector is computed), alternating the engines ``--rounds``
times in one process so that a busy machine slows both alike, and prints the CPU,
the engines ``localmodels.cpu`` would choose, articles per second per round, and the
largest difference of the ONNX vectors from torch's. Usage:

    .venv/bin/python -m bench.bench_embed_speed [--limit 200] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def load_texts(limit: int | None) -> list[str]:
    """Return the embedded text of each dev article (wikinews-dev, then ecbplus-dev)."""
    from briefing.events.embed import embedding_text
    from briefing.records import Article

    paths = sorted(DATA.glob("wikinews-dev/*/articles/*.json"))
    paths += sorted(DATA.glob("ecbplus-dev/corpus/*.json"))
    texts = []
    for path in paths[:limit]:
        raw = json.loads(path.read_text())
        title, text = raw.get("title", ""), raw["text"]
        article = Article(id=path.stem, title=title, text=text, path=str(path))
        texts.append(embedding_text(article))
    return texts


def main() -> None:
    """Time each engine and print the comparison."""
    from briefing.events.embed import Embedder
    from briefing.events.embed_onnx import onnx_available
    from briefing.localmodels.cpu import choose_engines, read_cpu

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="articles (default: all)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    cpu = read_cpu()
    print("cpu:", cpu.describe())
    print("chosen:", choose_engines(cpu, llama=True, onnx=onnx_available()))
    texts = load_texts(args.limit)
    engines = {"torch": Embedder(engine="torch")}
    if onnx_available():
        engines["onnx"] = Embedder(engine="onnx")
    for embedder in engines.values():
        embedder.encode(texts[:8])  # warm-up: first-call allocations
    print(f"{len(texts)} articles, cold (no cache)")
    for round_ in range(1, args.rounds + 1):
        rates, vectors = {}, {}
        for name, embedder in engines.items():
            start = time.perf_counter()
            vectors[name] = embedder.encode(texts)
            rates[name] = len(texts) / (time.perf_counter() - start)
        line = "  ".join(f"{name} {rate:.1f} art/s" for name, rate in rates.items())
        if "onnx" in rates:
            diff = float(np.abs(vectors["onnx"] - vectors["torch"]).max())
            line += f"  onnx/torch x{rates['onnx'] / rates['torch']:.2f}  max|diff| {diff:.1e}"
        print(f"round {round_}: {line}", flush=True)


if __name__ == "__main__":
    main()
