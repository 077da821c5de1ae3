"""Group articles into events.

The combined similarity of two articles (:mod:`briefing.similarity`: embeddings,
lead words, text words, a date gap) feeds average-linkage agglomerative
clustering with a fixed threshold. Everything is deterministic: inputs are
sorted by id first.

Up to ``Scale.dense_limit`` articles the full similarity matrix is clustered at
once. A larger corpus never builds all pairs: each article's nearest neighbours
within its date window (:mod:`briefing.neighbours`) give a sparse graph whose
connected components at the threshold are clustered one by one
(:mod:`briefing.linkage`): exactly, with a dense matrix, when a component has at
most ``Scale.component_limit`` articles, else by sparse average linkage.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering

from ..records import Article, Event
from .linkage import components, sparse_average_linkage
from .neighbours import CHUNK, NEIGHBOURS, candidate_edges
from .similarity import (
    DECIMALS,
    MAX_GAP_DAYS,
    Features,
    block_similarity,
    features,
    similarity_matrix,
    symmetric,
)

__all__ = [
    "MAX_GAP_DAYS",
    "THRESHOLD",
    "Scale",
    "event_id",
    "group_events",
    "similarity_matrix",
    "single_event",
]

THRESHOLD = 0.22  # chosen on half A of the dev sets (bench/tune_grouping.py), see docs/stages.md


@dataclass(frozen=True, slots=True)
class Scale:
    """Where grouping switches from the full similarity matrix to the sparse path."""

    dense_limit: int = 2000  # corpora up to this size: one dense matrix, as always
    component_limit: int = 2000  # larger components go to sparse average linkage
    neighbours: int = NEIGHBOURS  # candidate partners per article on the sparse path
    chunk: int = CHUNK  # articles compared with their date window at once


def event_id(articles: Sequence[Article]) -> str:
    """Return an event's id: a hash of its sorted article ids."""
    joined = "\n".join(sorted(a.id for a in articles))
    return "ev:" + hashlib.blake2b(joined.encode(), digest_size=8).hexdigest()


def _dense_labels(sim: np.ndarray, threshold: float) -> np.ndarray:
    if len(sim) == 1:
        return np.zeros(1, dtype=int)
    return AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - threshold,
    ).fit_predict(1.0 - sim)


def centrality(sim: np.ndarray | sparse.csr_matrix) -> np.ndarray:
    """Return each row's summed similarity as an exact integer (units of 10**-DECIMALS).

    The similarities are rounded to ``DECIMALS`` places, so their sums in integer
    units are exact: the ranking cannot depend on the order in which a BLAS kernel,
    a block or a sparse matrix adds them up. Equal sums tie, and ties go to the
    article id.
    """
    scale = 10**DECIMALS
    if sparse.issparse(sim):
        units = sparse.csr_matrix(sim, dtype=np.float64, copy=True)
        units.data = np.rint(units.data * scale)
        return np.asarray(units.sum(axis=1)).ravel().astype(np.int64)
    return np.rint(np.asarray(sim, dtype=np.float64) * scale).astype(np.int64).sum(axis=1)


def _event(
    arts: Sequence[Article], members: np.ndarray, sim: np.ndarray | sparse.csr_matrix
) -> Event:
    """Make an event of ``members``, most central first (``sim``: their similarities)."""
    score = centrality(sim)
    ranked = sorted(range(len(members)), key=lambda x: (-int(score[x]), arts[members[x]].id))
    chosen = tuple(arts[members[x]] for x in ranked)
    return Event(id=event_id(chosen), articles=chosen)


def _sparse_block(
    members: np.ndarray, i: np.ndarray, j: np.ndarray, s: np.ndarray
) -> sparse.csr_matrix:
    """Return the similarity of ``members`` as a sparse matrix of their candidate pairs."""
    local = np.full(int(max(i.max(initial=0), j.max(initial=0), members.max())) + 1, -1)
    local[members] = np.arange(len(members))
    keep = (local[i] >= 0) & (local[j] >= 0)
    a, b = local[i[keep]], local[j[keep]]
    n = len(members)
    pairs = sparse.coo_matrix((s[keep], (a, b)), shape=(n, n))
    return (pairs + pairs.T + sparse.identity(n)).tocsr()


def _sparse_events(
    arts: Sequence[Article], vecs: np.ndarray, threshold: float, max_gap_days: int, scale: Scale
) -> list[Event]:
    f = features(arts, vecs)
    i, j, s = candidate_edges(f, max_gap_days=max_gap_days, k=scale.neighbours, chunk=scale.chunk)
    strong = 1.0 - s < 1.0 - threshold  # the pairs that may start a merge
    events = []  # components in order of their first article (by id), then by label
    for comp in components(len(arts), i[strong], j[strong]):
        if len(comp) == 1:
            events.append(Event(id=event_id([arts[comp[0]]]), articles=(arts[comp[0]],)))
        elif len(comp) <= scale.component_limit:
            sim = symmetric(block_similarity(f, comp, comp, max_gap_days=max_gap_days))
            labels = _dense_labels(sim, threshold)
            for label in np.unique(labels):
                inside = np.flatnonzero(labels == label)
                events.append(_event(arts, comp[inside], sim[np.ix_(inside, inside)]))
        else:
            events.extend(_giant_events(arts, f, comp, (i, j, s), threshold, max_gap_days, scale))
    return events


def _giant_events(
    arts: Sequence[Article],
    f: Features,
    comp: np.ndarray,
    edges: tuple[np.ndarray, np.ndarray, np.ndarray],
    threshold: float,
    max_gap_days: int,
    scale: Scale,
) -> list[Event]:
    """Cluster a component too big for a dense matrix by sparse average linkage."""
    i, j, s = edges
    local = np.full(len(arts), -1)
    local[comp] = np.arange(len(comp))
    within = (local[i] >= 0) & (local[j] >= 0)
    labels = sparse_average_linkage(
        len(comp), local[i[within]], local[j[within]], s[within], threshold
    )
    events = []
    for label in np.unique(labels):
        members = comp[labels == label]
        if len(members) <= scale.component_limit:
            sim = symmetric(block_similarity(f, members, members, max_gap_days=max_gap_days))
        else:  # too big for a dense matrix: the candidate pairs stand for all
            sim = _sparse_block(members, i, j, s)
        events.append(_event(arts, members, sim))
    return events


def group_events(
    articles: Sequence[Article],
    vectors: np.ndarray,
    *,
    threshold: float = THRESHOLD,
    max_gap_days: int = MAX_GAP_DAYS,
    scale: Scale = Scale(),
) -> tuple[Event, ...]:
    """Group articles (with one embedding row each) into events, most central article first."""
    if len(articles) == 0:
        return ()
    order = sorted(range(len(articles)), key=lambda i: articles[i].id)
    arts = [articles[i] for i in order]
    vecs = np.asarray(vectors, dtype=np.float32)[order]
    if len(arts) > scale.dense_limit:
        events = _sparse_events(arts, vecs, threshold, max_gap_days, scale)
    else:
        sim = similarity_matrix(arts, vecs, max_gap_days=max_gap_days)
        labels = _dense_labels(sim, threshold)
        events = []
        for label in np.unique(labels):
            members = np.flatnonzero(labels == label)
            events.append(_event(arts, members, sim[np.ix_(members, members)]))
    return tuple(events)


def single_event(articles: Sequence[Article], vectors: np.ndarray) -> Event:
    """Make one event of all the articles, the most central first."""
    arts = list(articles)
    if len(arts) > 1:
        sim = similarity_matrix(arts, np.asarray(vectors, dtype=np.float32), max_gap_days=10**6)
        score = centrality(sim)
        ranked = sorted(range(len(arts)), key=lambda i: (-int(score[i]), arts[i].id))
        arts = [arts[i] for i in ranked]
    return Event(id=event_id(arts), articles=tuple(arts))
