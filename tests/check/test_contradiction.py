"""The contradiction check on hand-made pairs: each kind is caught, paraphrases are not."""

from __future__ import annotations

import pytest

from briefing.check import contradiction
from briefing.check.compare import compare_summary
from briefing.check.contradiction import differences
from briefing.check.facts import vocabulary
from briefing.check.judge import judge

PAIRS = [
    ("negation", "The mayor was not re-elected in May.", "The mayor was re-elected in May."),
    ("negation", "The hospital has been reopened to patients.",
     "The hospital has not been reopened to patients."),
    ("negation", "Lukashenko agreed to send troops to Ukraine.",
     "Lukashenko said he has no intention of sending troops to Ukraine."),
    ("opposite", "Police released the two suspects on Friday.",
     "Police arrested the two suspects on Friday."),
    ("opposite", "The ministry denied that the plant was damaged.",
     "The ministry confirmed that the plant was damaged."),
    ("roles", "Byrd beat Klitschko in the fourth round in Berlin.",
     "Klitschko beat Byrd in the fourth round in Berlin."),
    ("number", "The fire destroyed 40 homes near the river.",
     "The fire destroyed 14 homes near the river."),
    ("date", "The talks collapsed on Sunday night in Geneva.",
     "The talks collapsed on Thursday night in Geneva."),
    ("place", "The submarine was tracked off Okinawa by Japan's navy.",
     "The submarine was tracked off Okinawa by China's navy."),
    ("attribution", "Putin left for Belarus to put pressure on Kyiv.",
     "Ukrainian officials said Putin left for Belarus to put pressure on Kyiv."),
    ("attribution", "Mayor Smith said the bridge would reopen next week.",
     "Governor Jones said the bridge would reopen next week."),
]

PARAPHRASES = [
    ("Two suspects were arrested by police on Friday.",
     "Police arrested the two suspects on Friday."),
    ("Klitschko defeated Byrd in Berlin.", "Klitschko beat Byrd in the fourth round in Berlin."),
    ("Byrd was beaten by Klitschko.", "Klitschko beat Byrd in the fourth round in Berlin."),
    ("The mayor won re-election in May.", "The mayor was re-elected in May."),
    ("Officials said the mayor was re-elected.",
     "The mayor was re-elected in May, officials said."),
    ("The fire destroyed 14 homes.", "The fire destroyed 14 homes near the river on Monday."),
    ("Nobody was hurt, police said.", "No one was hurt in the blast, police said."),
]


@pytest.mark.parametrize(("kind", "claim", "evidence"), PAIRS)
def test_each_kind_of_contradiction_is_named(kind, claim, evidence):
    assert kind in differences(claim, evidence)


@pytest.mark.parametrize(("claim", "evidence"), PARAPHRASES)
def test_a_paraphrase_that_keeps_the_meaning_shows_no_difference(claim, evidence):
    assert differences(claim, evidence) == ()


@pytest.mark.parametrize(
    ("kind", "switch"),
    [("negation", "_negation"), ("opposite", "_opposite"), ("roles", "_roles"),
     ("attribution", "_attribution"), ("place", "_place"), ("number", "_is_number"),
     ("date", "_is_date")],
)
def test_switching_a_check_off_lets_its_contradiction_through(monkeypatch, kind, switch):
    claim, evidence = next((c, e) for k, c, e in PAIRS if k == kind)
    assert kind in differences(claim, evidence)
    monkeypatch.setattr(contradiction, switch, lambda *args: False)
    assert kind not in differences(claim, evidence)


def test_the_judge_calls_a_contradicted_sentence_contradicted_with_what_differs():
    source = "Police arrested the two suspects on Friday."
    j = judge("Police released the two suspects on Friday.", [(source, 0.8)], vocabulary(source))
    assert (j.verdict, j.differences) == ("contradicted", ("opposite",))
    assert j.support < judge(source, [(source, 1.0)], vocabulary(source)).support
    assert j.reason == "contradicted by the sources: opposite"


def test_a_weaker_match_that_shares_part_of_the_claim_does_not_clear_it():
    said = "Ukrainian officials said Putin made the trip to convey pressure on Kiev."
    part = "After the attack, Putin left for Belarus, Reuters reported."
    known = vocabulary(said + " " + part)
    claim = "Putin left for Belarus to convey pressure on Kiev."
    j = judge(claim, [(said, 0.65), (part, 0.60)], known)
    assert (j.verdict, j.differences) == ("contradicted", ("attribution",))


def test_other_evidence_saying_it_plainly_keeps_a_sentence_supported():
    said = "Officials said the bridge would reopen next week."
    plain = "The bridge would reopen next week."
    known = vocabulary(said + " " + plain)
    j = judge("The bridge would reopen next week.", [(said, 0.9), (plain, 0.88)], known)
    assert j.verdict == "supported"


def test_a_name_spelled_unlike_every_source_is_not_found():
    source = "Officer Rogelio Santos was shot at a Home Depot store in Dallas."
    j = judge("Officer Rigelio Santos was shot in Dallas.", [(source, 0.8)], vocabulary(source))
    assert j.verdict == "not found" and j.unsupported_facts == ("Rigelio Santos",)


def test_compare_reports_the_contradicting_sentence_first():
    source = (
        "Belarus has hosted Russian troops since February. Lukashenko has repeatedly said he "
        "has no intention of sending his country's troops to Ukraine."
    )
    c = compare_summary("Lukashenko agreed to send troops to Ukraine.", [source])
    s = c.sentences[0]
    assert s.verdict == "contradicted" and "negation" in s.differences
    assert "no intention" in s.evidence[0].sentence
    assert c.support_score == s.support < 0.5
