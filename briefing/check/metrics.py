"""Summary-vs-source metrics: pure functions of token sequences and texts.

Every function here is deterministic and side-effect free; none loads a model.
Token sequences are lower-cased words (``text.words``) unless stated otherwise.
Several sources are joined with a boundary that no n-gram or fragment crosses.

- Extractive fragments, coverage, density and compression follow Grusky, Naaman
  and Artzi (2018), "Newsroom", section 4.1.
- ROUGE-1/2 come from ``rouge-score`` (Porter stemming on, as in the original
  ROUGE-1.5.5); ROUGE-L uses the same tokens with a bit-parallel LCS, which gives
  the same length as rouge-score's table in linear time on long sources.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..text import words

BOUNDARY = "\x00"  # joins several sources' tokens; never equal to a word


@dataclass(frozen=True, slots=True)
class Rouge:
    """Precision, recall and F1 of one ROUGE variant."""

    precision: float
    recall: float
    fmeasure: float


@dataclass(frozen=True, slots=True)
class RougeScores:
    """ROUGE-1, ROUGE-2 and ROUGE-L of a summary against one reference text."""

    rouge1: Rouge
    rouge2: Rouge
    rougeL: Rouge  # noqa: N815 - the metric's usual name


@dataclass(frozen=True, slots=True)
class FragmentStats:
    """Grusky et al. (2018) extractive-fragment statistics of a summary."""

    coverage: float
    density: float
    compression: float


def join_sources(sources: Sequence[Sequence[str]]) -> list[str]:
    """Concatenate token sequences with a ``BOUNDARY`` token between them."""
    joined: list[str] = []
    for n, tokens in enumerate(sources):
        if n:
            joined.append(BOUNDARY)
        joined.extend(tokens)
    return joined


def extractive_fragments(summary: Sequence[str], source: Sequence[str]) -> list[tuple[str, ...]]:
    """Return the greedy extractive fragments F(A, S) of Grusky et al. (2018), Algorithm 1.

    Walking the summary S left to right, the fragment at position i is the longest
    run S[i:i+k] that also appears in the article A (ties: the first found); the
    walk then jumps past it (or one token when none matches). Positions of each
    token in A are indexed first, so a long article costs one pass, not |S|.
    """
    positions: dict[str, list[int]] = defaultdict(list)
    wanted = set(summary)
    for j, token in enumerate(source):
        if token in wanted:
            positions[token].append(j)
    found: list[tuple[str, ...]] = []
    i = 0
    while i < len(summary):
        best = 0
        next_j = 0
        for j in positions.get(summary[i], ()):
            if j < next_j:
                continue  # Algorithm 1 resumes the scan of A after a match
            k = 0
            while i + k < len(summary) and j + k < len(source) and summary[i + k] == source[j + k]:
                k += 1
            best = max(best, k)
            next_j = j + k
        if best:
            found.append(tuple(summary[i : i + best]))
        i += max(best, 1)
    return found


def fragment_stats(summary: Sequence[str], source: Sequence[str]) -> FragmentStats:
    """Return coverage, density and compression of a summary S against its article A.

    coverage(A, S) = (1/|S|) Σ_{f ∈ F(A,S)} |f|      (share of summary words in fragments)
    density(A, S)  = (1/|S|) Σ_{f ∈ F(A,S)} |f|²     (average squared fragment length)
    compression(A, S) = |A| / |S|                    (in words; boundary tokens not counted)
    An empty summary scores 0 on all three.
    """
    if not summary:
        return FragmentStats(0.0, 0.0, 0.0)
    frags = extractive_fragments(summary, source)
    n = len(summary)
    source_words = sum(1 for t in source if t != BOUNDARY)
    return FragmentStats(
        coverage=sum(len(f) for f in frags) / n,
        density=sum(len(f) ** 2 for f in frags) / n,
        compression=source_words / n,
    )


def ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    """Return the n-grams of a token sequence, none spanning a ``BOUNDARY``."""
    grams = (tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return [g for g in grams if BOUNDARY not in g]


def novel_ngram_ratio(summary: Sequence[str], source: Sequence[str], n: int) -> float:
    """Return the share of the summary's distinct n-grams that appear nowhere in the source.

    novel_n = |G_n(S) \\ G_n(A)| / |G_n(S)|, with G_n the set of n-grams;
    0.0 when the summary has no n-gram of that size.
    """
    grams = set(ngrams(summary, n))
    if not grams:
        return 0.0
    vocab = {t for g in grams for t in g}
    seen: set[tuple[str, ...]] = set()
    for i in range(len(source) - n + 1):
        if source[i] in vocab:
            gram = tuple(source[i : i + n])
            if gram in grams:
                seen.add(gram)
    return len(grams - seen) / len(grams)


def novel_ngram_ratios(
    summary: Sequence[str], source: Sequence[str], ns: Sequence[int] = (1, 2, 3, 4)
) -> tuple[float, ...]:
    """Return ``novel_ngram_ratio`` for each n in ``ns``."""
    return tuple(novel_ngram_ratio(summary, source, n) for n in ns)


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Return the length of the longest common subsequence of two token sequences.

    Bit-parallel (Hyyrö 2004): with M[c] the bit set of positions of c in the
    shorter sequence a, for each token of b: U = V & M[c]; V = (V + U) | (V - U);
    LCS = |a| - popcount(V). O(|b|) big-integer steps.
    """
    if len(a) > len(b):
        a, b = b, a
    if not a:
        return 0
    masks: dict[str, int] = defaultdict(int)
    for i, token in enumerate(a):
        masks[token] |= 1 << i
    full = (1 << len(a)) - 1
    v = full
    for token in b:
        m = masks.get(token)
        if m:
            u = v & m
            v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def _prf(overlap: float, predicted: int, target: int) -> Rouge:
    """Return precision = overlap/predicted, recall = overlap/target and their F1."""
    p = overlap / predicted if predicted else 0.0
    r = overlap / target if target else 0.0
    return Rouge(p, r, 2 * p * r / (p + r) if p + r else 0.0)


class _CachedStemmer:
    """The Porter stemmer of rouge-score with a cache (a long source repeats words)."""

    def __init__(self) -> None:
        from nltk.stem import porter

        self.stem = functools.lru_cache(maxsize=200_000)(porter.PorterStemmer().stem)


@functools.cache
def _rouge_scorer():  # type: ignore[no-untyped-def]
    from rouge_score import rouge_scorer, tokenize, tokenizers

    class CachedTokenizer(tokenizers.Tokenizer):  # type: ignore[misc]
        stemmer = _CachedStemmer()

        def tokenize(self, text: str) -> list[str]:
            return list(tokenize.tokenize(text, self.stemmer))

    tokenizer = CachedTokenizer()
    return rouge_scorer.RougeScorer(["rouge1", "rouge2"], tokenizer=tokenizer), tokenizer


def rouge_tokens(text: str) -> list[str]:
    """Tokenize as rouge-score does with stemming: lower-case, alphanumeric, Porter stems."""
    return _rouge_scorer()[1].tokenize(text)


def rouge(summary: str, reference: str) -> RougeScores:
    """Return ROUGE-1/2/L of a summary against a reference (precision, recall, F1).

    ROUGE-N: P = |n-grams(S) ∩ n-grams(R)| / |n-grams(S)| (multiset), R = same / |n-grams(R)|.
    ROUGE-L: P = LCS(S, R) / |S|, R = LCS(S, R) / |R|; F1 = 2PR / (P + R).
    Tokens: rouge-score's tokenizer with Porter stemming.
    """
    scorer, _ = _rouge_scorer()
    scores = scorer.score(reference, summary)
    s, r = rouge_tokens(summary), rouge_tokens(reference)
    return RougeScores(
        rouge1=Rouge(*(float(x) for x in scores["rouge1"])),
        rouge2=Rouge(*(float(x) for x in scores["rouge2"])),
        rougeL=_prf(lcs_length(s, r), len(s), len(r)),
    )


def summary_tokens(text: str) -> list[str]:
    """Return the lower-cased word tokens used by the fragment and n-gram metrics."""
    return words(text)
