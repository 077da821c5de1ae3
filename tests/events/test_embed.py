"""``Embedder.encode`` reads ``max_tokens`` word pieces of each text, alike on both engines."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from briefing.events.embed import DECIMALS, Embedder
from briefing.events.embed_onnx import onnx_available

LEAD = "Fire destroys Waitrose in Banstead\n" + "Crews fought the blaze overnight. " * 25
LATE = [LEAD + "It was in Surrey.", LEAD + "The mayor of a distant town quit."]  # ~160 pieces
ENGINES = ["torch", pytest.param("onnx", marks=pytest.mark.skipif(
    not onnx_available(), reason="onnxruntime/onnx not installed"))]


@pytest.mark.parametrize("engine", ENGINES)
def test_only_the_first_max_tokens_word_pieces_count(engine: str, tmp_path: Path) -> None:
    """Texts that differ only after 128 word pieces get one vector when cut at 128, two
    at the model's 256; the cut is undone after the call."""
    embedder = Embedder(engine=engine, cache_dir=tmp_path)
    short = embedder.encode(LATE, max_tokens=128)
    assert np.abs(short[0] - short[1]).max() < 10.0**-DECIMALS
    full = embedder.encode(LATE)
    assert np.abs(full[0] - full[1]).max() > 1e-2


def test_both_engines_cut_alike(tmp_path: Path) -> None:
    if not onnx_available():
        pytest.skip("onnxruntime/onnx not installed")
    a = Embedder(engine="onnx", cache_dir=tmp_path).encode(LATE, max_tokens=128, batch_size=1)
    b = Embedder(engine="torch", cache_dir=tmp_path).encode(LATE, max_tokens=128)
    assert np.abs(a - b).max() < 10.0**-DECIMALS


def test_articles_are_embedded_at_the_cut_and_stored_under_it(tmp_path: Path) -> None:
    """An article's vector is its title and lead cut at ARTICLE_TOKENS; the store keys it by
    that length, so a vector stored at another length is never reused."""
    from briefing.events.embed import (
        ARTICLE_TOKENS,
        MODEL_NAME,
        VECTOR_KEY,
        embed_articles,
        embedding_text,
    )
    from briefing.store import Store, open_database
    from tests.conftest import make_article

    embedder = Embedder(cache_dir=tmp_path)
    articles = [make_article(text[len("Fire destroys Waitrose in Banstead\n"):],
                             title="Fire destroys Waitrose in Banstead") for text in LATE]
    store = Store(open_database(tmp_path / "b.db"))
    stale = np.zeros((2, 384), dtype=np.float32)
    keys = [hashlib.blake2b(embedding_text(a).encode(), digest_size=12).hexdigest()
            for a in articles]
    store.save_embeddings(dict(zip(keys, stale, strict=True)), MODEL_NAME)  # the old key

    vectors = embed_articles(articles, embedder=embedder, store=store)

    cut = embedder.encode([embedding_text(a) for a in articles], max_tokens=ARTICLE_TOKENS)
    assert np.abs(vectors - cut).max() < 10.0**-DECIMALS  # not the stale zeros
    assert np.abs(vectors[0] - vectors[1]).max() < 10.0**-DECIMALS  # they differ after 128
    assert set(store.get_embeddings(keys, VECTOR_KEY)) == set(keys)
