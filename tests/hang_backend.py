"""A summarizer backend for the fault tests, loaded by ``briefing build`` as a plugin.

``tests/test_faults.py`` registers it through a ``briefing.backends`` entry point (a
``.dist-info`` folder on ``PYTHONPATH``), the way an installed package adds a backend.
It summarizes like the extractive backend, appends the sorted article ids of every
event it is asked about to the file named by ``BRIEFING_TEST_CALLS`` (one JSON line
a call), and at call number ``BRIEFING_TEST_HANG_AT`` waits until the file named by
``BRIEFING_TEST_RELEASE`` exists, so that a test can kill or race a build while it is
summarizing, at a known point.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from briefing.records import Article, Draft
from briefing.summarize.backends.extractive import ExtractiveSummarizer


class HangingSummarizer:
    """Extractive summaries, a log of calls, and a hang at a chosen call."""

    name = "hang"

    def __init__(self, **options: object) -> None:
        self.calls_file = Path(os.environ["BRIEFING_TEST_CALLS"])
        self.hang_at = int(os.environ.get("BRIEFING_TEST_HANG_AT", "0"))
        self.release = Path(os.environ.get("BRIEFING_TEST_RELEASE", "/nonexistent/release"))
        self.calls = 0
        self._inner = ExtractiveSummarizer()

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        """Log the call, hang if it is the chosen one, then summarize extractively."""
        self.calls += 1
        with self.calls_file.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(sorted(a.id for a in articles)) + "\n")
        if self.calls == self.hang_at:
            while not self.release.exists():
                time.sleep(0.05)
        return self._inner.summarize(articles, max_words=max_words)
