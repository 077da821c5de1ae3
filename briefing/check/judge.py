"""One judge for every sentence the tool checks: supported, contradicted or not found.

``briefing compare`` and the build guard both call :func:`judge` with a sentence, its
best evidence sentences (the closest source sentences, scored by
``verify.support_matrix``) and the sources' vocabulary:

1. **contradicted**: the closest evidence sentence that speaks of the same thing (score
   at least ``SAME_CLAIM_MIN``) says it differently (:func:`contradiction.differences`:
   negation, opposite, roles, number, date, place, attribution), and no evidence about as
   close (within ``CLOSE_MARGIN``) says it as the sentence does. Its differences are
   given.
2. **not found**: a number or name of the sentence is in no source (spelt as no source
   spells it), or its support stays under ``SUPPORTED_MIN``.
3. **supported**: otherwise.

The support is :func:`calibrated.support`: a logistic regression (fitted offline by
``bench/fit_truth.py``, its weights in the code) over the evidence scores, shared words
and word pairs, the numbers, names and words in no source and the contradiction rules'
findings, so a contradicted sentence scores low too; a source sentence copied verbatim
scores 1. ``SUPPORTED_MIN`` is its cut.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..text import words
from . import calibrated
from .contradiction import differences
from .facts import Vocabulary, novel_words, unsupported_facts

VERDICTS = ("supported", "contradicted", "not found")
SUPPORTED_MIN = calibrated.CUT  # support at or above this, nothing missing or contradicted
SAME_CLAIM_MIN = 0.5  # evidence at least this close speaks of the same thing
CLOSE_MARGIN = 0.02  # evidence this much less close than the best still clears a sentence
FACT_PENALTY = 0.5  # support factor for each number or name found in no source
NOVEL_PENALTY = 0.8  # support factor for each other content word found in no source


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the sources say of one sentence."""

    verdict: str  # one of VERDICTS
    support: float  # in [0, 1]: calibrated.support
    alignment: float  # the best evidence's score, before penalties
    differences: tuple[str, ...] = ()  # contradicted: what differs from ``against``
    against: int | None = None  # contradicted: the index of the contradicting evidence
    unsupported_facts: tuple[str, ...] = ()  # numbers and names in no source
    novel_words: tuple[str, ...] = ()  # other content words in no source

    @property
    def reason(self) -> str:
        """Say why a sentence is not supported, for a reader (empty when it is)."""
        if self.verdict == "contradicted":
            missing = ", ".join(self.unsupported_facts)
            return "contradicted by the sources: " + ", ".join(self.differences) + (
                f"; not in the sources: {missing}" if missing else "")
        if self.unsupported_facts:
            return "not in the sources: " + ", ".join(self.unsupported_facts)
        if self.verdict == "not found":
            return f"not found in the sources (support {self.support:.2f})"
        return ""


def sentence_support(alignment: float, facts: int, novel: int) -> float:
    """Return the old hand-set support: alignment · FACT_PENALTY^facts · NOVEL_PENALTY^novel.

    Kept for comparison (bench/fit_truth.py prints its AUC); the judge uses
    :func:`calibrated.support`."""
    return alignment * FACT_PENALTY**facts * NOVEL_PENALTY**novel


def examine(
    sentence: str,
    evidence: Sequence[tuple[str, float]],
    known: Vocabulary,
    *,
    before: Mapping[str, Sequence[str]] | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...], int | None, tuple[str, ...], dict[str, float]]:
    """Return what the judge weighs: facts and novel words in no source, the index of the
    contradicting evidence and what differs (None and () when nothing does), and the
    calibrated model's features (``calibrated.features``)."""
    facts = tuple(unsupported_facts(sentence, known))
    named = {w for fact in facts for w in words(fact)}
    novel = tuple(w for w in novel_words(sentence, known) if w not in named)
    same = [(i, text) for i, (text, score) in enumerate(evidence) if score >= SAME_CLAIM_MIN]
    found = [(i, differences(sentence, text, None if before is None else before.get(text, ())))
             for i, text in same]
    # Contradicted when the closest evidence differs and no evidence about as close
    # (within CLOSE_MARGIN) says it plainly: a weaker match that shares only part of the
    # claim ("Putin left for Belarus") does not clear "officials said Putin went to ...".
    clean = [evidence[i][1] for i, kinds in found if not kinds]
    kinds: tuple[str, ...] = ()
    against = None
    if found and found[0][1] and max(clean, default=0.0) < evidence[found[0][0]][1] - CLOSE_MARGIN:
        against, kinds = found[0]
        if facts and set(kinds) <= {"place"}:  # a name no source spells so: not found
            against, kinds = None, ()
    signals = calibrated.features(sentence, evidence, known, facts=len(facts),
                                  novel=len(novel), differs=kinds, contradicted=bool(kinds))
    return facts, novel, against, kinds, signals


def judge(
    sentence: str,
    evidence: Sequence[tuple[str, float]],
    known: Vocabulary,
    *,
    before: Mapping[str, Sequence[str]] | None = None,
) -> Judgement:
    """Judge ``sentence`` against its ``evidence``: (source sentence, score), best first.

    ``before`` maps an evidence sentence to the sentences before it in its source
    (``verify.preceding``), where a pronoun that speaks in it finds its person.
    """
    facts, novel, against, kinds, signals = examine(sentence, evidence, known, before=before)
    best = evidence[0][1] if evidence else 0.0
    support = round(calibrated.support(signals), 3)
    if best >= 1.0 and not kinds and not facts:  # a source sentence copied as it is
        support = 1.0
    if kinds:
        return Judgement("contradicted", support, round(best, 3), kinds, against, facts, novel)
    verdict = "supported" if support >= SUPPORTED_MIN and not facts else "not found"
    return Judgement(verdict, support, round(best, 3), (), None, facts, novel)
