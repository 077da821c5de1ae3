"""briefing: a local-first news briefing generator.

The public API: ``build_briefing(BuildOptions(...))`` builds a dated briefing and
returns a ``BuildResult``; its ``briefing`` is a ``Briefing`` of ``BriefingEvent``s.
The stages live in subpackages, in the order data flows through them: ``ingest``,
``events``, ``summarize``, ``check``, ``publish``; ``store`` and ``localmodels``
serve them and ``cli`` drives ``pipeline`` (see docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from .errors import BriefingError
from .records import Article, Briefing, BriefingEvent, Corpus, Event, Skipped, Source, Summary
from .resources import __version__

__all__ = [
    "Article",
    "Briefing",
    "BriefingError",
    "BriefingEvent",
    "BuildOptions",
    "BuildResult",
    "Corpus",
    "Event",
    "Skipped",
    "Source",
    "Summary",
    "__version__",
    "build_briefing",
]


def __getattr__(name: str) -> Any:
    """Import the pipeline on first use, so that ``import briefing`` stays fast."""
    if name in {"build_briefing", "BuildOptions", "BuildResult"}:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
