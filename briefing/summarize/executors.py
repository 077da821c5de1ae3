"""Where digests are computed: the ``Executor`` protocol and the local executor.

``LocalExecutor`` runs in this process: the backend is loaded once, on the first
digest that is not cached, and events go to it ``batch_size`` at a time (the hf
backend decodes a batch together; see ``backends.runtime``). ``RayExecutor``
(``ray_executor.py``) wraps one in each actor of a Ray cluster; ``digests.make_executor``
picks one from the build options.

The device (``--device``) reaches the embedder and the hf backend only: other
backends take no such option. The digest cache key includes the device only when
it is a GPU, since the hf backend runs in bf16 there and may word a digest
differently; CPU keys stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..events.embed import Embedder, get_embedder
from ..records import Article, Dropped, Event, Sentence, Summary
from .registry import Summarizer, get_summarizer
from .summary import summarize_events, summarize_update

if TYPE_CHECKING:
    pass


@dataclass(frozen=True, slots=True)
class BackendSpec:
    """A summarizer backend by name, with the options it is created with."""

    name: str
    options: tuple[tuple[str, object], ...] = ()

    def create(self) -> Summarizer:
        """Load the backend (for the hf backend: the model)."""
        return get_summarizer(self.name, **dict(self.options))


@dataclass(frozen=True, slots=True)
class DigestJob:
    """One event to summarize, and the cache key its digest is saved under."""

    key: str
    event: Event
    max_words: int


EXECUTORS = ("local", "ray")


def with_device(spec: BackendSpec, device: str) -> BackendSpec:
    """Give the hf backend its (resolved) device; other backends take none."""
    if spec.name != "hf" or "device" in dict(spec.options):
        return spec
    return BackendSpec(spec.name, (*spec.options, ("device", device)))


def cache_options(spec: BackendSpec) -> tuple[tuple[str, object], ...]:
    """Return the options that go into digest cache keys: all but a ``cpu`` device."""
    return tuple((k, v) for k, v in spec.options if (k, v) != ("device", "cpu"))


class Executor(Protocol):
    """Computes digests and embeddings, locally or on a cluster.

    ``backend`` is the backend as it runs (the hf backend with its device) and
    ``device`` the resolved device: ``cpu`` or ``cuda``.
    """

    backend: BackendSpec
    device: str

    def embedder(self) -> Embedder:
        """Return an object whose ``encode(texts)`` embeds texts as the local model does."""
        ...

    def summarize(self, jobs: Sequence[DigestJob]) -> Iterator[tuple[DigestJob, Summary, str]]:
        """Yield every job with its checked summary and a progress note, as each is done."""
        ...

    def update(self, articles: Sequence[Article]) -> tuple[Sentence | None, list[Dropped]]:
        """Write the checked what's-new sentence of a developing event's new articles."""
        ...

    def close(self) -> None:
        """Release what the executor holds (models, workers)."""
        ...


class LocalExecutor:
    """Digests in this process, the backend loaded once and fed ``batch_size`` events at a time."""

    def __init__(
        self, backend: BackendSpec, *, embedder: Embedder | None = None, device: str = "cpu"
    ) -> None:
        self.device = device
        self.backend = with_device(backend, device)
        self._embedder = embedder
        self._summarizer: Summarizer | None = None

    def embedder(self) -> Embedder:
        """Return the process-wide embedder on this executor's device (loaded on first use)."""
        if self._embedder is None:
            self._embedder = get_embedder(self.device)
        return self._embedder

    def summarizer(self) -> Summarizer:
        """Return the backend, loading it on first use."""
        if self._summarizer is None:
            self._summarizer = self.backend.create()
        return self._summarizer

    def summarize(self, jobs: Sequence[DigestJob]) -> Iterator[tuple[DigestJob, Summary, str]]:
        """Summarize the jobs in batches of the backend's ``batch_size`` (1 if it has none)."""
        if not jobs:
            return
        summarizer = self.summarizer()
        size = max(1, int(getattr(summarizer, "batch_size", 1) or 1))
        for first in range(0, len(jobs), size):
            chunk = jobs[first : first + size]
            for max_words in sorted({job.max_words for job in chunk}):
                same = [job for job in chunk if job.max_words == max_words]
                summaries = summarize_events(
                    [job.event.articles for job in same],
                    summarizer,
                    max_words=max_words,
                    embedder=self.embedder(),
                )
                note = speed_note(summarizer)
                for job, summary in zip(same, summaries, strict=True):
                    yield job, summary, note

    def update(self, articles: Sequence[Article]) -> tuple[Sentence | None, list[Dropped]]:
        """Write the what's-new sentence with the local backend."""
        return summarize_update(articles, self.summarizer(), embedder=self.embedder())

    def close(self) -> None:
        """Drop the loaded backend."""
        self._summarizer = None


def speed_note(summarizer: object) -> str:
    """Return "N tok/s" (and the batch size) from a backend's ``last_stats``, or "done"."""
    stats = getattr(summarizer, "last_stats", None)
    if not stats:
        return "done"
    batch = getattr(stats, "batch", 1)
    return f"{stats.tokens_per_second:.1f} tok/s" + (f" (batch of {batch})" if batch > 1 else "")
