"""The digests of a build's events: the cache, batches, and where they are computed.

``summarize_all`` takes the ranked events, answers what it can from the store's
digest cache, and hands the rest to an executor as ``DigestJob``s, saving each
digest the moment it comes back (a killed build loses at most the batch in
progress). An executor computes digests, what's-new sentences and embeddings; the
store, history and rendering stay with the caller.

``make_executor`` picks the executor from the build options: ``LocalExecutor``
(``executors.py``, this process) or ``RayExecutor`` (``ray_executor.py``, imported
only when asked for). The cache key's options are ``executors.cache_options``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..localmodels.device import resolve_device
from ..records import Event, Summary
from .executors import EXECUTORS, BackendSpec, DigestJob, Executor, LocalExecutor

if TYPE_CHECKING:
    from ..progress import Progress
    from ..store.store import Store


def make_executor(
    backend: BackendSpec,
    *,
    executor: str = "local",
    address: str | None = None,
    workers: int | None = None,
    device: str = "auto",
) -> Executor:
    """Create the executor a build asked for: ``local`` (this process) or ``ray``."""
    if executor == "local":
        return LocalExecutor(backend, device=resolve_device(device))
    if executor == "ray":
        from .ray_executor import RayExecutor

        return RayExecutor(backend, address=address, workers=workers, device=device)
    raise ConfigError(f"unknown executor {executor!r}; choose from {', '.join(EXECUTORS)}")


def digest_key(
    event: Event, backend: str, options: Sequence[tuple[str, object]], max_words: int
) -> str:
    """Return the cache key of an event's digest: its content and the settings."""
    payload = json.dumps(
        [
            sorted(a.id for a in event.articles),
            backend,
            sorted(map(list, options), key=str),
            max_words,
        ],
        default=str,
    )
    return "d:" + hashlib.blake2b(payload.encode(), digest_size=12).hexdigest()


def summarize_all(
    events: Sequence[Event],
    executor: Executor,
    *,
    store: Store,
    backend: str,
    key_options: Sequence[tuple[str, object]],
    max_words: int,
    progress: Progress,
) -> list[tuple[Event, Summary, str]]:
    """Return (event, summary, cache key) for every event, in the given order.

    Cached digests come from the store; the others are computed by the executor and
    saved one by one as they come back.
    """
    keys = [digest_key(event, backend, key_options, max_words) for event in events]
    done: dict[str, Summary] = {}
    jobs: list[DigestJob] = []
    progress.start("Summarizing", len(events))
    for event, key in zip(events, keys, strict=True):
        cached = store.get_digest(key)
        if cached is None:
            jobs.append(DigestJob(key, event, max_words))
        elif key not in done:
            done[key] = cached
            progress.advance(f"{cached.headline[:48]} · cached")
    for job, summary, note in executor.summarize(jobs):
        store.save_digest(job.key, job.event.id, summary)
        done[job.key] = summary
        progress.advance(f"{summary.headline[:48]} · {note}")
    progress.finish()
    result = []
    for event, key in zip(events, keys, strict=True):
        summary = done[key]
        if summary.input_cut is not None:
            cut = dataclasses.replace(summary.input_cut, where=event.id)
            summary = dataclasses.replace(summary, input_cut=cut)
        result.append((event, summary, key))
    return result
