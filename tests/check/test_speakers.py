"""Swapped roles and attribution moved to somebody else, on hand-made pairs.

Each pair is caught by one rule; switching that rule off lets it through.
"""

from __future__ import annotations

import pytest

from briefing.check import contradiction, speakers
from briefing.check.compare import compare_summary
from briefing.check.contradiction import differences
from briefing.check.speakers import speaker
from briefing.check.tokens import tokenize
from briefing.records import Article
from briefing.summarize.summary import check_sentences

SPLIT_NAME_SWAPS = [
    ("On Tuesday, Chile's Pinochet ruled Supreme Court could face murder charges.",
     "On Tuesday, Chile's Supreme Court ruled Pinochet could face murder charges."),
    ("The Nautica identified the girl as Associated Press Whittiker.",
     "The Associated Press identified the girl as Nautica Whittiker."),
    ("Upper Arlington High attended Newman School until her junior year.",
     "Newman attended Upper Arlington High School until her junior year."),
]

MOVED = [  # (claim, evidence, the sentences before the evidence)
    ("Fayette County Sheriff says this is a very active investigation.",
     "Sheriff Fisher says this is a very active investigation.", None),
    ("Chief James Altgelt said the dead were two men and a boy.",
     "Police said the dead were two men and a boy.", None),
    ("The bridge will reopen next week, Mayor Smith said.",
     "The bridge will reopen next week, Governor Jones said.", None),
    ("According to Machimura, 19% believe Japan should keep giving aid.",
     "According to a survey by the Cabinet Office, 19% believe Japan should keep giving aid.",
     None),
    ("Lansley said the plan would cost about £1bn.",
     "He said the plan would cost about £1bn.",
     ("The health secretary, Mr Reid, presented the plan.", "Mr Reid said it was overdue.")),
]

KEPT = [  # the same speaker told otherwise: no difference
    ("Jan Egeland said there are still major problems getting aid to Aceh.",
     "But Mr Egeland said there are still major problems getting aid to Aceh.", None),
    ("The boy died at the scene, Michigan State Police said.",
     "The boy died at the scene, police said.", None),
    ("Reid said the Senate had confirmed 203 nominations.",
     "He said the Senate had confirmed 203 nominations.",
     ("Reid, 64, said he would stress health care.", "Reid also cautioned Republicans.")),
    ("Apple said its sales rose by a tenth.", "The company said its sales rose by a tenth.",
     ("Apple reported its results on Monday.",)),
    ("He said the plan would cost about £1bn.", "Mr Reid said the plan would cost about £1bn.",
     None),
]


@pytest.mark.parametrize(("claim", "evidence"), SPLIT_NAME_SWAPS)
def test_actors_swapped_across_a_shared_verb_are_roles_even_when_a_name_is_split(
    monkeypatch, claim, evidence
):
    assert "roles" in differences(claim, evidence)
    monkeypatch.setattr(contradiction, "_crossed", lambda *args: False)
    assert "roles" not in differences(claim, evidence)


def test_actors_in_their_places_or_in_another_voice_are_not_roles():
    evidence = "Fayette County Judge Nancy Vernon sentenced Ramal Chisler to six years."
    assert "roles" not in differences("Judge Vernon sentenced Chisler to six years.", evidence)
    assert "roles" not in differences(
        "Ramal Chisler was sentenced by Judge Nancy Vernon to six years.", evidence)
    assert "roles" in differences(
        "Fayette County Ramal Chisler sentenced Judge Nancy Vernon to six years.", evidence)


@pytest.mark.parametrize(
    ("sentence", "who"),
    [("Sheriff Mike Waguespack said later that the boy was hurt.",
      {"sheriff", "mike", "waguespack"}),
     ("The boy was hurt, police have said.", {"police"}),
     ('"It is slow," said Vice Minister Moriya.', {"vice", "minister", "moriya"}),
     ("He told an AFP correspondent he was shocked.", {"he"}),
     ("According to a BBC correspondent in Aceh, life returns.", {"bbc", "correspondent", "aceh"})],
)
def test_the_speaker_is_read_around_the_reporting_verb(sentence, who):
    assert {t.low for t in speaker(tokenize(sentence))} == who


@pytest.mark.parametrize(("claim", "evidence", "before"), MOVED)
def test_a_statement_given_to_another_speaker_is_attribution(monkeypatch, claim, evidence, before):
    assert "attribution" in differences(claim, evidence, before)
    monkeypatch.setattr(speakers, "moved", lambda *args: False)
    assert "attribution" not in differences(claim, evidence, before)


@pytest.mark.parametrize(("claim", "evidence", "before"), KEPT)
def test_the_same_speaker_named_otherwise_is_no_difference(claim, evidence, before):
    assert "attribution" not in differences(claim, evidence, before)


def test_a_pronoun_speaker_is_not_judged_without_the_sentences_before_it():
    claim, evidence, before = MOVED[-1]
    assert before and "attribution" in differences(claim, evidence, before)
    assert "attribution" not in differences(claim, evidence, None)


def test_a_named_speaker_that_the_source_does_not_give_is_attribution():
    claim = "Barghouti said the poll would be held on January 9."
    assert "attribution" in differences(claim, "The poll would be held on January 9.")
    plain = "The poll would be held on January 9."
    assert "attribution" not in differences("Officials said the poll would be held on January 9.",
                                            plain)


def test_a_quote_goes_on_in_the_sentence_after_the_one_that_names_its_speaker():
    claim = "Zelensky said he and Biden will discuss cooperation with the US."
    evidence = "In particular, the president and I will discuss cooperation with the US."
    before = ("Zelensky took to Twitter and wrote, “On my way to the US.",)
    assert "attribution" not in differences(claim, evidence, before)
    assert "attribution" in differences(claim, evidence, ())


SOURCE = (
    "Andrew Lansley, the Conservative health spokesman, attacked the plan on Tuesday. "
    "He said the ban on smoking in pubs would cost jobs across the country. "
    "Health Secretary John Reid defended the ban."
)


def test_compare_finds_whom_a_pronoun_stands_for_in_the_source():
    moved = compare_summary("Reid said the ban on smoking in pubs would cost jobs.", [SOURCE])
    right = compare_summary("Lansley said the ban on smoking in pubs would cost jobs.", [SOURCE])
    assert (moved.sentences[0].verdict, moved.sentences[0].differences) == (
        "contradicted", ("attribution",))
    assert right.sentences[0].verdict != "contradicted"


def test_the_guard_drops_a_digest_sentence_given_to_the_wrong_speaker():
    article = Article("a1", "Smoking ban", SOURCE, "a1.txt")
    kept, dropped = check_sentences(
        ["Reid said the ban on smoking in pubs would cost jobs.",
         "Health Secretary John Reid defended the ban."], [article])
    assert [s.text for s in kept] == ["Health Secretary John Reid defended the ban."]
    assert [d.reason for d in dropped] == ["contradicted by the sources: attribution"]
