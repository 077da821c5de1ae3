"""Summarizer backends and the registry that names them.

A backend turns the articles of one event into a ``Draft`` (headline and digest
sentences). It knows nothing about events, citations or SQLite: citations come
afterwards from evidence (``check/verify.py``), never from what a backend claims.

Built-in backends register through ``register()``; an installed package adds one
with an entry point in the ``briefing.backends`` group (``name = "module:Factory"``),
loaded only when that backend is used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib.metadata import EntryPoint, entry_points
from typing import Protocol, runtime_checkable

from ..errors import UnknownBackendError
from ..records import Article, Draft


@runtime_checkable
class Summarizer(Protocol):
    """Write a headline and digest sentences for the articles of one event."""

    name: str

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft: ...


SummarizerFactory = Callable[..., Summarizer]
_REGISTRY: dict[str, SummarizerFactory] = {}
ENTRY_POINT_GROUP = "briefing.backends"


def register(name: str, factory: SummarizerFactory) -> None:
    """Register a summarizer factory under a name."""
    _REGISTRY[name] = factory


def available() -> list[str]:
    """List the registered backend names."""
    _load_builtins()
    return sorted(_REGISTRY)


AUTO = "auto"  # the default: the fastest backend for this CPU (localmodels.cpu)


def resolve_backend(name: str) -> str:
    """Return ``name``, or for ``auto`` the backend that fits this CPU: ``hf`` where bf16
    is native (AVX-512 BF16, AMX), ``llama`` on AVX2 alone when installed
    (``localmodels.cpu.choose_engines``)."""
    if name != AUTO:
        return name
    from ..localmodels.cpu import auto_backend

    return auto_backend().backend


def check_backend(name: str) -> None:
    """Raise UnknownBackendError, listing the known names, unless ``name`` is registered."""
    _load_builtins()
    if name not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownBackendError(f"unknown backend {name!r}; known backends: {known}")


def get_summarizer(name: str, **options: object) -> Summarizer:
    """Create the summarizer registered under ``name``."""
    check_backend(name)
    return _REGISTRY[name](**options)


def _load_builtins() -> None:
    if "extractive" in _REGISTRY:
        return
    from .backends.extractive import ExtractiveSummarizer

    register("extractive", ExtractiveSummarizer)
    try:
        from .backends.hf import HFSummarizer
    except ImportError:  # the hf module is optional until its dependencies are installed
        pass
    else:
        register("hf", HFSummarizer)
    from .backends.llamacpp import LlamaSummarizer  # llama_cpp itself is imported when it is built

    register("llama", LlamaSummarizer)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        _REGISTRY.setdefault(entry.name, _lazy(entry))


def _lazy(entry: EntryPoint) -> SummarizerFactory:
    """Wrap a plugin's entry point so that its module is imported only when used."""

    def factory(**options: object) -> Summarizer:
        try:
            make = entry.load()
        except (ImportError, AttributeError) as e:
            raise UnknownBackendError(
                f"backend {entry.name!r} ({entry.value}) cannot be loaded: {e}"
            ) from e
        return make(**options)

    return factory


