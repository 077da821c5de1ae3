"""briefing: a local-first news briefing generator."""

from .errors import BriefingError
from .models import Article, Briefing, BriefingEvent, Corpus, Event, Skipped, Source, Summary

__all__ = [
    "Article",
    "Briefing",
    "BriefingEvent",
    "BriefingError",
    "Corpus",
    "Event",
    "Skipped",
    "Source",
    "Summary",
]
__version__ = "0.1.0"
