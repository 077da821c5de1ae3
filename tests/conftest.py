"""Shared fixtures: an isolated BRIEFING_HOME, an in-memory store, article builders."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlite_utils import Database

from briefing.records import Article, Draft
from briefing.text import content_id

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def briefing_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point BRIEFING_HOME at a fresh folder for every test."""
    home = tmp_path / "home"
    monkeypatch.setenv("BRIEFING_HOME", str(home))
    return home


@pytest.fixture
def db() -> Database:
    """Return an empty in-memory database."""
    return Database(memory=True)


def make_article(
    text: str,
    *,
    title: str = "",
    path: str | None = None,
    date: dt.date | None = None,
    source: str | None = None,
    url: str | None = None,
) -> Article:
    """Build an Article whose id is the content hash of its text."""
    return Article(
        id=content_id(text),
        title=title,
        text=text,
        path=path or f"{content_id(text)}.txt",
        date=date,
        source=source,
        url=url,
    )


class FakeSummarizer:
    """A summarizer that returns queued drafts and records the articles it was given."""

    name = "fake"

    def __init__(self) -> None:
        self.queue: list[Draft] = []
        self.history: list[Sequence[Article]] = []

    def enqueue(self, headline: str, *sentences: str) -> None:
        self.queue.append(Draft(headline, tuple(sentences)))

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        self.history.append(articles)
        return self.queue.pop(0)


@pytest.fixture
def fake_summarizer() -> FakeSummarizer:
    """Return a fake summarizer with an empty queue."""
    return FakeSummarizer()
