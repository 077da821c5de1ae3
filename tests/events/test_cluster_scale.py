"""The sparse grouping path (neighbours, components, sparse average linkage) agrees
with the dense one; dates still keep events apart; giant components are split."""

import datetime as dt
import json

import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from briefing.events.cluster import THRESHOLD, Scale, group_events
from briefing.events.linkage import components, sparse_average_linkage
from briefing.events.neighbours import candidate_edges
from briefing.events.similarity import FAR_GAP_DAYS, features, similarity_matrix
from tests.conftest import SHARED, make_article

DATA = SHARED / "data"
SPARSE = Scale(dense_limit=0, component_limit=0)  # every component by sparse linkage
SPARSE_SMALL = Scale(dense_limit=0, component_limit=5, chunk=16)  # many small windows


def pseudo_vectors(articles, dims=64):
    """Unit vectors that follow the words of each text (a fixed random projection of TF-IDF)."""
    tfidf = TfidfVectorizer(stop_words="english").fit_transform([a.text for a in articles])
    projection = np.random.default_rng(0).standard_normal((tfidf.shape[1], dims))
    v = np.asarray(tfidf @ projection, dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)


@pytest.fixture(scope="module")
def real():
    """~235 real articles: wikinews-dev (dated by each story's meta.json), ecbplus-dev (undated)."""
    if not DATA.is_dir():
        pytest.skip(f"{DATA} is not there")
    articles = []
    for story in sorted(DATA.glob("wikinews-dev/*")):
        when = json.loads((story / "meta.json").read_text())["date"]
        date = dt.datetime.strptime(when, "%B %d, %Y").date() if when else None
        for f in sorted(story.glob("articles/*.json")):
            doc = json.loads(f.read_text(encoding="utf-8"))
            articles.append(make_article(doc["text"], title=doc["title"], path=str(f), date=date))
    for f in sorted(DATA.glob("ecbplus-dev/corpus/*.json")):
        doc = json.loads(f.read_text(encoding="utf-8"))
        articles.append(make_article(doc["text"], title=doc["title"], path=str(f)))
    assert len(articles) > 200
    return articles, pseudo_vectors(articles)


def partition(events):
    return {frozenset(a.id for a in e.articles) for e in events}


@pytest.mark.parametrize("scale", [SPARSE, SPARSE_SMALL, Scale(dense_limit=0, component_limit=30)])
def test_sparse_path_gives_the_dense_events_on_real_articles(real, scale):
    articles, vectors = real
    dense = group_events(articles, vectors)

    sparse = group_events(articles, vectors, scale=scale)

    assert partition(sparse) == partition(dense)
    assert {e.id: e.articles for e in sparse} == {e.id: e.articles for e in dense}  # same centre
    assert sum(len(e.articles) > 1 for e in dense) >= 10  # real groups, not all singletons


def test_candidate_pairs_hold_every_pair_at_the_threshold(real):
    articles, vectors = real
    f = features(articles, vectors)
    i, j, s = candidate_edges(f, max_gap_days=10, chunk=16)
    sim = similarity_matrix(articles, vectors, max_gap_days=10)
    np.fill_diagonal(sim, 0.0)
    strong = {(a, b) for a, b in zip(*np.nonzero(np.triu(sim) >= THRESHOLD), strict=True)}
    found = {(a, b) for a, b, x in zip(i.tolist(), j.tolist(), s.tolist(), strict=True)}
    assert strong and strong <= found
    assert np.allclose(s, sim[i, j])  # the exact similarity of each candidate pair


QUAKE = "A magnitude 6.4 earthquake struck near Ferndale in northern California early on Tuesday."


@pytest.mark.parametrize(
    "days_apart,events", [(0, 1), (10, 1), (11, 1), (120, 1), (121, 2), (400, 2)]
)
def test_identical_reports_merge_up_to_the_far_gap_and_never_further(days_apart, events):
    day = dt.date(2022, 12, 20)
    articles = [
        make_article(f"{QUAKE} Report {n}.", date=day + dt.timedelta(days=days_apart * (n % 2)))
        for n in range(6)
    ]
    vectors = np.ones((6, 8), dtype=np.float32) / np.sqrt(8)  # identical meaning

    assert len(group_events(articles, vectors)) == events
    assert partition(group_events(articles, vectors, scale=SPARSE)) == partition(
        group_events(articles, vectors)
    )


def test_undated_articles_pair_with_any_date():
    day = dt.date(2022, 12, 20)
    articles = [
        make_article(f"{QUAKE} Report {n}.",
                     date=None if n == 0 else day + dt.timedelta(n * (FAR_GAP_DAYS + 10)))
        for n in range(4)
    ]
    vectors = np.ones((4, 8), dtype=np.float32) / np.sqrt(8)
    f = features(articles, vectors)

    i, j, _ = candidate_edges(f, max_gap_days=10, chunk=2)

    undated = next(x for x, a in enumerate(articles) if a.date is None)
    partners = {int(b) for a, b in zip(i, j, strict=True) if a == undated} | {
        int(a) for a, b in zip(i, j, strict=True) if b == undated
    }
    assert partners == set(range(4)) - {undated}
    assert len(i) == 3  # dated ones beyond FAR_GAP_DAYS apart are never paired together
    assert partition(group_events(articles, vectors, scale=SPARSE)) == partition(
        group_events(articles, vectors)
    )


@pytest.mark.parametrize("limit", [10, 1])  # 1: events too, centres from candidate pairs
def test_a_giant_chained_component_is_split_by_average_linkage(limit):
    # Story n shares its words with stories n - 1 and n + 1 only: single link chains
    # all of them into one component; average linkage keeps short stretches.
    # Extra words of each story's own, a different number each, keep the pair
    # similarities apart: no ties for the two linkages to break differently.
    vocabulary = [f"w{n:03d}x" for n in range(400)]
    articles = [
        make_article(
            " ".join(vocabulary[4 * n : 4 * n + 12] + [f"own{n}x{m}" for m in range(n % 7)]) + ".",
            date=dt.date(2022, 1, 1),
        )
        for n in range(60)
    ]
    vectors = np.eye(60, 64, dtype=np.float32)  # no help from meaning
    f = features(articles, vectors)
    i, j, s = candidate_edges(f, max_gap_days=10)
    strong = s >= THRESHOLD

    (giant,) = components(len(articles), i[strong], j[strong])
    events = group_events(articles, vectors, scale=Scale(dense_limit=0, component_limit=limit))

    assert len(giant) == 60
    assert 5 < len(events) < 30  # split into short stretches, not left as singletons
    dense = group_events(articles, vectors)
    assert {e.id: e.articles for e in events} == {e.id: e.articles for e in dense}


@pytest.mark.parametrize("seed", range(5))
def test_sparse_average_linkage_matches_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    n = 40
    sim = rng.random((n, n)) ** 3 * (rng.random((n, n)) < 0.3)  # sparse, a few strong pairs
    sim = np.triu(sim, 1)
    sim = sim + sim.T
    np.fill_diagonal(sim, 1.0)
    i, j = np.nonzero(np.triu(sim, 1))
    threshold = 0.3

    ours = sparse_average_linkage(n, i, j, sim[i, j], threshold)
    theirs = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1 - threshold
    ).fit_predict(1 - sim)

    as_sets = lambda labels: {frozenset(np.flatnonzero(labels == x)) for x in set(labels)}  # noqa: E731
    assert as_sets(ours) == as_sets(theirs)
    assert len(set(ours.tolist())) < n  # something merged
