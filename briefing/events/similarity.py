"""The combined similarity of articles, for the whole corpus or one block of it.

Two articles are about the same event when they are close in meaning (sentence
embeddings of title and lead), share the specific words of the story's opening
(title and first ``LEAD_WORDS`` words: what happened, where, who) and of the whole
text, and, when both are dated, were published within ``max_gap_days`` of each
other, or, further apart (up to ``FAR_GAP_DAYS``, a follow-up: a charge, a trial),
close in meaning (cosine at least ``FAR_COSINE``) and then weighted down
(``FAR_WEIGHT``), so that a story weeks later needs a stronger likeness. The word
weights are not fitted on the corpus: they come from a fixed background sample of
English (:mod:`briefing.events.background`), so the similarity of a pair depends
on those two articles only, not on what else is in the corpus, and the threshold
means the same on any corpus. It is the same whether it is computed in the full
matrix, in any block of rows and columns (:func:`block_similarity`) or pair by
pair (:func:`pair_similarity`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..records import Article
from .background import weighted_rows
from .embed import DECIMALS

# Weights of the three similarities (divided by their sum), the embedding floor and
# the lead's length: chosen on half A of the dev sets (bench/tune_grouping.py),
# figures in docs/stages.md.
WEIGHT_EMBEDDING = 0.15
WEIGHT_LEAD = 0.50
WEIGHT_WORDS = 0.40
EMBEDDING_FLOOR = 0.65  # cosines below this count as unrelated; above, rescaled to [0, 1]
LEAD_WORDS = 80  # the lead: the title and this many words of the text
MAX_GAP_DAYS = 10  # dated articles at most this far apart: the full similarity
FAR_GAP_DAYS = 120  # further apart than MAX_GAP_DAYS, up to this: FAR_WEIGHT x it ...
FAR_WEIGHT = 0.8
FAR_COSINE = 0.6  # ... when their embeddings are this close; else, and further, 0
UNDATED = -(10**9)  # the day number of an undated article (far from any date, no overflow)
_TOTAL = WEIGHT_EMBEDDING + WEIGHT_LEAD + WEIGHT_WORDS


@dataclass(frozen=True, slots=True)
class Features:
    """What the similarity of any two articles of a corpus is computed from."""

    vectors: np.ndarray  # n x d float32, L2-normalised embeddings
    lead: sparse.csr_matrix  # n x words of title and lead, L2-normalised weighted rows
    words: sparse.csr_matrix  # n x words of title and text, L2-normalised weighted rows
    ordinals: np.ndarray  # n int64 day numbers, UNDATED for undated articles

    def __len__(self) -> int:
        return len(self.ordinals)


def features(articles: Sequence[Article], vectors: np.ndarray) -> Features:
    """Gather what the similarities of ``articles`` need (weights independent of the corpus)."""
    texts = [f"{a.title}\n{a.text}" for a in articles]
    leads = [f"{a.title}\n{' '.join(a.text.split()[:LEAD_WORDS])}" for a in articles]
    ordinals = [a.date.toordinal() if a.date else UNDATED for a in articles]
    return Features(
        vectors=np.asarray(vectors, dtype=np.float32),
        lead=weighted_rows(leads, stop_words="english"),
        words=weighted_rows(texts, stop_words="english"),
        ordinals=np.asarray(ordinals, dtype=np.int64),
    )


def block_similarity(
    f: Features,
    rows: np.ndarray,
    cols: np.ndarray,
    *,
    max_gap_days: int,
    far_gap_days: int = FAR_GAP_DAYS,
) -> np.ndarray:
    """Return the combined similarity of articles ``rows`` x ``cols`` (in [0, 1]).

    Dated pairs more than ``max_gap_days`` apart get ``FAR_WEIGHT`` x it when they are
    at most ``far_gap_days`` apart and their cosine reaches ``FAR_COSINE``, else 0. The
    diagonal is not set to 1 here: :func:`similarity_matrix` does that for a square matrix.
    """
    cosine = f.vectors[rows].astype(np.float64) @ f.vectors[cols].astype(np.float64).T
    lead = (f.lead[rows] @ f.lead[cols].T).toarray()
    word_sim = (f.words[rows] @ f.words[cols].T).toarray()
    ri, ci = f.ordinals[rows][:, None], f.ordinals[cols][None, :]
    return _combine(cosine, lead, word_sim, ri, ci, max_gap_days, far_gap_days)


def pair_similarity(
    f: Features,
    i: np.ndarray,
    j: np.ndarray,
    *,
    max_gap_days: int,
    far_gap_days: int = FAR_GAP_DAYS,
) -> np.ndarray:
    """Return the combined similarity of the pairs ``(i[n], j[n])``, as :func:`block_similarity`."""
    if len(i) == 0:
        return np.zeros(0)
    cosine = np.einsum(
        "nd,nd->n", f.vectors[i].astype(np.float64), f.vectors[j].astype(np.float64)
    )
    lead = np.asarray(f.lead[i].multiply(f.lead[j]).sum(axis=1)).ravel()
    word_sim = np.asarray(f.words[i].multiply(f.words[j]).sum(axis=1)).ravel()
    ri, ci = f.ordinals[i], f.ordinals[j]
    return _combine(cosine, lead, word_sim, ri, ci, max_gap_days, far_gap_days)


def _combine(
    cosine: np.ndarray,
    lead: np.ndarray,
    word_sim: np.ndarray,
    ri: np.ndarray,
    ci: np.ndarray,
    max_gap_days: int,
    far_gap_days: int,
) -> np.ndarray:
    """Weigh the three similarities together and apply the date gap (arrays broadcast)."""
    embedding = np.clip((cosine - EMBEDDING_FLOOR) / (1 - EMBEDDING_FLOOR), 0.0, 1.0)
    sim = (WEIGHT_EMBEDDING * embedding + WEIGHT_LEAD * lead + WEIGHT_WORDS * word_sim) / _TOTAL
    gap = np.abs(ri - ci)
    far = np.broadcast_to((ri != UNDATED) & (ci != UNDATED) & (gap > max_gap_days), sim.shape)
    if far.any():
        if far_gap_days > max_gap_days:
            kept = np.broadcast_to((gap <= far_gap_days) & (cosine >= FAR_COSINE), sim.shape)
            sim[far & kept] *= FAR_WEIGHT
            sim[far & ~kept] = 0.0
        else:
            sim[far] = 0.0
    return np.clip(sim, 0.0, 1.0).round(DECIMALS)


def similarity_matrix(
    articles: Sequence[Article], vectors: np.ndarray, *, max_gap_days: int = MAX_GAP_DAYS
) -> np.ndarray:
    """Return the combined pairwise similarity of articles (1 on the diagonal)."""
    everything = np.arange(len(articles))
    sim = block_similarity(
        features(articles, vectors), everything, everything, max_gap_days=max_gap_days
    )
    return symmetric(sim)


def symmetric(sim: np.ndarray) -> np.ndarray:
    """Return a square similarity block made exactly symmetric, with 1 on the diagonal.

    A matrix product may give (i, j) and (j, i) in different last bits; the upper
    triangle stands for both, so the two articles of a pair always tie in centrality.
    """
    upper = np.triu(sim, 1)
    sim = upper + upper.T
    np.fill_diagonal(sim, 1.0)
    return sim
