"""The headline rules (``summarize/headline.py``) on hand-made events."""

from __future__ import annotations

import pytest

from briefing.check.verify import source_text
from briefing.summarize.backends.prompting import clean_reply
from briefing.summarize.headline import (
    HEADLINE_WORDS,
    bare_infinitive,
    check_headline,
    problems,
    representative_title,
    unsupported_headline_words,
)
from briefing.text import word_count
from tests.conftest import make_article

SHOT = make_article(
    "A Dallas police officer died on Thursday after a shooting at a Home Depot store. "
    "Officer Rogelio Santander was shot while arresting a suspected shoplifter. "
    "Two other officers and a store employee were also shot, but remain hospitalized.",
    title="Dallas officer succumbs to injuries",
    source="one.example",
)
SUSPECT = make_article(
    "Police arrested the suspect after a manhunt across the city. Santander, 27, had "
    "served with the force for three years, police chief Eddie Garcia said.",
    title="Police arrest suspect in Home Depot shooting",
    source="two.example",
)
TRIBUTE = make_article(
    "Officers lined the road on Friday as the hearse of Rogelio Santander passed. "
    "The Dallas police officer was shot at a Home Depot store.",
    title="Dallas officers pay tribute after Home Depot shooting",
    source="three.example",
)
EVENT = [SHOT, SUSPECT, TRIBUTE]
SOURCES = source_text(EVENT)
DIGEST = [
    "Dallas police officer Rogelio Santander died after a shooting at a Home Depot store.",
    "Two other officers and a store employee were also shot, but remain hospitalized.",
]
GOOD = "Dallas Police Officer Dies After Shooting at Home Depot Store"


class Writer:
    """A fake headline writer: returns queued headlines, records its feedback."""

    def __init__(self, *replies: str) -> None:
        self.replies, self.feedback = list(replies), []

    def write_headline(self, articles, sentences, *, avoid, feedback=()):
        self.feedback.append(list(feedback))
        return self.replies.pop(0)


def test_a_title_case_ordinary_word_passes_when_the_sources_inflect_it() -> None:
    assert "dies" not in SOURCES.lower().split()  # only "died": Dies ~ died by stem
    assert unsupported_headline_words(GOOD, SOURCES) == []
    assert unsupported_headline_words("Police Officers Arrest Suspect", SOURCES) == []


@pytest.mark.parametrize(
    ("headline", "missing"),
    [
        ("Officer Rigelio Santander Dies in Shooting", ["Rigelio"]),  # one letter off
        ("Officer Rogelio Santanders Dies in Shooting", ["Santanders"]),  # a prefix match
        ("Police Chief Eddy Garcia", ["Eddy"]),
        ("Dallas Officer Shot by Smith", ["Smith"]),  # a name in no source
    ],
)
def test_a_misspelt_or_invented_name_fails(headline: str, missing: list[str]) -> None:
    assert unsupported_headline_words(headline, SOURCES) == missing


@pytest.mark.parametrize(
    "headline",
    ["Officer Rogelio Santander Dies in Home Depot Shooting",
     "Police Arrest Suspect in Rogelio Santander's Shooting",  # a possessive
     "ROGELIO SANTANDER Dies After Shooting in Dallas"],  # case does not matter
)
def test_a_name_spelled_as_a_source_spells_it_passes(headline: str) -> None:
    assert unsupported_headline_words(headline, SOURCES) == []


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Spam sent to us comes from the spammers' own servers.", ["US"]),  # only "us"
        ("Most spam comes from the U.S. and China.", []),  # "U.S." is "US"
        ("Most spam comes from the US and China.", []),
    ],
)
def test_an_acronym_needs_a_source_that_writes_it_in_capitals(
    text: str, missing: list[str]
) -> None:
    assert unsupported_headline_words("US Leads Spam List", text + " It leads the list.") == missing


def test_a_number_in_no_source_fails() -> None:
    assert unsupported_headline_words("Officer, 27, Dies After Shooting", SOURCES) == []
    assert unsupported_headline_words("Officer, 28, Dies After Shooting", SOURCES) == ["28"]


def test_a_headline_over_the_limit_is_rejected_not_truncated() -> None:
    long = ("Dallas Police Officer Rogelio Santander Dies After Shooting at Home Depot "
            "Store While Arresting Suspected Shoplifter")
    assert word_count(long) > HEADLINE_WORDS
    draft = clean_reply(f"Headline: {long}.\nSummary: {DIGEST[0]}", max_words=60)
    assert draft.headline == long  # kept whole by the reply cleaning ...

    headline, dropped = check_headline(draft.headline, EVENT, DIGEST, writer=Writer(GOOD))

    assert headline == GOOD  # ... and rejected by the check, then rewritten
    assert dropped[0].text == long
    assert dropped[0].reason.startswith("headline too long")


def test_a_long_headline_may_be_shortened_to_its_leading_clause_not_to_a_word_count() -> None:
    long = ("Police Arrest Suspect After Officer Rogelio Santander Dies in Home Depot "
            "Shooting While Arresting a Shoplifter in Dallas")
    writer = Writer(long, long)  # the rewrites repeat it: listed once

    headline, dropped = check_headline(long, EVENT, DIGEST, writer=writer)

    assert headline == (
        "Police Arrest Suspect After Officer Rogelio Santander Dies in Home Depot Shooting"
    )
    assert [d.text for d in dropped] == [long]


def test_a_headline_cut_off_mid_phrase_is_rejected() -> None:
    reason = problems("Dallas Police Officer Dies After Shooting at", EVENT, SOURCES)
    assert reason == "headline cut off mid-phrase (ends with 'at')"


def test_a_headline_never_ends_with_a_period() -> None:
    headline, _ = check_headline(GOOD + ".", EVENT, DIGEST)
    assert headline == GOOD


def test_the_fallback_is_never_a_digest_sentence() -> None:
    writer = Writer("Officer Rigelio Santander Dies", "")
    headline, dropped = check_headline(DIGEST[1], EVENT, DIGEST, writer=writer)

    assert headline not in DIGEST and headline.rstrip(".") not in [
        s.rstrip(".") for s in DIGEST
    ]
    assert headline == representative_title(EVENT)
    assert [d.reason for d in dropped] == [
        "headline repeats a digest sentence",
        "headline not in the sources: Rigelio",
    ]
    assert writer.feedback[1] == [f'"{d.text}": {d.reason}' for d in dropped]


def test_a_reply_without_a_headline_line_gives_no_headline() -> None:
    assert clean_reply(f"Summary: {DIGEST[0]} {DIGEST[1]}", max_words=60).headline == ""


def test_a_written_headline_wins_over_every_outlets_title() -> None:
    for title in (SHOT.title, SUSPECT.title, TRIBUTE.title):
        headline, dropped = check_headline(title, EVENT, DIGEST, writer=Writer(GOOD))
        assert headline == GOOD
        assert dropped[0].reason.startswith("headline copies the title of")


def test_the_last_resort_is_the_title_closest_to_the_others() -> None:
    assert representative_title(EVENT) == TRIBUTE.title
    assert representative_title([SUSPECT]) == SUSPECT.title


def test_a_lone_article_may_keep_its_title() -> None:
    assert check_headline(SUSPECT.title, [SUSPECT], DIGEST[:1]) == (SUSPECT.title, [])


def test_a_shortened_headline_never_ends_in_to_and_a_verb_cut_from_its_object() -> None:
    visit = make_article(
        "US Secretary of State Antony Blinken and British Foreign Minister David Lammy "
        "arrived in Kyiv on Wednesday to engage in pivotal talks with Ukrainian officials.",
        title="Blinken and Lammy in Kyiv",
    )
    long = ("US Secretary of State Blinken and British Foreign Minister Lammy Visit Ukraine "
            "to Engage in Pivotal Talks")
    digest = ["Blinken and Lammy held talks with Ukrainian officials."]

    headline, _ = check_headline(long, [visit], digest, writer=Writer(long, long))

    assert not headline.endswith("to Engage"), headline
    assert bare_infinitive("Lammy Visit Ukraine to Engage", visit.text)
    assert not bare_infinitive("Zelensky Travels to Kyiv", visit.text)  # a place, capitalised


def test_the_last_resort_title_is_never_web_furniture_when_a_real_one_exists() -> None:
    crumb = make_article(SHOT.text, title="Box Office Mojo > People > Michael Keaton")
    site = make_article(SHOT.text, title="Pacifica.org")
    real = make_article(SHOT.text, title="Dallas officer dies after Home Depot shooting")

    assert representative_title([crumb, site, real]) == real.title
    assert representative_title([crumb, site]) in {crumb.title, site.title}  # all furniture
