"""Lead names and their cover: the same places and people, or others of the same kind."""

from __future__ import annotations

import pytest

from briefing.events.names import cover, lead_names, name_cover, vocabulary
from tests.conftest import make_article

BANSTEAD = make_article(
    "Fire crews from Surrey fought the blaze at the Waitrose store in Banstead overnight.",
    title="Fire destroys Waitrose in Banstead",
)
BANSTEAD_LATER = make_article(
    "Police in Surrey said the fire at the Banstead Waitrose was started deliberately.",
    title="Banstead fire was arson, police say",
)
WELLINGTON = make_article(
    "Crews from Somerset tackled a fire at the Waitrose store in Wellington on Sunday.",
    title="Fire at Waitrose in Wellington",
)


def test_lead_names_skip_sentence_openers_and_stop_words():
    article = make_article(
        "The fire spread. Crews from Surrey came. Then It rained on Banstead.", title="Blaze"
    )
    assert lead_names(article) == frozenset({"surrey", "banstead"})


def test_lead_names_skip_dates_the_outlet_and_title_case_titles():
    """No names: a title in title case, a word after a dateline's dash, a day, the outlet's
    own call sign; hyphenated names count by part."""
    article = make_article(
        "MIAMI-DADE (WSVN) -- Police said on Saturday that Travonte Byrd was held in Miami-Dade.",
        title="Man Shot In The Head On Porter Street",
        url="http://www.wsvn.com/news/local/1",
    )
    assert lead_names(article) == frozenset({"dade", "travonte", "byrd", "miami"})


def test_vocabulary_is_every_word_lower_case_by_part_without_possessives():
    assert vocabulary(
        make_article("Banstead's store, at 9pm in Miami-Dade.", title="Fire")
    ) == frozenset({"fire", "banstead", "store", "at", "pm", "in", "miami", "dade"})


@pytest.mark.parametrize(
    "ours, theirs, low, high",
    [
        ([BANSTEAD_LATER], [BANSTEAD], 0.99, 1.0),  # every name of each is in the other
        ([WELLINGTON], [BANSTEAD], 0.0, 0.4),  # only the chain (a third of the names) shared
    ],
)
def test_name_cover_tells_the_same_place_from_another(ours, theirs, low, high):
    assert low <= name_cover(ours, theirs) <= high
    assert name_cover(ours, theirs) == name_cover(theirs, ours)


def test_a_follow_up_naming_new_people_still_covers_the_story():
    """The arrest names a suspect the first report could not: its own cover is low, but
    it mentions every name of the first report, and the two covers are averaged."""
    charged = make_article(
        "Police in Surrey charged Jonathan Pemberton-Quayle, of Epsom, with arson over the fire "
        "at the Banstead Waitrose.",
        title="Man charged over Banstead fire",
    )
    own = cover(lead_names(charged), vocabulary(BANSTEAD))
    assert own < 0.5 and cover(lead_names(BANSTEAD), vocabulary(charged)) == 1.0
    assert name_cover([charged], [BANSTEAD]) >= 0.6


def test_nothing_named_is_nothing_contradicted_but_names_must_be_mentioned():
    quiet = make_article("no names here at all.", title="")
    assert name_cover([quiet], [quiet]) == 1.0
    assert name_cover([quiet], [BANSTEAD]) == 0.0  # Banstead's names are not in it
