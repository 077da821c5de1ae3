"""Exact and near-duplicate detection.

Invariant: an article's id is ``"b2:" + blake2b(normalize(text))``, so two copies
that differ only in whitespace or case share an id (exact duplicates). Near
duplicates (re-punctuated or lightly edited wire copies) are found with MinHash
LSH over word shingles and folded into one canonical article whose
``duplicates`` keep every copy's path, outlet and URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from datasketch import MinHash, MinHashLSH

from .models import Article, Source
from .text import normalize, words

HASH_PREFIX = "b2:"
CANDIDATE_FACTOR = 0.75  # LSH candidate threshold, as a share of the Jaccard threshold


def content_id(text: str) -> str:
    """Return the tagged content hash that identifies an article's text."""
    digest = hashlib.blake2b(normalize(text).encode("utf-8"), digest_size=12).hexdigest()
    return HASH_PREFIX + digest


def shingles(text: str, *, size: int = 5) -> set[str]:
    """Return the set of word ``size``-grams of a text (punctuation and case ignored)."""
    tokens = words(text)
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def _minhash(text: str, num_perm: int) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=1)
    for sh in sorted(shingles(text)):
        m.update(sh.encode("utf-8"))
    return m


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
    lsh = MinHashLSH(threshold=threshold * CANDIDATE_FACTOR, num_perm=num_perm)
    best: dict[str, float] = {}
    hashes = [_minhash(by_id[i][0].text, num_perm) for i in ids]
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            jaccard = m.jaccard(hashes[j])
            if jaccard >= threshold:
                ri, rj = find(i), find(j)
                parent[max(ri, rj)] = min(ri, rj)
                for k in (i, j):
                    best[ids[k]] = max(best.get(ids[k], 0.0), jaccard)
        lsh.insert(i, m)

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
