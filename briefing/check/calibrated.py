"""The support of a sentence: a logistic regression over cheap signals, fitted offline.

:func:`features` turns a sentence, its best evidence (source sentence, score from
``verify.support_matrix``: the mean of embedding cosine and shared content words), the
sources' vocabulary and what the contradiction rules found into numbers;
:func:`support` is ``sigmoid(INTERCEPT + Σ WEIGHTS[f] · feature f)``, in [0, 1].

The weights were fitted by ``bench/fit_truth.py`` on half A of qags-xsum-dev and
frank-dev (human sentence labels; every sentence of a summary judged consistent counts
as supported), features standardised as below; the scoreboard reports half B. Refit
and paste the printed block when a feature changes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .contradiction import KINDS
from .facts import Vocabulary, stem
from .verify import content_words

FEATURES = (
    "alignment",  # the best evidence's score
    "second",  # the second best evidence's score
    "cosine",  # the best evidence's embedding cosine (score · 2 − shared words)
    "shared",  # share of the content words in the best evidence
    "covered",  # share of the content words in any of the evidence sentences
    "bigrams_source",  # share of the (stemmed) word pairs found in the sources
    "trigrams_source",  # share of the three-word runs found in the sources
    "repeated",  # share of the word pairs that the sentence repeats (a garbled output)
    "pronouns",  # pronouns of the sentence (at most 3): whom they refer to is not checked
    "bigrams_evidence",  # share of the word pairs found in the evidence sentences
    "facts",  # numbers and names in no source (at most 3)
    "any_fact",  # 1 when a number or name is in no source
    "novel",  # share of the content words in no source, even inflected
    "novel_words",  # content words in no source (at most 5)
    "contradicted",  # the contradiction rules fired
    *(f"differs: {k}" for k in KINDS),
    "log_words",  # log(1 + words of the sentence)
)

# Written by bench/fit_truth.py --write (see the module docstring); MEANS and SCALES
# standardise the features; CUT is the support with the best balanced accuracy on the
# half A sentences (the judge's SUPPORTED_MIN).
# fitted: begin
CUT = 0.651
INTERCEPT = 0.9996
MEANS = {
    'alignment': 0.7235,
    'second': 0.4749,
    'cosine': 0.725,
    'shared': 0.7221,
    'covered': 0.8084,
    'bigrams_source': 0.6949,
    'trigrams_source': 0.5908,
    'repeated': 0.0108,
    'pronouns': 0.4499,
    'bigrams_evidence': 0.6624,
    'facts': 0.0777,
    'any_fact': 0.0712,
    'novel': 0.1063,
    'novel_words': 0.9347,
    'contradicted': 0.12,
    'differs: negation': 0.0161,
    'differs: opposite': 0.0037,
    'differs: roles': 0.0005,
    'differs: number': 0.0091,
    'differs: date': 0.0037,
    'differs: place': 0.0096,
    'differs: attribution': 0.0862,
    'log_words': 2.9438,
}
SCALES = {
    'alignment': 0.2308,
    'second': 0.18,
    'cosine': 0.2052,
    'shared': 0.303,
    'covered': 0.2506,
    'bigrams_source': 0.3357,
    'trigrams_source': 0.3946,
    'repeated': 0.0509,
    'pronouns': 0.6881,
    'bigrams_evidence': 0.3631,
    'facts': 0.2925,
    'any_fact': 0.2572,
    'novel': 0.1794,
    'novel_words': 1.5566,
    'contradicted': 0.3249,
    'differs: negation': 0.1257,
    'differs: opposite': 0.0611,
    'differs: roles': 0.0231,
    'differs: number': 0.095,
    'differs: date': 0.0611,
    'differs: place': 0.0977,
    'differs: attribution': 0.2807,
    'log_words': 0.331,
}
WEIGHTS = {
    'alignment': 0.2866,
    'second': -0.0075,
    'cosine': 0.0484,
    'shared': 0.4037,
    'covered': -0.1029,
    'bigrams_source': -0.0186,
    'trigrams_source': 0.1716,
    'repeated': -0.5807,
    'pronouns': -0.0024,
    'bigrams_evidence': 0.5755,
    'facts': -0.1502,
    'any_fact': -0.1767,
    'novel': 0.0992,
    'novel_words': -1.0383,
    'contradicted': 0.203,
    'differs: negation': -0.2268,
    'differs: opposite': -0.0012,
    'differs: roles': 0.047,
    'differs: number': -0.212,
    'differs: date': -0.0336,
    'differs: place': -0.128,
    'differs: attribution': -0.0427,
    'log_words': 0.2445,
}
# fitted: end


_PRONOUNS = frozenset("he she it they him her them his hers its their theirs".split())


def _stems(text: str) -> list[str]:
    from ..text import words

    return [stem(w) for w in words(text)]


def bigrams(text: str) -> set[tuple[str, str]]:
    """Return the pairs of consecutive stemmed words of a text (as ROUGE-2 counts them)."""
    s = _stems(text)
    return set(zip(s, s[1:], strict=False))


def _share(wanted: set, found: set) -> float:
    return len(wanted & found) / len(wanted) if wanted else 0.0


def features(
    sentence: str,
    evidence: Sequence[tuple[str, float]],
    known: Vocabulary,
    *,
    facts: int,
    novel: int,
    differs: Sequence[str] = (),
    contradicted: bool = False,
) -> dict[str, float]:
    """Return the named features of a sentence (see :data:`FEATURES`)."""
    wanted = content_words(sentence)
    stems = _stems(sentence)
    pairs = set(zip(stems, stems[1:], strict=False))
    trigrams = set(map(" ".join, zip(stems, stems[1:], stems[2:], strict=False)))
    best_text, best = evidence[0] if evidence else ("", 0.0)
    shared = _share(wanted, content_words(best_text))
    cosine = 1.0 if best >= 1.0 else min(max(2 * best - shared, 0.0), 1.0)
    around = set().union(*(content_words(t) for t, _ in evidence)) if evidence else set()
    near_pairs = set().union(*(bigrams(t) for t, _ in evidence)) if evidence else set()
    found = {
        "alignment": best,
        "second": evidence[1][1] if len(evidence) > 1 else 0.0,
        "cosine": cosine,
        "shared": shared,
        "covered": _share(wanted, around),
        "bigrams_source": _share(pairs, known.bigrams) if known.bigrams else shared,
        "bigrams_evidence": _share(pairs, near_pairs),
        "trigrams_source": _share(trigrams, known.trigrams),
        "repeated": 1 - len(pairs) / max(len(stems) - 1, 1),
        "pronouns": float(min(sum(w in _PRONOUNS for w in stems), 3)),
        "facts": float(min(facts, 3)),
        "any_fact": float(facts > 0),
        "novel": novel / len(wanted) if wanted else 0.0,
        "novel_words": float(min(novel, 5)),
        "contradicted": float(contradicted),
        "log_words": math.log1p(len(sentence.split())),
    }
    for kind in KINDS:
        found[f"differs: {kind}"] = float(contradicted and kind in differs)
    return found


def support(found: dict[str, float]) -> float:
    """Return the fitted probability that the sources support the sentence."""
    z = INTERCEPT + sum(
        WEIGHTS[f] * (found[f] - MEANS[f]) / SCALES[f] for f in FEATURES
    )
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
