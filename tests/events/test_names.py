"""Lead names and their cover: the same places and people, or others of the same kind."""

from __future__ import annotations

import pytest

from briefing.events.names import lead_names, name_cover, vocabulary
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


def test_vocabulary_is_every_word_lower_case():
    assert vocabulary(make_article("Banstead's store, at 9pm.", title="Fire")) == frozenset(
        {"fire", "banstead's", "store", "at", "pm"}
    )


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


def test_nothing_named_is_nothing_contradicted_but_names_must_be_mentioned():
    quiet = make_article("no names here at all.", title="")
    assert name_cover([quiet], [quiet]) == 1.0
    assert name_cover([quiet], [BANSTEAD]) == 0.0  # Banstead's names are not in it
