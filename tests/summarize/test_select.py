"""Sentence selection: salient, non-redundant, within budget, in reading order."""

from __future__ import annotations

import pytest

from briefing.summarize.select import estimate_tokens, select_sentences
from tests.conftest import make_article


def count_words(sentence: str) -> int:
    return len(sentence.split())


BRIDGE = make_article(
    "The mayor opened the new river bridge on Monday morning. "
    "The river bridge cost ten million dollars to build. "
    "Local birds enjoyed the sunny weather today."
)
BRIDGE_COPY = make_article(
    "The mayor opened the new river bridge on Monday morning. "
    "Officials said the bridge took three years to build."
)


def test_picks_central_sentences_once_in_reading_order() -> None:
    picked = select_sentences([BRIDGE, BRIDGE_COPY], budget_tokens=30, count_tokens=count_words)
    # 30 words: the shared lead comes once (from source 1), then the two sentences on the
    # cost and the build; the off-topic one (7 words) no longer fits.
    assert picked == [
        (1, "The mayor opened the new river bridge on Monday morning."),
        (1, "The river bridge cost ten million dollars to build."),
        (2, "Officials said the bridge took three years to build."),
    ]


def test_budget_keeps_the_most_salient_sentence() -> None:
    # 10 words: only one sentence fits, and the lead wins (central and first).
    picked = select_sentences([BRIDGE, BRIDGE_COPY], budget_tokens=10, count_tokens=count_words)
    assert picked == [(1, "The mayor opened the new river bridge on Monday morning.")]


@pytest.mark.parametrize("budget", [0, 5, 9, 19, 25, 60])
def test_selection_fits_the_budget(budget: int) -> None:
    picked = select_sentences([BRIDGE, BRIDGE_COPY], budget_tokens=budget, count_tokens=count_words)
    assert sum(count_words(s) for _, s in picked) <= budget


def test_selection_is_deterministic() -> None:
    first = select_sentences([BRIDGE, BRIDGE_COPY], budget_tokens=30, count_tokens=count_words)
    again = select_sentences([BRIDGE, BRIDGE_COPY], budget_tokens=30, count_tokens=count_words)
    assert first == again


def test_skips_captions_links_headlines_and_fragments() -> None:
    article = make_article(
        "Storm closes the coastal highway\n\n"
        "Waves flooded the coastal highway on Tuesday night.\n\n"
        "A car stuck on the flooded highway Picture: Getty\n\n"
        "Also read: Ten tips for driving in the coastal rain.\n\n"
        "Too short.\n\n"
        "Crews expect to reopen the coastal highway on Friday."
    )
    picked = select_sentences([article], budget_tokens=100, count_tokens=count_words)
    assert picked == [
        (1, "Waves flooded the coastal highway on Tuesday night."),
        (1, "Crews expect to reopen the coastal highway on Friday."),
    ]


def test_no_sentences_gives_an_empty_selection() -> None:
    assert select_sentences([make_article("Hi.")], budget_tokens=100) == []
    assert select_sentences([], budget_tokens=100) == []


def test_estimate_tokens_counts_four_per_three_words() -> None:
    assert estimate_tokens("one two three") == 4
    assert estimate_tokens("") == 0
