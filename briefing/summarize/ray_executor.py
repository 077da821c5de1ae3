"""``--executor ray``: digests and embeddings computed by actors on a Ray cluster.

The driver (this process) keeps the store, history and rendering; the articles of
each event travel to the workers and the digests come back. Each actor wraps a
``LocalExecutor`` (backend and embedder loaded on its first use) and so runs the
very code of a local build: both executors write the same briefing. Events go out
``batch_size`` at a time (the backend's, asked of the first actor) and come back
as they are done, so N workers summarize N batches at once; texts to embed are
split evenly across the workers. Ray is imported only here, when it is asked for.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..errors import BriefingError, ConfigError, ModelError
from ..events.embed import DIMENSIONS
from ..localmodels.device import check_device
from ..records import Article, Dropped, Sentence, Summary
from .executors import BackendSpec, DigestJob, LocalExecutor, with_device

INSTALL_HINT = "pip install 'briefing[ray]'"


class Worker:
    """The state of one Ray actor: a ``LocalExecutor`` on the worker's device."""

    def __init__(self, backend: BackendSpec, device: str) -> None:
        self._local = LocalExecutor(backend, device=device)

    def batch_size(self) -> int:
        """Load the backend and return how many events it takes per call."""
        return max(1, int(getattr(self._local.summarizer(), "batch_size", 1) or 1))

    def summarize(
        self, jobs: Sequence[DigestJob]
    ) -> tuple[int, list[tuple[DigestJob, Summary, str]]]:
        """Return this process's id and the digests of ``jobs``."""
        return os.getpid(), list(self._local.summarize(jobs))

    def encode(self, texts: Sequence[str], max_tokens: int | None = None) -> np.ndarray:
        """Embed texts with this worker's embedder."""
        return self._local.embedder().encode(texts, max_tokens=max_tokens)

    def update(self, articles: Sequence[Article]) -> tuple[Sentence | None, list[Dropped]]:
        """Write a what's-new sentence."""
        return self._local.update(articles)


def import_ray() -> Any:
    """Return the ray module, or raise a BriefingError saying how to install it."""
    try:
        import ray
    except ImportError as e:
        raise BriefingError(f"--executor ray needs Ray: {INSTALL_HINT}") from e
    return ray


def check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail fast, naming the address, when nothing listens there (Ray retries for minutes)."""
    if address in ("auto", "local"):
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"--ray-address {address!r}: expected HOST:PORT, ray://HOST:PORT or auto")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as e:
        raise BriefingError(
            f"cannot reach the Ray cluster at {address}: {e.strerror or e}; start one with "
            "`ray start --head` or check --ray-address"
        ) from e


class RayExecutor:
    """Digests and embeddings on ``workers`` Ray actors, each holding its own models."""

    def __init__(
        self, backend: BackendSpec, *, address: str | None = None, workers: int | None = None,
        device: str = "auto",
    ) -> None:
        self._ray = ray = import_ray()
        device = check_device(device)
        if workers is not None and workers < 1:
            raise ConfigError(f"--workers must be at least 1, not {workers}")
        self._started = False
        if not ray.is_initialized():
            if address is not None:
                check_reachable(address)
            local = {"include_dashboard": False} if address is None else {}
            try:  # address None: a new local instance, stopped again by close()
                ray.init(address=address or "local", log_to_driver=False,
                         logging_level=logging.WARNING, **local)
            except (ConnectionError, RuntimeError, ValueError) as e:
                raise BriefingError(f"cannot connect to the Ray cluster at {address}: {e}") from e
            self._started = True
        try:
            resources = ray.cluster_resources()
            gpus, cpus = resources.get("GPU", 0), int(resources.get("CPU", 0))
            if device.startswith("cuda") and not gpus:
                raise ModelError(f"--device {device}: the Ray cluster has no GPU; use auto or cpu")
            self.device = "cuda" if device != "cpu" and gpus else "cpu"  # Ray picks the GPU
            self.backend = with_device(backend, self.device)
            nodes = sum(1 for node in ray.nodes() if node.get("Alive"))
            count = workers or (int(gpus) if self.device == "cuda" else nodes) or 1
            if count > cpus:
                raise ConfigError(f"{count} Ray workers need {count} CPUs; the cluster has {cpus}")
            share = min(1.0, gpus / count) if self.device == "cuda" else 0
            actor = ray.remote(num_cpus=1, num_gpus=share)(Worker)
            self._actors = [actor.remote(self.backend, self.device) for _ in range(count)]
        except BaseException:
            self.close()
            raise
        self._batch: int | None = None
        self._turn = 0
        self.pids: set[int] = set()  # the worker processes that computed digests

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Raise a worker's BriefingError as itself, and a lost worker as a BriefingError."""
        exceptions = self._ray.exceptions
        try:
            yield
        except exceptions.RayTaskError as e:
            cause = getattr(e, "cause", None)
            if isinstance(cause, BriefingError):
                raise cause from None
            if isinstance(cause, ImportError):
                raise BriefingError(f"a Ray worker cannot import {cause.name}: install briefing "
                                    "(and its models) on every node") from e
            raise
        except exceptions.RayActorError as e:
            raise BriefingError(f"a Ray worker died: {e}") from e

    def _get(self, refs: Any) -> Any:
        with self._errors():
            return self._ray.get(refs)

    def embedder(self) -> RayExecutor:
        """Return this executor: its ``encode`` embeds on the workers."""
        return self

    def encode(self, texts: Sequence[str], *, max_tokens: int | None = None) -> np.ndarray:
        """Embed texts, split evenly across the workers, in their order."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        parts = [p for p in np.array_split(np.arange(len(texts)), len(self._actors)) if len(p)]
        actors = self._actors[: len(parts)]
        refs = [a.encode.remote([texts[i] for i in p], max_tokens)
                for a, p in zip(actors, parts, strict=True)]
        return np.concatenate(self._get(refs)).astype(np.float32)

    def summarize(self, jobs: Sequence[DigestJob]) -> Iterator[tuple[DigestJob, Summary, str]]:
        """Send the jobs ``batch_size`` at a time; yield each digest as its batch is done."""
        if not jobs:
            return
        if self._batch is None:
            self._batch = self._get(self._actors[0].batch_size.remote())
        size = self._batch
        chunks = [list(jobs[i : i + size]) for i in range(0, len(jobs), size)]
        from ray.util import ActorPool

        pool = ActorPool(self._actors)
        with self._errors():
            for pid, results in pool.map_unordered(lambda a, c: a.summarize.remote(c), chunks):
                self.pids.add(pid)
                yield from results

    def update(self, articles: Sequence[Article]) -> tuple[Sentence | None, list[Dropped]]:
        """Write a what's-new sentence on the next worker in turn."""
        self._turn = (self._turn + 1) % len(self._actors)
        return self._get(self._actors[self._turn].update.remote(list(articles)))

    def close(self) -> None:
        """Stop the actors; disconnect (stopping the local instance if this executor started it)."""
        for actor in getattr(self, "_actors", []):
            self._ray.kill(actor)
        self._actors = []
        if self._started:
            self._ray.shutdown()
            self._started = False
