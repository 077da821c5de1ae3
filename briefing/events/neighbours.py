"""Candidate pairs for grouping: each article's nearest neighbours, never all pairs.

Articles are sorted by date and taken in chunks; a chunk is compared only with
the articles that can pair with it: those dated within ``max_gap_days`` of some
article of the chunk, and the undated ones (an undated article is compared with
every article). For each article the ``k`` most similar others (combined
similarity, :func:`briefing.similarity.block_similarity`) are kept, and always
every pair at or above the grouping threshold unless more than ``k`` are. Memory
is one chunk x window block at a time; time is the corpus size times the number
of articles in a date window, so it grows linearly when the corpus spans more
days, and quadratically only within a window (exact numpy, no approximate index).

Dated articles further apart than ``max_gap_days`` and up to ``far_gap_days`` count
only when their embeddings are close (``similarity.FAR_COSINE``): for them a chunk
computes the embedding cosines alone (one dense product), and each article brings
the ``FAR_NEIGHBOURS`` earlier ones closest in embedding that pass, with their full
similarity (a later one brings the pair from its side).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .similarity import (
    FAR_COSINE,
    FAR_GAP_DAYS,
    UNDATED,
    Features,
    block_similarity,
    pair_similarity,
)

NEIGHBOURS = 50  # candidate partners kept per article
FAR_NEIGHBOURS = 10  # partners further back than the date gap, closest in embedding
CHUNK = 256  # articles compared with their window at once


def _windows(
    f: Features, max_gap_days: int, far_gap_days: int, chunk: int
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Yield (rows, cols, far): chunks of articles in date order, who they can pair with
    within ``max_gap_days`` (and the undated), and the dated ones up to ``far_gap_days``
    earlier."""
    order = np.argsort(f.ordinals, kind="stable")  # undated (most negative) first
    ordinals = f.ordinals[order]
    undated = order[ordinals == UNDATED]
    first_dated = len(undated)
    none = np.zeros(0, dtype=order.dtype)
    for start in range(0, len(order), chunk):
        rows = order[start : start + chunk]
        if start < first_dated:  # undated rows pair with all; dated ones among them, far too
            mixed = start + len(rows) > first_dated and far_gap_days > max_gap_days
            yield rows, order, order[first_dated:] if mixed else none
            continue
        first, last = ordinals[start], ordinals[start + len(rows) - 1]

        def dated(since: int, until: int) -> np.ndarray:
            lo = np.searchsorted(ordinals, since, side="left")
            return order[max(lo, first_dated) : np.searchsorted(ordinals, until, side="right")]

        near = dated(first - max_gap_days, last + max_gap_days)
        far = none  # the earlier ones only: a later one finds the pair from its side
        if far_gap_days > max_gap_days:
            far = dated(first - far_gap_days, last - max_gap_days - 1)
        yield rows, np.concatenate([undated, near]), far


def _best(sim: np.ndarray, k: int) -> np.ndarray:
    """Return the mask of each row's ``k`` best positive entries, and any tied with the k-th."""
    top = min(k, sim.shape[1])
    # Every partner at least as similar as the k-th is kept, so ties at the k-th place
    # never depend on the chunk or the column order.
    kth = -np.partition(-sim, top - 1, axis=1)[:, top - 1]
    return (sim >= kth[:, None]) & (sim > 0.0)


def _far_pairs(
    f: Features, rows: np.ndarray, far: np.ndarray, *, max_gap_days: int, far_gap_days: int, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return, for each of ``rows``, its far partners (dated more than ``max_gap_days`` and
    at most ``far_gap_days`` earlier) among the ``k`` closest in embedding, with a positive
    similarity; the full similarity is computed for those pairs only."""
    # float32 cosines rounded well above their rounding error: a sieve, not the score
    cosine = np.round(f.vectors[rows] @ f.vectors[far].T, 4)
    gap = f.ordinals[rows][:, None] - f.ordinals[far][None, :]
    cosine[(gap <= max_gap_days) | (gap > far_gap_days)] = -1.0
    r, c = np.nonzero(_best(cosine - (FAR_COSINE - 1e-3) + 1e-9, k))
    i, j = rows[r], far[c]
    s = pair_similarity(f, i, j, max_gap_days=max_gap_days, far_gap_days=far_gap_days)
    keep = s > 0.0
    return i[keep], j[keep], s[keep]


def candidate_edges(
    f: Features,
    *,
    max_gap_days: int,
    far_gap_days: int = FAR_GAP_DAYS,
    k: int = NEIGHBOURS,
    chunk: int = CHUNK,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return candidate pairs as arrays ``(i, j, sim)`` with ``i < j``, sorted, no repeats.

    Only pairs with a positive similarity are candidates; each article brings its
    ``k`` most similar partners within ``max_gap_days`` (and undated ones) and its
    ``FAR_NEIGHBOURS`` earlier ones closest in embedding further back, and any tied with the last
    (so the pairs do not depend on the chunk size or the order of the columns).
    """
    found_i, found_j, found_s = [], [], []
    for rows, cols, far in _windows(f, max_gap_days, far_gap_days, chunk):
        sim = block_similarity(f, rows, cols, max_gap_days=max_gap_days, far_gap_days=max_gap_days)
        sim[rows[:, None] == cols[None, :]] = 0.0  # an article is not its own neighbour
        r, c = np.nonzero(_best(sim, k))
        found_i.append(rows[r])
        found_j.append(cols[c])
        found_s.append(sim[r, c])
        if len(far):
            i, j, s = _far_pairs(
                f, rows, far, max_gap_days=max_gap_days, far_gap_days=far_gap_days, k=FAR_NEIGHBOURS
            )
            found_i.append(i)
            found_j.append(j)
            found_s.append(s)
    if not found_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    i, j, s = np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_s)
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    keys, first = np.unique(lo * len(f) + hi, return_index=True)
    return keys // len(f), keys % len(f), s[first]
