"""Exact and near-duplicate detection.

Invariant: an article's id is ``"b2:" + blake2b(normalize(text))``, so two copies
that differ only in whitespace or case share an id (exact duplicates). Near
duplicates (re-punctuated or lightly edited wire copies) are found with MinHash
LSH over word shingles and folded into one canonical article whose
``duplicates`` keep every copy's path, outlet and URL.

Scale: the MinHash signatures are computed for many articles at once with numpy
(bit for bit the values of datasketch's ``MinHash.update`` with its default
scheme: SHA-1 of each shingle, MurmurHash3 finalizer, affine permutations in
uint32), and LSH banding groups equal bands in dictionaries, so the cost grows
linearly with the corpus; only articles sharing a band are ever compared.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from itertools import accumulate
from operator import methodcaller

import numpy as np
from datasketch import MinHash, MinHashLSH

from ..records import Article, Source
from ..text import joined_words, words

CANDIDATE_FACTOR = 0.75  # LSH candidate threshold, as a share of the Jaccard threshold
SEED = 1
_BATCH_SHINGLES = 1 << 15  # shingles hashed per numpy step (about 16 MB of uint32 work)
_EMPTY = np.uint32(0xFFFFFFFF)  # datasketch's value for a MinHash that saw nothing
_DIGEST = methodcaller("digest")
PARALLEL_MIN = 20_000  # texts: below this one process (starting workers costs about 1 s)
_CHUNK = 5_000  # texts a worker hashes per task


def shingles(text: str, *, size: int = 5) -> set[str]:
    """Return the set of word ``size``-grams of a text (punctuation and case ignored)."""
    tokens = words(text)
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def _shingle_digests(text: str, size: int = 5) -> bytes:
    """Return the SHA-1 digests (20 bytes each) of a text's word ``size``-grams, joined.

    The shingles are those of ``shingles()``, repeats included (a minimum does not
    care); the loop runs in C through ``map`` because it is the hot spot of dedup.
    """
    joined_text = joined_words(text)
    tokens = joined_text.split(" ") if joined_text else []
    if len(tokens) <= size:
        return hashlib.sha1(joined_text.encode("utf-8")).digest() if tokens else b""
    joined = joined_text.encode("utf-8")
    lengths = (
        map(len, tokens)
        if len(joined) == len(joined_text)
        else (len(t.encode("utf-8")) for t in tokens)
    )
    starts = [0, *accumulate(n + 1 for n in lengths)]
    spans = map(slice, starts[:-size], [e - 1 for e in starts[size:]])
    return b"".join(map(_DIGEST, map(hashlib.sha1, map(joined.__getitem__, spans))))


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = MinHash(num_perm=num_perm, seed=SEED).permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch applies before permuting."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def default_workers(count: int) -> int:
    """Return the processes to hash ``count`` texts with: every usable core for many."""
    return len(os.sched_getaffinity(0)) if count >= PARALLEL_MIN else 1


def signatures(
    texts: Sequence[str], *, num_perm: int = 128, workers: int | None = None
) -> np.ndarray:
    """Return one MinHash signature per text (``len(texts) x num_perm``, uint32).

    Row ``i`` equals ``MinHash(num_perm, seed=1)`` updated with every shingle of
    ``texts[i]`` (datasketch's default ``affine32`` scheme); tests check it. Hashing
    is the hot spot of dedup, so ``workers`` processes (default: ``default_workers``)
    share it, a chunk of texts each; the rows are the same either way.
    """
    workers = default_workers(len(texts)) if workers is None else workers
    if workers > 1 and len(texts) > _CHUNK:
        try:
            return _parallel_signatures(texts, num_perm=num_perm, workers=workers)
        except (OSError, BrokenProcessPool):  # no processes here: hash in this one
            pass
    a, b = _permutations(num_perm)
    out = np.full((len(texts), num_perm), _EMPTY, dtype=np.uint32)
    pending: list[tuple[int, bytes]] = []
    count = 0

    def flush() -> None:
        digests = np.frombuffer(b"".join(d for _, d in pending), dtype=np.uint8)
        hv = _fmix32(np.ascontiguousarray(digests.reshape(-1, 20)[:, :4]).view("<u4").ravel())
        phv = np.multiply(a[:, None], hv[None, :])  # permutations x shingles: the
        np.add(phv, b[:, None], out=phv)  # reduction below runs along rows, much faster
        starts = np.cumsum([0] + [len(d) // 20 for _, d in pending[:-1]])
        out[[i for i, _ in pending]] = np.minimum.reduceat(phv, starts, axis=1).T

    for i, text in enumerate(texts):
        digests = _shingle_digests(text)
        if len(digests) // 20 > _BATCH_SHINGLES:  # a long text alone, a block at a time
            heads = np.frombuffer(digests, dtype=np.uint8).reshape(-1, 20)[:, :4].copy()
            hv = _fmix32(heads.view("<u4").ravel())
            for start in range(0, len(hv), _BATCH_SHINGLES):
                block = a[:, None] * hv[None, start : start + _BATCH_SHINGLES] + b[:, None]
                np.minimum(out[i], block.min(axis=1), out=out[i])
        elif digests:
            pending.append((i, digests))
            count += len(digests) // 20
        if count >= _BATCH_SHINGLES:
            flush()
            pending, count = [], 0
    if pending:
        flush()
    return out


def _parallel_signatures(texts: Sequence[str], *, num_perm: int, workers: int) -> np.ndarray:
    """Hash chunks of texts in ``workers`` fresh (spawned) processes, in order."""
    chunks = [list(texts[i : i + _CHUNK]) for i in range(0, len(texts), _CHUNK)]
    context = multiprocessing.get_context("spawn")  # fork is unsafe once torch has threads
    one = partial(signatures, num_perm=num_perm, workers=1)
    with ProcessPoolExecutor(min(workers, len(chunks)), mp_context=context) as pool:
        return np.concatenate(list(pool.map(one, chunks)))


def _candidate_pairs(sigs: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    """Return the pairs ``(j, i)``, ``j < i``, that share a whole LSH band.

    The bands are those datasketch's ``MinHashLSH`` picks for ``threshold``, so the
    candidates are the ones its ``query`` would return.
    """
    lsh = MinHashLSH(threshold=threshold, num_perm=sigs.shape[1])
    pairs: set[tuple[int, int]] = set()
    for band in range(lsh.b):
        buckets: dict[bytes, list[int]] = {}
        block = np.ascontiguousarray(sigs[:, band * lsh.r : (band + 1) * lsh.r])
        for i, row in enumerate(block):
            buckets.setdefault(row.tobytes(), []).append(i)
        for members in buckets.values():
            for x, i in enumerate(members):
                pairs.update((j, i) for j in members[:x])
    return pairs


def _canonical_order(a: Article) -> tuple:
    """Prefer the copy with the most metadata, then the longest text, then the first path."""
    metadata = sum(x is not None for x in (a.date, a.source, a.url, a.author))
    return (-metadata, -len(a.text), a.path)


@dataclass(frozen=True, slots=True)
class DedupResult:
    """Canonical articles with their copies folded in, and the near-duplicate map."""

    articles: tuple[Article, ...]
    near_pairs: tuple[tuple[str, str, float], ...]  # (copy id, canonical id, Jaccard)
    duplicates: int  # copies folded into another article, exact and near


def deduplicate(
    articles: Sequence[Article], *, threshold: float = 0.8, num_perm: int = 128
) -> DedupResult:
    """Fold exact copies (same content id) and near duplicates into canonical articles."""
    by_id: dict[str, list[Article]] = {}
    for a in articles:
        by_id.setdefault(a.id, []).append(a)
    ids = sorted(by_id)
    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # LSH only proposes candidates; the estimated Jaccard below decides. At the same
    # threshold LSH misses over half of the pairs just above it, so propose generously.
    sigs = signatures([by_id[i][0].text for i in ids], num_perm=num_perm)
    best: dict[str, float] = {}
    for j, i in sorted(_candidate_pairs(sigs, threshold * CANDIDATE_FACTOR)):
        jaccard = float(np.count_nonzero(sigs[i] == sigs[j])) / num_perm
        if jaccard >= threshold:
            ri, rj = find(i), find(j)
            parent[max(ri, rj)] = min(ri, rj)
            for k in (i, j):
                best[ids[k]] = max(best.get(ids[k], 0.0), jaccard)

    groups: dict[int, list[str]] = {}
    for i, article_id in enumerate(ids):
        groups.setdefault(find(i), []).append(article_id)

    result: list[Article] = []
    pairs: list[tuple[str, str, float]] = []
    for members in groups.values():
        copies = sorted((a for m in members for a in by_id[m]), key=_canonical_order)
        canonical = copies[0]
        seen = {canonical.path} | {d.path for d in canonical.duplicates}
        extra: list[Source] = []
        for c in copies[1:]:
            for s in (Source(c.path, c.source, c.url), *c.duplicates):
                if s.path not in seen:
                    seen.add(s.path)
                    extra.append(s)
        result.append(replace(canonical, duplicates=canonical.duplicates + tuple(extra)))
        pairs.extend(
            (m, canonical.id, round(best.get(m, 1.0), 3)) for m in members if m != canonical.id
        )
    result.sort(key=lambda a: (a.date or dt.date.min, a.path))
    return DedupResult(tuple(result), tuple(sorted(pairs)), len(articles) - len(result))
