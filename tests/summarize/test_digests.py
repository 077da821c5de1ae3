"""The digests of a build: cache, batches and the local executor (no model: a batching fake)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from briefing.records import Article, Draft, Event
from briefing.store.store import Store, open_database
from briefing.summarize import registry
from briefing.summarize.digests import summarize_all
from briefing.summarize.executors import BackendSpec, LocalExecutor
from briefing.summarize.registry import available
from tests.conftest import make_article


class BatchingFake:
    """Drafts that copy each event's first sentence (or invent a figure), a batch at a time."""

    name = "batchfake"
    calls: list[list[str]] = []  # noqa: RUF012 - shared with the test, reset per test

    def __init__(self, batch_size: int = 2, invent: str = "") -> None:
        self.batch_size = batch_size
        self.invent = invent

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        return self.summarize_many([articles], max_words=max_words)[0]

    def summarize_many(
        self, events: Sequence[Sequence[Article]], *, max_words: int
    ) -> list[Draft]:
        assert len(events) <= self.batch_size
        BatchingFake.calls.append([a[0].title for a in events])
        drafts = []
        for articles in events:
            first = articles[0].text.split(". ")[0].rstrip(".") + "."
            sentences = (first, self.invent) if self.invent else (first,)
            drafts.append(Draft(articles[0].title, sentences))
        return drafts


class OneByOne:
    """A backend without summarize_many or batch_size."""

    name = "onebyone"
    calls = 0

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        OneByOne.calls += 1
        return Draft(articles[0].title, (articles[0].text.split(". ")[0] + ".",))


@pytest.fixture(autouse=True)
def fake_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the two fakes for one test only (the registry is process-wide)."""
    available()  # load the built-in backends first
    monkeypatch.setitem(registry._REGISTRY, "batchfake", BatchingFake)
    monkeypatch.setitem(registry._REGISTRY, "onebyone", OneByOne)

EVENTS = [
    Event(
        f"ev:{n}",
        (
            make_article(
                f"The council of town {n} approved a new bridge over the river. "
                f"Work on the bridge of town {n} starts in the spring.",
                title=f"Town {n} approves bridge",
            ),
        ),
    )
    for n in range(5)
]


class Bars:
    def __init__(self) -> None:
        self.notes: list[str] = []
        self.total = 0

    def start(self, stage: str, total: int) -> None:
        self.total = total

    def advance(self, info: str = "") -> None:
        self.notes.append(info)

    def finish(self) -> None:
        pass


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(open_database(tmp_path / "briefing.db"))


def run(store: Store, spec: BackendSpec, events: Sequence[Event] = EVENTS) -> tuple:
    bars = Bars()
    result = summarize_all(
        events,
        LocalExecutor(spec),
        store=store,
        backend=spec.name,
        key_options=spec.options,
        max_words=60,
        progress=bars,
    )
    return result, bars


def test_events_go_to_the_backend_in_batches_and_come_back_in_order(store: Store) -> None:
    BatchingFake.calls = []
    result, bars = run(store, BackendSpec("batchfake", (("batch_size", 2),)))

    assert [len(c) for c in BatchingFake.calls] == [2, 2, 1]
    assert [e.id for e, _, _ in result] == [e.id for e in EVENTS]
    for event, summary, _ in result:
        assert summary.headline == event.articles[0].title
        assert summary.sentences[0].citations == (event.articles[0].id,)
    assert (bars.total, len(bars.notes)) == (5, 5)


def test_cached_digests_are_not_summarized_again(store: Store) -> None:
    BatchingFake.calls = []
    spec = BackendSpec("batchfake", (("batch_size", 3),))
    first, _ = run(store, spec, EVENTS[:2])
    assert BatchingFake.calls == [["Town 0 approves bridge", "Town 1 approves bridge"]]

    BatchingFake.calls = []
    again, bars = run(store, spec)

    assert BatchingFake.calls == [[f"Town {n} approves bridge" for n in (2, 3, 4)]]
    assert [s for _, s, _ in again[:2]] == [s for _, s, _ in first]
    assert bars.notes[:2] == [f"Town {n} approves bridge · cached" for n in (0, 1)]


def test_every_sentence_of_a_batch_is_checked(store: Store) -> None:
    invented = "The bridge will cost 99 million euros."
    result, _ = run(store, BackendSpec("batchfake", (("invent", invented),)))

    for _, summary, _ in result:
        assert [s.text for s in summary.sentences] == [summary.sentences[0].text]
        assert [d.text for d in summary.dropped] == [invented]
        assert "99" in summary.dropped[0].reason


def test_a_backend_without_batches_gets_one_event_per_call(store: Store) -> None:
    OneByOne.calls = 0
    result, _ = run(store, BackendSpec("onebyone"))

    assert OneByOne.calls == len(EVENTS)
    assert all(s.backend == "onebyone" for _, s, _ in result)
