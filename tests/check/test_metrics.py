"""Tests for check.metrics: fragments, novel n-grams, LCS and ROUGE on hand-worked inputs."""

from __future__ import annotations

import random

import pytest
from rouge_score import rouge_scorer

from briefing.check.metrics import (
    BOUNDARY,
    extractive_fragments,
    fragment_stats,
    join_sources,
    lcs_length,
    ngrams,
    novel_ngram_ratio,
    novel_ngram_ratios,
    rouge,
    summary_tokens,
)


def test_fragments_of_a_hand_worked_example():
    article = "a cat sat on a mat the cat".split()
    summary = "the cat sat on the mat".split()

    frags = extractive_fragments(summary, article)

    assert frags == [("the", "cat"), ("sat", "on"), ("the",), ("mat",)]
    stats = fragment_stats(summary, article)
    assert stats.coverage == 1.0
    assert stats.density == pytest.approx((4 + 4 + 1 + 1) / 6)
    assert stats.compression == pytest.approx(8 / 6)


def test_fragment_is_the_longest_match_later_in_the_article():
    # the first "x y" stops short; Algorithm 1 resumes after it and finds "x y z"
    assert extractive_fragments("x y z".split(), "x y x y z".split()) == [("x", "y", "z")]


def test_words_in_no_source_are_not_fragments():
    summary = "storm hit maine today".split()
    stats = fragment_stats(summary, "a storm hit the coast of maine".split())
    assert extractive_fragments(summary, "a storm hit the coast of maine".split()) == [
        ("storm", "hit"),
        ("maine",),
    ]
    assert stats.coverage == 0.75 and stats.density == pytest.approx(5 / 4)


def test_a_verbatim_summary_has_full_coverage_and_density_its_length():
    tokens = summary_tokens("Thousands of homes lost power overnight.")
    stats = fragment_stats(tokens, tokens)
    assert (stats.coverage, stats.density, stats.compression) == (1.0, 6.0, 1.0)


def test_empty_summary_scores_zero():
    assert fragment_stats([], ["a"]) == fragment_stats([], [])
    assert fragment_stats([], []).coverage == 0.0
    assert novel_ngram_ratio([], ["a"], 1) == 0.0


def test_fragments_never_cross_a_source_boundary():
    joined = join_sources([["storm", "hit"], ["maine"]])
    assert joined == ["storm", "hit", BOUNDARY, "maine"]
    assert extractive_fragments(["hit", "maine"], joined) == [("hit",), ("maine",)]
    assert fragment_stats(["hit"], joined).compression == 3.0  # the boundary is no word


@pytest.mark.parametrize(("n", "ratio"), [(1, 1 / 3), (2, 1 / 2), (3, 1.0), (4, 0.0)])
def test_novel_ngram_ratio(n, ratio):
    assert novel_ngram_ratio("a b c".split(), "a b d".split(), n) == pytest.approx(ratio)


def test_novel_ngrams_counts_distinct_ngrams_and_respects_boundaries():
    assert novel_ngram_ratio("a a a".split(), ["a"], 1) == 0.0
    joined = join_sources([["a", "b"], ["c"]])
    assert ngrams(joined, 2) == [("a", "b")]
    assert novel_ngram_ratios(["b", "c"], joined) == (0.0, 1.0, 0.0, 0.0)


def _reference_lcs(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            longest = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
            table[i + 1][j + 1] = longest
    return table[-1][-1]


def test_bit_parallel_lcs_matches_the_table():
    rng = random.Random(4)
    for _ in range(200):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 12))]
        b = [rng.choice("abcdef") for _ in range(rng.randint(0, 40))]
        assert lcs_length(a, b) == _reference_lcs(a, b) == lcs_length(b, a)


@pytest.mark.parametrize(
    ("summary", "reference"),
    [
        ("The storm hit the coast.", "A storm was hitting the coast of Maine on Tuesday."),
        ("Thousands of homes lost power.", "Thousands of homes lost power overnight."),
        ("Running dogs chased cats!", "The dog runs; the cats were chased by dogs."),
        ("Nothing shared here", "Completely different words"),
        ("", "Some reference"),
    ],
)
def test_rouge_equals_rouge_score_with_stemming(summary, reference):
    expected = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True).score(
        reference, summary
    )
    got = rouge(summary, reference)
    for name, ours in (("rouge1", got.rouge1), ("rouge2", got.rouge2), ("rougeL", got.rougeL)):
        want = expected[name]
        assert ours.precision == pytest.approx(want.precision)
        assert ours.recall == pytest.approx(want.recall)
        assert ours.fmeasure == pytest.approx(want.fmeasure)


def test_rouge_of_a_hand_worked_example():
    scores = rouge("the cat sat", "the cat sat on the mat")
    assert (scores.rouge1.precision, scores.rouge1.recall) == (1.0, 0.5)
    assert scores.rouge2.precision == 1.0 and scores.rouge2.recall == pytest.approx(2 / 5)
    assert scores.rougeL.fmeasure == pytest.approx(2 * 1.0 * 0.5 / 1.5)
