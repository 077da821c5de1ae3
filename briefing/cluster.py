"""Group articles into events.

Two articles are about the same event when they are close in meaning (sentence
embeddings), share the specific words of the story (TF-IDF over words, and over
names and numbers, so that two earthquakes or two contract offers stay apart),
and, when both are dated, were published within ``max_gap_days`` of each other.
The combined similarity feeds average-linkage agglomerative clustering with a
fixed threshold. Everything is deterministic: inputs are sorted by id first.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from .models import Article, Event

# Weights of the three similarities and the linkage threshold; fixed, documented
# in bench/RESULTS.md with the ecbplus-dev figures they give.
WEIGHT_EMBEDDING = 0.2
WEIGHT_NAMES = 0.2
WEIGHT_WORDS = 0.6
EMBEDDING_FLOOR = 0.5  # cosines below this count as unrelated; above, rescaled to [0, 1]
THRESHOLD = 0.215
MAX_GAP_DAYS = 10

_NAME_OR_NUMBER = re.compile(
    r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*|\d+(?:[.,]\d+)?)", re.MULTILINE
)


def _names_and_numbers(text: str) -> list[str]:
    """Return capitalised names (not sentence-initial) and numbers, lower-cased."""
    return [m.lower() for m in _NAME_OR_NUMBER.findall(text)]


def _tfidf_similarity(texts: Sequence[str], **options: object) -> np.ndarray:
    try:
        matrix = TfidfVectorizer(sublinear_tf=True, **options).fit_transform(texts)
    except ValueError:  # empty vocabulary: no words at all
        return np.zeros((len(texts), len(texts)))
    return np.asarray((matrix @ matrix.T).todense())


def similarity_matrix(
    articles: Sequence[Article], vectors: np.ndarray, *, max_gap_days: int = MAX_GAP_DAYS
) -> np.ndarray:
    """Return the combined pairwise similarity of articles (1 on the diagonal)."""
    texts = [f"{a.title}\n{a.text}" for a in articles]
    cosine = vectors @ vectors.T
    embedding = np.clip((cosine - EMBEDDING_FLOOR) / (1 - EMBEDDING_FLOOR), 0.0, 1.0)
    names = _tfidf_similarity(texts, analyzer=_names_and_numbers, lowercase=False)
    word_sim = _tfidf_similarity(texts, stop_words="english")
    sim = WEIGHT_EMBEDDING * embedding + WEIGHT_NAMES * names + WEIGHT_WORDS * word_sim
    dates = [a.date for a in articles]
    for i, di in enumerate(dates):
        for j, dj in enumerate(dates):
            if di and dj and abs((di - dj).days) > max_gap_days:
                sim[i, j] = 0.0
    np.fill_diagonal(sim, 1.0)
    return np.clip(sim, 0.0, 1.0)


def event_id(articles: Sequence[Article]) -> str:
    """Return an event's id: a hash of its sorted article ids."""
    joined = "\n".join(sorted(a.id for a in articles))
    return "ev:" + hashlib.blake2b(joined.encode(), digest_size=8).hexdigest()


def group_events(
    articles: Sequence[Article],
    vectors: np.ndarray,
    *,
    threshold: float = THRESHOLD,
    max_gap_days: int = MAX_GAP_DAYS,
) -> tuple[Event, ...]:
    """Group articles (with one embedding row each) into events, most central article first."""
    if len(articles) == 0:
        return ()
    order = sorted(range(len(articles)), key=lambda i: articles[i].id)
    arts = [articles[i] for i in order]
    vecs = np.asarray(vectors, dtype=np.float32)[order]
    if len(arts) == 1:
        labels = np.zeros(1, dtype=int)
        sim = np.ones((1, 1))
    else:
        sim = similarity_matrix(arts, vecs, max_gap_days=max_gap_days)
        labels = AgglomerativeClustering(
            n_clusters=None,
            metric="precomputed",
            linkage="average",
            distance_threshold=1.0 - threshold,
        ).fit_predict(1.0 - sim)
    events = []
    for label in sorted(set(labels.tolist())):
        members = [i for i in range(len(arts)) if labels[i] == label]
        centrality = {i: float(sim[i, members].mean()) for i in members}
        members.sort(key=lambda i: (-centrality[i], arts[i].id))
        chosen = tuple(arts[i] for i in members)
        events.append(Event(id=event_id(chosen), articles=chosen))
    return tuple(events)


def single_event(articles: Sequence[Article], vectors: np.ndarray) -> Event:
    """Make one event of all the articles, the most central first."""
    arts = list(articles)
    if len(arts) > 1:
        sim = similarity_matrix(arts, np.asarray(vectors, dtype=np.float32), max_gap_days=10**6)
        centrality = sim.mean(axis=1)
        arts = [
            arts[i] for i in sorted(range(len(arts)), key=lambda i: (-centrality[i], arts[i].id))
        ]
    return Event(id=event_id(arts), articles=tuple(arts))
