"""Average linkage over a sparse similarity graph, and its connected components.

Average linkage merges two clusters only when the mean similarity of the pairs
across them reaches the threshold, which needs at least one pair across them at
or above it. So clusters never cross the connected components of the graph of
pairs at or above the threshold, and each component can be clustered alone: the
small ones exactly (dense matrix, scikit-learn), a giant one (chaining through
many events) with :func:`sparse_average_linkage`.

``sparse_average_linkage`` is written here because no library we know of does
average linkage with a distance threshold on a sparse graph (scikit-learn's
connectivity-constrained linkage and scipy's ``linkage`` both need the full
condensed distance matrix).
"""

from __future__ import annotations

import heapq

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components


def components(n: int, i: np.ndarray, j: np.ndarray) -> list[np.ndarray]:
    """Return the connected components of the graph on ``n`` nodes with edges ``(i, j)``.

    Each component is a sorted index array; components come in order of their
    smallest member.
    """
    graph = sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    order = np.argsort(labels, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)
    return sorted(groups, key=lambda g: int(g[0]))


def sparse_average_linkage(
    n: int, i: np.ndarray, j: np.ndarray, sim: np.ndarray, threshold: float
) -> np.ndarray:
    """Return cluster labels of average linkage on a sparse similarity graph.

    Pairs not in ``(i, j, sim)`` count as similarity 0. Two clusters merge while
    their average similarity (sum of the pair similarities across them over the
    product of their sizes) is above ``threshold``, best pair first, as in
    scikit-learn's ``AgglomerativeClustering(linkage="average",
    distance_threshold=1 - threshold)`` on ``1 - similarity``; with every
    positive pair given, the clusters are the same (ties aside). A heap holds
    the candidate merges; entries made stale by a merge are skipped when popped.
    """
    size = [1] * n
    links: list[dict[int, float]] = [{} for _ in range(n)]  # cluster -> neighbour -> sum
    for a, b, s in zip(i.tolist(), j.tolist(), sim.tolist(), strict=True):
        if a != b:
            links[a][b] = links[a].get(b, 0.0) + s
            links[b][a] = links[b].get(a, 0.0) + s
    limit = 1.0 - threshold

    heap: list[tuple[float, int, int]] = []
    for a in range(n):
        for b, total in links[a].items():
            if a < b and 1.0 - total < limit:
                heap.append((1.0 - total, a, b))
    heapq.heapify(heap)
    parent = list(range(n))
    alive = [True] * n
    while heap:
        distance, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]) or b not in links[a]:
            continue
        if 1.0 - links[a][b] / (size[a] * size[b]) != distance:
            continue  # stale: a or b has grown since this entry was pushed
        if len(links[a]) < len(links[b]):
            a, b = b, a  # keep the cluster with more neighbours, fold the other in
        alive[b] = False
        parent[b] = a
        size[a] += size[b]
        del links[a][b]
        for x, total in links[b].items():
            if x == a:
                continue
            del links[x][b]
            links[a][x] = links[x][a] = links[a].get(x, 0.0) + total
        links[b] = {}
        for x, total in links[a].items():
            d = 1.0 - total / (size[a] * size[x])
            if d < limit:
                heapq.heappush(heap, (d, min(a, x), max(a, x)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    roots = [root(x) for x in range(n)]
    _, labels = np.unique(roots, return_inverse=True)
    return labels
