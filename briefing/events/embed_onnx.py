"""The sentence embedder's engine on ONNX Runtime: the same MiniLM weights, exported once.

The packaged torch weights are exported to an ONNX graph on first use (about 3 s, with
the ``onnx`` package) into the cache folder, named by the weights' sha256, and ONNX
Runtime runs it. On a 2-core CPU this embeds about 1.5x as many articles per second
as torch (measured side by side, ``bench/bench_embed_speed.py``), with the same
tokenizer, truncation (the model's ``max_seq_length`` or a call's ``max_tokens``), mean
pooling and L2 normalisation as sentence-transformers. The vectors agree with torch's to about 2e-7,
below what the 6-decimal rounding of similarities (``embed.DECIMALS``) and the
stability tests' 1e-6 nudges tolerate, so the embedding cache and every grouping
decision are the same whichever engine made a vector. Without ``onnxruntime`` and
``onnx`` the embedder stays on torch.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17


def onnx_available() -> bool:
    """Say whether ONNX Runtime and the ONNX exporter's package are installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "onnx"))


def weights_digest(model_dir: Path) -> str | None:
    """Return 16 hex digits of the sha256 of the model's safetensors file (None: no such file)."""
    path = model_dir / "model.safetensors"
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def export_onnx(model: Any, dest: Path) -> Path:
    """Export a sentence-transformers model's transformer to ``dest`` (written atomically)."""
    import torch
    from filelock import FileLock

    dest.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(dest) + ".lock"):
        if dest.exists():
            return dest
        bert = model[0].auto_model.eval()

        class _Hidden(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.bert = bert

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                return self.bert(
                    input_ids=input_ids,
                    attention_mask=attention_mask,
                    token_type_ids=token_type_ids,
                ).last_hidden_state

        # a padded sample batch: tracing follows the branch that applies the attention mask
        sample = model.tokenizer(["a b", "a b c d"], padding=True, return_tensors="pt")
        axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "hidden")}
        tmp = dest.with_name(dest.name + f".{os.getpid()}.tmp")
        with torch.no_grad():
            torch.onnx.export(_Hidden(), tuple(sample[n] for n in INPUTS), str(tmp),
                              input_names=list(INPUTS), output_names=["hidden"],
                              dynamic_axes=axes, opset_version=OPSET, dynamo=False)  # fmt: skip
        tmp.replace(dest)
    return dest


class OnnxEncoder:
    """Encode texts like ``SentenceTransformer.encode`` (mean pooling, normalised) on ORT."""

    def __init__(self, model: Any, path: Path, *, threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or len(os.sched_getaffinity(0))
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = model.tokenizer
        self._max_tokens = model.max_seq_length
        self._dimensions = int(self._session.get_outputs()[0].shape[-1])

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, max_tokens: int | None = None
    ) -> np.ndarray:
        """Return one L2-normalised float32 vector per text, texts of as many tokens batched.

        Each text is cut at ``max_tokens`` word pieces (default: the model's). Every text
        is tokenized first and the batches are made of texts of nearly the same number of
        tokens, so that little is padded: the work is the padded tokens.
        """
        tokens = self._tokenizer(list(texts), truncation=True,
                                 max_length=max_tokens or self._max_tokens)  # fmt: skip
        ids = tokens["input_ids"]
        order = np.argsort([-len(x) for x in ids], kind="stable")
        out = np.zeros((len(texts), self._dimensions), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            batch = self._tokenizer.pad({name: [tokens[name][i] for i in rows] for name in INPUTS},
                                        padding=True, return_tensors="np")  # fmt: skip
            feed = {name: np.asarray(batch[name], dtype=np.int64) for name in INPUTS}
            hidden = self._session.run(None, feed)[0]
            mask = feed["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[rows] = pooled / norms
        return out
