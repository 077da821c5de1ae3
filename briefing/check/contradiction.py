"""What a claim says differently from the source sentence that best matches it.

The truth check first finds, for each claim, the source sentences closest to it
(embeddings and shared words). A close sentence can still say the opposite: the
same words with a "not", a verb turned into its opposite, the actors in each
other's places, another number, day or place, or a statement that the source
only reports as somebody's words. :func:`differences` names each such
difference between a claim and one evidence sentence; it is cheap (no model), so
it runs on every sentence of every digest.

Each rule looks only at what the claim and the evidence share, so a paraphrase
that keeps the meaning (other words, other order, a clause left out) shows no
difference:

- **negation**: a word of the claim is negated in one and asserted in the other
  (a negation cue: not, n't, no, never, without ... within three words before it);
- **opposite**: the claim has a word whose opposite (:data:`OPPOSITES`) the evidence
  has, and not the word itself;
- **roles**: two names (or two words of names) in both, on either side of a word they
  share, in swapped order ("Klitschko beat Byrd" / "Byrd beat Klitschko"; "Chile's
  Pinochet ruled Supreme Court" / "Chile's Supreme Court ruled Pinochet"), the voice
  unchanged;
- **number**, **date**, **place**: the claim has a number, a weekday, month or year,
  or a name that the evidence has not, in the slot where the evidence has another;
- **attribution**: the evidence reports the statement as somebody's ("officials
  said ...") and the claim states it as fact, or gives it to somebody else
  (``speakers.moved``: the speakers of "said", "told", "according to" compared, a
  pronoun's person looked for in the sentences ``before`` the evidence), or the claim
  names a speaker whom neither the evidence nor the sentences before it name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from . import speakers
from .facts import stem as _stem
from .lexicon import MONTHS, OPPOSITES, SAYING, WEEKDAYS
from .tokens import PAUSE as _PAUSE
from .tokens import STOP as _STOP
from .tokens import Tok as _Tok
from .tokens import is_name
from .tokens import names as _names
from .tokens import tokenize as _tokens

KINDS = ("negation", "opposite", "roles", "number", "date", "place", "attribution")

NEGATIONS = frozenset("not no never none nobody nothing neither nor without cannot n't".split())
_SKIP = frozenset(
    """a an the to be been being is are was were am has have had do does did will would can
    could should may might must shall also yet ever even still any anyone anything more longer
    so too very just only really always""".split()
)


def _content(tokens: Iterable[_Tok]) -> set[str]:
    return {_stem(t.low) for t in tokens
            if t.low not in _STOP and t.low not in NEGATIONS and t.low not in _PAUSE}


def _negated(tokens: list[_Tok]) -> tuple[set[str], set[str]]:
    """Return the stems of content words under a negation and those asserted."""
    negated: set[str] = set()
    for i, t in enumerate(tokens):
        if t.low not in NEGATIONS:
            continue
        seen = 0
        for u in tokens[i + 1 : i + 6]:
            if u.low in _PAUSE:
                break
            if u.low in _SKIP or u.low in NEGATIONS or u.low in _STOP:
                continue
            negated.add(_stem(u.low))
            seen += 1
            if seen == 2:
                break
    return negated, _content(tokens) - negated


def _negation(claim: list[_Tok], evidence: list[_Tok]) -> bool:
    c_neg, c_pos = _negated(claim)
    e_neg, e_pos = _negated(evidence)
    return bool((c_neg & e_pos) - e_neg) or bool((e_neg & c_pos) - c_neg)


@lru_cache(maxsize=1)
def _opposite_stems() -> dict[str, frozenset[str]]:
    found: dict[str, frozenset[str]] = {}
    for word, others in OPPOSITES.items():
        found[_stem(word)] = found.get(_stem(word), frozenset()) | {_stem(o) for o in others}
    return found


def _opposite(claim: list[_Tok], evidence: list[_Tok]) -> bool:
    c_count = Counter(_stem(t.low) for t in claim)
    e_count = Counter(_stem(t.low) for t in evidence)
    c_neg, _ = _negated(claim)
    opposites = _opposite_stems()
    for w, n in c_count.items():
        if w in c_neg or e_count[w] >= n:
            continue  # negated in the claim, or no more often in the claim than the evidence
        if any(e_count[o] > c_count[o] for o in opposites.get(w, ())):
            return True
    return False


def _voice_changed(claim: list[_Tok], evidence: list[_Tok]) -> bool:
    """"A beat B" / "B was beaten by A": the actors' order tells nothing then."""
    return any(t.low == "by" for t in claim) != any(t.low == "by" for t in evidence)


def _once(tokens: list[_Tok], keep) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Positions of the words picked by ``keep`` that the sentence has exactly once."""
    seen = Counter(t.low for t in tokens)
    return {t.low: i for i, t in enumerate(tokens) if keep(t) and seen[t.low] == 1}


def _crossed(claim: list[_Tok], evidence: list[_Tok]) -> bool:
    """Two name words of both sentences stand on either side of a word they share (the
    predicate), in one order in the claim and the other in the evidence: the actors of
    "Chile's Supreme Court ruled Pinochet could face charges" swapped, as "Chile's
    Pinochet ruled Supreme Court could face charges", even where a swap splits a name."""
    c_names, e_names = _once(claim, is_name), _once(evidence, is_name)
    shared = [n for n in c_names if n in e_names]
    if len(shared) < 2:
        return False

    def pivot(t: _Tok) -> bool:
        return not t.cap and t.low not in _STOP and t.low not in _PAUSE and t.low not in _SKIP

    c_piv, e_piv = _once(claim, pivot), _once(evidence, pivot)
    pivots = [(c_piv[w], e_piv[w]) for w in c_piv if w in e_piv]
    for i, a in enumerate(shared):
        for b in shared[i + 1 :]:
            ca, cb, ea, eb = c_names[a], c_names[b], e_names[a], e_names[b]
            if (ca < cb) == (ea < eb):
                continue
            if any(min(ca, cb) < cp < max(ca, cb) and min(ea, eb) < ep < max(ea, eb)
                   for cp, ep in pivots):
                return True
    return False


def _roles(claim: list[_Tok], evidence: list[_Tok]) -> bool:
    if _voice_changed(claim, evidence):
        return False
    if _crossed(claim, evidence):
        return True
    c_names: dict[str, int] = {}
    e_names: dict[str, int] = {}
    for p, n in _names(claim):
        c_names.setdefault(n, p)
    for p, n in _names(evidence):
        e_names.setdefault(n, p)
    shared = [n for n in c_names if n in e_names]
    if len(shared) < 2:
        return False
    c_low = [_stem(t.low) if t.low not in _PAUSE else "" for t in claim]
    e_low = [_stem(t.low) if t.low not in _PAUSE else "" for t in evidence]
    for i, a in enumerate(shared):
        for b in shared[i + 1 :]:
            ca, cb, ea, eb = c_names[a], c_names[b], e_names[a], e_names[b]
            if (ca < cb) == (ea < eb):
                continue
            between_c = set(c_low[min(ca, cb) + 1 : max(ca, cb)]) - _STOP - {""}
            between_e = set(e_low[min(ea, eb) + 1 : max(ea, eb)]) - _STOP - {""}
            if between_c & between_e - {_stem(w) for w in (a + " " + b).split()}:
                return True
    return False


def _slot(tokens: list[_Tok], i: int) -> set[str]:
    """The words right before and after position ``i`` (what a value stands for)."""
    near = set()
    for j in (i - 2, i - 1, i + 1, i + 2):
        if 0 <= j < len(tokens) and tokens[j].low not in _STOP and tokens[j].low not in _PAUSE:
            near.add(_stem(tokens[j].low))
    return near


def _changed(claim: list[_Tok], evidence: list[_Tok], pick) -> bool:  # type: ignore[no-untyped-def]
    """Tell whether a value picked by ``pick`` in the claim stands where the evidence has
    another (same neighbouring words, or the only value of its kind in both)."""
    c_vals = [(i, t.low) for i, t in enumerate(claim) if pick(t)]
    e_vals = [(i, t.low) for i, t in enumerate(evidence) if pick(t)]
    e_set = {v for _, v in e_vals}
    c_set = {v for _, v in c_vals}
    for i, v in c_vals:
        if v in e_set:
            continue
        others = [(j, w) for j, w in e_vals if w not in c_set]
        if not others:
            continue
        if len(c_vals) == 1 and len(e_vals) == 1:
            return True
        if any(_slot(claim, i) & _slot(evidence, j) for j, _ in others):
            return True
    return False


def _is_number(t: _Tok) -> bool:
    return t.low[:1].isdigit() and not (len(t.low) == 4 and t.low[:2] in ("19", "20"))


def _is_date(t: _Tok) -> bool:
    return t.low in WEEKDAYS or t.low in MONTHS or (
        len(t.low) == 4 and t.low.isdigit() and t.low[:2] in ("19", "20"))


def _place(claim: list[_Tok], evidence: list[_Tok]) -> bool:
    """A name of the claim stands where the evidence has another name.

    Names are compared word by word in any case, so "President Volodymyr Zelenskyy" and
    "president Volodymyr Zelenskyy" (one capital fewer, so other runs of capitals) agree.
    """
    c_words = {t.low for t in claim}
    e_words = {t.low for t in evidence}
    for i, name in _names(claim):
        if all(w in e_words for w in name.split()):
            continue
        for j, other in _names(evidence):
            if all(w in c_words for w in other.split()):
                continue
            if _slot(claim, i) & _slot(evidence, j):
                return True
    return False


def _said(tokens: list[_Tok]) -> bool:
    return any(t.low in SAYING for t in tokens)


def _attribution(
    claim: list[_Tok], evidence: list[_Tok], before: Sequence[str] | None = None
) -> bool:
    if not _said(evidence):  # the claim gives the source's statement to somebody it names
        return _said(claim) and speakers.unsourced(claim, evidence, before)
    if not _said(claim):
        return True  # the source reports it as somebody's words; the claim states it
    return speakers.moved(claim, evidence, before)


def differences(
    claim: str, evidence: str, before: Sequence[str] | None = None
) -> tuple[str, ...]:
    """Return the kinds of difference (:data:`KINDS`) between a claim and an evidence sentence.

    ``before``: the sentences before the evidence in its source, where a pronoun that
    speaks in the evidence ("He said ...") finds whom it stands for (None: unknown).
    """
    c, e = _tokens(claim), _tokens(evidence)
    found = []
    if _negation(c, e):
        found.append("negation")
    if _opposite(c, e):
        found.append("opposite")
    if _roles(c, e):
        found.append("roles")
    if _changed(c, e, _is_number):
        found.append("number")
    if _changed(c, e, _is_date):
        found.append("date")
    if _place(c, e):
        found.append("place")
    if _attribution(c, e, before):
        found.append("attribution")
    return tuple(found)
