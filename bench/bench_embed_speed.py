"""Time cold sentence embedding of the dev articles in each setting, side by side.

Embeds the title + lead (``embedding_text``) of every wikinews-dev and ecbplus-dev
article (no store, so every vector is computed), alternating the settings ``--rounds``
times in one process so that a busy machine slows all alike, and prints the CPU, the
engines ``localmodels.cpu`` would choose, articles per second per round and setting,
each setting's rate over the first's, and the largest difference and the least cosine
of each setting's vectors from the default's (what ``embed_articles`` computes: ONNX
Runtime at the model's 256 word pieces). The settings: torch and ONNX Runtime at 256
word pieces (the default); ONNX Runtime at ``--tokens`` (128: tried, not used, see
bench/RESULTS.md); with ``--int8``, ONNX Runtime's dynamic int8 quantization of the
same graph at ``--tokens`` (tried, not used). Usage:

    .venv/bin/python -m bench.bench_embed_speed [--limit 200] [--rounds 2] [--tokens 128]
                                                [--int8]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from functools import partial
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


def _int8(embedder: object, folder: Path) -> object:
    """Return an encoder on onnxruntime's dynamic int8 quantization of the embedder's graph."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from briefing.events.embed_onnx import OnnxEncoder

    source = Path(embedder.onnx_path)  # type: ignore[attr-defined]
    dest = folder / (source.stem + "-int8.onnx")
    if not dest.exists():
        quantize_dynamic(str(source), str(dest), weight_type=QuantType.QInt8)
    return OnnxEncoder(embedder._model, dest)  # type: ignore[attr-defined]


def main() -> None:
    """Time each setting and print the comparison."""
    import tempfile

    from briefing.events.embed import Embedder
    from briefing.events.embed_onnx import onnx_available
    from briefing.localmodels.cpu import choose_engines, read_cpu

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="articles (default: all)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=128, help="the shorter cut to time")
    parser.add_argument("--int8", action="store_true", help="also time dynamic int8 (ONNX)")
    args = parser.parse_args()
    cpu = read_cpu()
    print("cpu:", cpu.describe())
    print("chosen:", choose_engines(cpu, llama=True, onnx=onnx_available()))
    texts = load_texts(args.limit)
    torch = Embedder(engine="torch")
    settings: dict[str, Callable[[list[str]], np.ndarray]] = {
        "torch 256": torch.encode
    }
    if onnx_available():
        onnx = Embedder(engine="onnx")
        settings["onnx 256"] = onnx.encode
        settings[f"onnx {args.tokens}"] = partial(onnx.encode, max_tokens=args.tokens)
        if args.int8:
            int8 = _int8(onnx, Path(tempfile.mkdtemp()))
            settings[f"onnx int8 {args.tokens}"] = partial(int8.encode, max_tokens=args.tokens)
    else:
        settings[f"torch {args.tokens}"] = partial(torch.encode, max_tokens=args.tokens)
    default = "onnx 256" if onnx_available() else "torch 256"
    for encode in settings.values():
        encode(texts[:8])  # warm-up: first-call allocations
    print(f"{len(texts)} articles, cold (no cache); vectors compared with {default!r}")
    first = list(settings)[0]
    for round_ in range(1, args.rounds + 1):
        rates, vectors = {}, {}
        for name, encode in settings.items():
            start = time.perf_counter()
            vectors[name] = encode(texts)
            rates[name] = len(texts) / (time.perf_counter() - start)
        print(f"round {round_}:", flush=True)
        for name, rate in rates.items():
            cosine = np.einsum("nd,nd->n", vectors[name].astype(np.float64),
                               vectors[default].astype(np.float64))  # fmt: skip
            diff = float(np.abs(vectors[name] - vectors[default]).max())
            print(f"  {name:14} {rate:6.1f} art/s  x{rate / rates[first]:.2f} vs {first}  "
                  f"max|diff| {diff:.1e}  least cosine {cosine.min():.3f}", flush=True)


if __name__ == "__main__":
    main()
