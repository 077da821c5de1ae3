"""Stage 3, summarize: an ``Event``'s articles in, a checked ``Summary`` out.

A backend (``backends/``: extractive, hf, llama, or a plugin registered in the
``briefing.backends`` entry point group) writes a ``Draft``; ``summary`` aligns
every sentence with the sources and cites the evidence (``check.verify``), dropping
what the sources do not support. ``select`` picks the source sentences a model
reads; ``headline`` guards headlines. Executors run the backend: ``executors``
(the protocol, ``LocalExecutor``), ``ray_executor`` (a Ray cluster); ``digests``
caches digests in the store and hands the rest to an executor.
"""

from .digests import digest_key, make_executor, summarize_all
from .executors import BackendSpec, Executor, LocalExecutor
from .registry import Summarizer, available, check_backend, get_summarizer, register
from .summary import summarize_event, summarize_events, summarize_update

__all__ = [
    "BackendSpec",
    "Executor",
    "LocalExecutor",
    "Summarizer",
    "available",
    "check_backend",
    "digest_key",
    "get_summarizer",
    "make_executor",
    "register",
    "summarize_all",
    "summarize_event",
    "summarize_events",
    "summarize_update",
]
