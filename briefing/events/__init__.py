"""Stage 2, events: ``Article``s in, ``Event``s (groups of articles on one story) out.

``dedup`` drops exact and near copies (MinHash), keeping them as a kept article's
``duplicates``; ``embed`` gives each article a vector (cached in the store);
``similarity``, ``neighbours`` and ``linkage`` score pairs and ``cluster`` groups
them into ``Event``s; ``history`` matches events with earlier briefings' (new,
developing, unchanged, gone); ``timeline`` lists an event's dated articles.
"""

from .cluster import group_events, single_event
from .dedup import DedupResult, deduplicate
from .embed import Embedder, embed_articles, get_embedder
from .history import find_matches, gone_events, history_for

__all__ = [
    "DedupResult",
    "Embedder",
    "deduplicate",
    "embed_articles",
    "find_matches",
    "get_embedder",
    "gone_events",
    "group_events",
    "history_for",
    "single_event",
]
