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
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .similarity import UNDATED, Features, block_similarity

NEIGHBOURS = 50  # candidate partners kept per article
CHUNK = 256  # articles compared with their window at once


def _windows(f: Features, max_gap_days: int, chunk: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (rows, cols): chunks of articles in date order and who they can pair with."""
    order = np.argsort(f.ordinals, kind="stable")  # undated (most negative) first
    ordinals = f.ordinals[order]
    undated = order[ordinals == UNDATED]
    first_dated = len(undated)
    for start in range(0, len(order), chunk):
        rows = order[start : start + chunk]
        if start < first_dated:
            yield rows, order
            continue
        lo = np.searchsorted(ordinals, ordinals[start] - max_gap_days, side="left")
        hi = np.searchsorted(ordinals, ordinals[start + len(rows) - 1] + max_gap_days, "right")
        yield rows, np.concatenate([undated, order[max(lo, first_dated) : hi]])


def candidate_edges(
    f: Features, *, max_gap_days: int, k: int = NEIGHBOURS, chunk: int = CHUNK
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return candidate pairs as arrays ``(i, j, sim)`` with ``i < j``, sorted, no repeats.

    Only pairs with a positive similarity are candidates; each article brings its
    ``k`` most similar partners, and any tied with the k-th (so the pairs do not
    depend on the chunk size or the order of the columns).
    """
    found_i, found_j, found_s = [], [], []
    for rows, cols in _windows(f, max_gap_days, chunk):
        sim = block_similarity(f, rows, cols, max_gap_days=max_gap_days)
        sim[rows[:, None] == cols[None, :]] = 0.0  # an article is not its own neighbour
        top = min(k, sim.shape[1])
        # The k-th best similarity of each row; every partner at least that similar is
        # kept, so ties at the k-th place never depend on the chunk or the column order.
        kth = -np.partition(-sim, top - 1, axis=1)[:, top - 1]
        keep = (sim >= kth[:, None]) & (sim > 0.0)
        r, c = np.nonzero(keep)
        found_i.append(rows[r])
        found_j.append(cols[c])
        found_s.append(sim[r, c])
    if not found_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    i, j, s = np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_s)
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    keys, first = np.unique(lo * len(f) + hi, return_index=True)
    return keys // len(f), keys % len(f), s[first]
