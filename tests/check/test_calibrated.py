"""The fitted support (``check.calibrated``): how it ranks sentences, not what it scores."""

from __future__ import annotations

import pytest

from briefing.check import calibrated
from briefing.check.facts import vocabulary
from briefing.check.judge import SUPPORTED_MIN, judge

SOURCE = (
    "Police arrested the two suspects on Friday in Dallas. "
    "The mayor said the bridge would reopen next week. "
    "The fire destroyed 14 homes near the river."
)
TWINS = [  # (as written, contradicted), with the evidence each would find
    ("Police arrested the two suspects on Friday in Dallas.",
     "Police released the two suspects on Friday in Dallas."),
    ("The fire destroyed 14 homes near the river.",
     "The fire destroyed 40 homes near the river."),
    ("The mayor said the bridge would reopen next week.",
     "The mayor said the bridge would not reopen next week."),
]


@pytest.mark.parametrize(("written", "altered"), TWINS)
def test_a_contradicted_sentence_scores_below_its_unaltered_twin(written, altered):
    known = vocabulary(SOURCE)
    plain = judge(written, [(written, 1.0)], known)
    changed = judge(altered, [(written, 0.9)], known)
    assert plain.verdict == "supported" and plain.support >= SUPPORTED_MIN
    assert changed.verdict == "contradicted"
    assert changed.support < plain.support


def test_a_sentence_with_an_invented_name_scores_below_one_without():
    known = vocabulary(SOURCE)
    source = "Police arrested the two suspects on Friday in Dallas."
    plain = judge("Police arrested two suspects in Dallas.", [(source, 0.85)], known)
    invented = judge("Police arrested two suspects in Houston.", [(source, 0.85)], known)
    assert invented.support < plain.support


def test_support_rises_with_the_evidence_score():
    known = vocabulary(SOURCE)
    claim = "The bridge would reopen next week, the mayor said."
    evidence = "The mayor said the bridge would reopen next week."
    scores = [judge(claim, [(evidence, s)], known).support for s in (0.5, 0.7, 0.9)]
    assert scores == sorted(scores) and scores[0] < scores[-1]


def test_every_feature_has_a_weight_a_mean_and_a_scale():
    for table in (calibrated.WEIGHTS, calibrated.MEANS, calibrated.SCALES):
        assert set(table) == set(calibrated.FEATURES)
    assert all(s > 0 for s in calibrated.SCALES.values())
    found = calibrated.features("A claim.", [], vocabulary("A source."), facts=0, novel=1)
    assert set(found) == set(calibrated.FEATURES)
    assert 0.0 <= calibrated.support(found) <= 1.0
