"""The ONNX Runtime engine of the embedder gives torch's vectors (to far below DECIMALS)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from briefing.errors import ModelError
from briefing.events.embed import DECIMALS, Embedder
from briefing.events.embed_onnx import onnx_available

TEXTS = [
    "Ukraine's president visits Washington\nVolodymyr Zelenskyy met the US president on "
    "Wednesday and spoke to Congress about air defence.",
    "Earthquake strikes off Japan\nA magnitude 6.1 earthquake struck off the coast; no tsunami "
    "warning was issued.",
    "Short",
    "word " * 400,  # past the model's 256 tokens: truncated the same way by both engines
]

needs_onnx = pytest.mark.skipif(not onnx_available(), reason="onnxruntime/onnx not installed")


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ModelError, match="unknown embedding engine 'tpu'"):
        Embedder(engine="tpu")


def test_the_torch_engine_is_kept_when_asked_for(tmp_path: Path) -> None:
    embedder = Embedder(engine="torch", cache_dir=tmp_path)
    assert embedder.engine == "torch"
    assert not (tmp_path / "onnx").exists()


@needs_onnx
def test_onnx_vectors_equal_torch_vectors(tmp_path: Path) -> None:
    onnx = Embedder(engine="onnx", cache_dir=tmp_path)
    torch = Embedder(engine="torch", cache_dir=tmp_path)
    assert (onnx.engine, torch.engine) == ("onnx", "torch")
    a, b = onnx.encode(TEXTS, batch_size=3), torch.encode(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 384)
    assert np.abs(a - b).max() < 10.0**-DECIMALS
    sims_a = np.round(a.astype(np.float64) @ a.T.astype(np.float64), 4)
    sims_b = np.round(b.astype(np.float64) @ b.T.astype(np.float64), 4)
    assert (sims_a == sims_b).all()


@needs_onnx
def test_the_exported_graph_is_reused(tmp_path: Path) -> None:
    Embedder(engine="onnx", cache_dir=tmp_path)
    (graph,) = (tmp_path / "onnx").glob("*.onnx")
    made = graph.stat().st_mtime_ns
    assert Embedder(engine="auto", cache_dir=tmp_path).engine == "onnx"
    assert graph.stat().st_mtime_ns == made


@needs_onnx
def test_auto_falls_back_to_torch_where_the_cache_cannot_be_written(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert Embedder(engine="auto", cache_dir=blocked).engine == "torch"
    with pytest.raises(ModelError, match="cannot prepare the ONNX embedder"):
        Embedder(engine="onnx", cache_dir=blocked)
