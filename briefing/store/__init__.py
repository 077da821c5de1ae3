"""The SQLite store under every stage: articles, embeddings, digests, runs.

``Store`` wraps a ``sqlite_utils.Database`` and migrates it when it opens
(``migrations``); ``database`` opens and locks the file; ``codec`` turns a
``Summary`` (and its ``Limit``s) into JSON-able data and back.
"""

from .codec import summary_from_dict, summary_to_dict
from .store import Store, lock_database, open_database

__all__ = [
    "Store",
    "lock_database",
    "open_database",
    "summary_from_dict",
    "summary_to_dict",
]
