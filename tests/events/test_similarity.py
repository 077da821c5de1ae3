"""The similarity of a pair of articles depends on those two articles, not on the corpus."""

from __future__ import annotations

import random

import numpy as np
import pytest

from briefing.events.background import idf
from briefing.events.similarity import (
    FAR_COSINE,
    FAR_GAP_DAYS,
    FAR_WEIGHT,
    MAX_GAP_DAYS,
    block_similarity,
    features,
    pair_similarity,
)
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


def _dated_pair(days_apart: int, cosine: float) -> float:
    """Return the similarity of PAIR dated ``days_apart`` apart, with embeddings at ``cosine``."""
    import datetime as dt

    day = dt.date(2024, 5, 1)
    pair = [
        make_article(text, title=title, date=day + dt.timedelta(days=n * days_apart))
        for n, (title, text) in enumerate(PAIR)
    ]
    vectors = np.array([[1.0, 0.0], [cosine, np.sqrt(1 - cosine**2)]])
    f = features(pair, vectors)
    block = block_similarity(f, np.array([0]), np.array([1]), max_gap_days=MAX_GAP_DAYS)[0, 0]
    alone = pair_similarity(f, np.array([0]), np.array([1]), max_gap_days=MAX_GAP_DAYS)[0]
    assert alone == pytest.approx(block, abs=1e-6)  # pair by pair as in a block
    return float(block)


@pytest.mark.parametrize("cosine", [FAR_COSINE + 0.05, 0.95])
def test_a_later_report_counts_weighted_down_when_close_in_meaning(cosine):
    near = _dated_pair(MAX_GAP_DAYS, cosine)
    assert near > 0.2
    for days in (MAX_GAP_DAYS + 1, FAR_GAP_DAYS):
        assert _dated_pair(days, cosine) == pytest.approx(FAR_WEIGHT * near, abs=1e-6)
    assert _dated_pair(FAR_GAP_DAYS + 1, cosine) == 0.0


def test_a_later_report_far_in_meaning_does_not_count():
    assert _dated_pair(MAX_GAP_DAYS, FAR_COSINE - 0.05) > 0.2
    assert _dated_pair(MAX_GAP_DAYS + 1, FAR_COSINE - 0.05) == 0.0
