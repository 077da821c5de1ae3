"""The similarity of a pair of articles depends on those two articles, not on the corpus."""

from __future__ import annotations

import random

import numpy as np
import pytest

from briefing.events.background import idf
from briefing.events.similarity import MAX_GAP_DAYS, block_similarity, features
from tests.conftest import make_article

PAIR = (
    ("Earthquake strikes Aceh", "A magnitude 6.1 earthquake struck Aceh province in Indonesia "
     "on Tuesday, killing 12 people and damaging hundreds of houses, officials said."),
    ("Deadly quake hits Indonesia's Aceh", "Twelve people died when a strong earthquake of "
     "magnitude 6.1 hit Aceh in Indonesia on Tuesday; rescuers searched damaged houses."),
)


def _filler(n: int, seed: int = 0) -> list:
    """Articles that reuse the pair's words, so a corpus-fitted weight would move."""
    rng = random.Random(seed)
    words = " ".join(t for pair in PAIR for t in pair).split()
    extra = "police market council school election river storm price team".split()
    return [
        make_article(" ".join(rng.choice(words + extra) for _ in range(60)),
                     title=f"Filler {i} {rng.choice(extra)}")
        for i in range(n)
    ]


def _pair_similarity(size: int) -> float:
    pair = [make_article(text, title=title) for title, text in PAIR]
    articles = [*pair, *_filler(size - 2)]
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((len(articles), 8))
    vectors[1] = vectors[0] + 0.3 * rng.standard_normal(8)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    f = features(articles, vectors)
    return float(block_similarity(f, np.array([0]), np.array([1]), max_gap_days=MAX_GAP_DAYS)[0, 0])


def test_pair_similarity_does_not_move_with_the_corpus():
    alone, crowded = _pair_similarity(2), _pair_similarity(2000)
    assert alone > 0.2
    assert abs(alone - crowded) <= 0.02


@pytest.mark.parametrize(
    "rare, common", [("aceh", "earthquake"), ("earthquake", "the"), ("volodymyr zelenskyy", "kyiv")]
)
def test_rarer_words_weigh_more(rare, common):
    assert idf(rare) > idf(common) > 0
