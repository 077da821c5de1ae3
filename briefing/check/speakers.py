"""Who a sentence says is speaking: the speaker of "said", "told", "according to".

:func:`speaker` reads the words of the speaker of each reporting verb
(``lexicon.SAYING``) of a sentence: the words right before the verb ("Sheriff Mike
Waguespack said", "police have said", "he told"), else right after it ("..., said
Smith."), or those after "according to". :func:`moved` tells whether a claim gives the
words of its evidence to somebody else:

- both name a person or body: their name words (titles and words like "police" left
  out) share nothing ("Bush said" / "Stephen Hadley said");
- the evidence gives them to a group (``lexicon.GROUPS``: "police said", "officials
  said"), the claim to somebody named: they share no word ("Chief Altgelt said";
  "Michigan State Police said" shares "police");
- the evidence has a pronoun or a kind of speaker ("He said", "the company said"): none
  of the claim's name words stands for it in the sentences before the evidence
  (``before``: the last named speaker there, else any capitalised word); without those
  sentences nothing is said to differ.

:func:`unsourced` tells whether a claim names a speaker for what its evidence states
without one, a speaker that neither the evidence nor the sentences before it name.
"""

from __future__ import annotations

from collections.abc import Sequence

from .lexicon import GROUPS, MONTHS, REPORTING, SAYING, SPEAKERS, SUBJECT_PRONOUNS, TITLES, WEEKDAYS
from .tokens import PAUSE, STOP, Tok, is_name, tokenize

_BETWEEN = frozenset(
    """also later earlier previously then have has had would will reportedly repeatedly once
    again further yesterday today""".split()
)  # words that may stand between a speaker and its verb ("police have said")


def _part(t: Tok) -> bool:
    """Tell whether a word can be part of a speaker's description."""
    if t.low in WEEKDAYS or t.low in MONTHS:
        return False
    return is_name(t) or t.low in SPEAKERS or t.low in TITLES


def _before(tokens: list[Tok], i: int) -> list[Tok]:
    j = i - 1
    while j >= 0 and tokens[j].low in _BETWEEN and i - j <= 2:
        j -= 1
    if j >= 0 and tokens[j].low in SUBJECT_PRONOUNS:
        return [tokens[j]]
    found: list[Tok] = []
    while j >= 0 and _part(tokens[j]):
        found.insert(0, tokens[j])
        j -= 1
    if not found and j >= 0 and tokens[j].low.isalpha():  # "Some said", "the company said"
        found.append(tokens[j])
    return found


def _after(tokens: list[Tok], i: int, *, anyone: bool = False) -> list[Tok]:
    j = i + 1
    found: list[Tok] = []
    while j < len(tokens) and tokens[j].low not in PAUSE:
        if _part(tokens[j]) or (anyone and tokens[j].low not in STOP):
            found.append(tokens[j])
        elif not anyone and (found or tokens[j].low != "the"):
            break
        j += 1
    return found


def speaker(tokens: list[Tok]) -> list[Tok]:
    """Return the words of the speakers of a sentence's reporting verbs."""
    who: list[Tok] = []
    for i, t in enumerate(tokens):
        if t.low not in SAYING:
            continue
        if t.low == "according":
            if i + 1 < len(tokens) and tokens[i + 1].low == "to":  # "according to a survey by"
                who += _after(tokens, i + 1, anyone=True)
            continue
        found = _before(tokens, i)
        if not found and t.low not in ("told", "tells"):  # after "told" is whom it was told
            found = _after(tokens, i)
        who += found
    return who


def _named(words: list[Tok]) -> set[str]:
    """The name words of a speaker: written with a capital, not a title or a kind."""
    return {t.low for t in words if t.text[:1].isupper() and t.low not in TITLES
            and t.low not in SPEAKERS and t.low not in SUBJECT_PRONOUNS
            and t.low not in WEEKDAYS and t.low not in MONTHS}


def _referents(before: Sequence[str]) -> set[str]:
    """Whom a pronoun may stand for: the named speaker of the last sentence before it that
    has one, else every capitalised word before it."""
    for sentence in reversed(before):
        named = _named(speaker(tokenize(sentence)))
        if named:
            return named
    return {t.low for sentence in before for t in tokenize(sentence) if t.text[:1].isupper()}


def unsourced(claim: list[Tok], evidence: list[Tok], before: Sequence[str] | None) -> bool:
    """Tell whether the claim names a speaker of what the evidence states without one,
    and neither the evidence nor the sentences before it name that speaker (a quote's
    second sentence is the speaker's too: "Zelensky wrote: ... In particular, ...")."""
    named = _named(speaker(claim))
    if not named or any(t.low in REPORTING for t in evidence):
        return False
    around = {t.low for t in evidence}
    for sentence in before or ():
        around.update(t.low for t in tokenize(sentence))
    return not (named & around)


def moved(claim: list[Tok], evidence: list[Tok], before: Sequence[str] | None = None) -> bool:
    """Tell whether the claim gives what the evidence reports to another speaker."""
    c_toks, e_toks = speaker(claim), speaker(evidence)
    c_who, e_who = {t.low for t in c_toks}, {t.low for t in e_toks}
    if not c_who or not e_who or c_who <= SUBJECT_PRONOUNS | SPEAKERS:
        return False  # the claim names nobody, or the evidence's speaker is not found
    c_named, e_named = _named(c_toks), _named(e_toks)
    if c_named and e_named:
        return not (c_named & e_named)
    if e_who <= GROUPS:  # "police said": not a person whom the claim may name
        return not (c_who & e_who)
    if not c_named or before is None:
        return False
    # a pronoun or a kind of speaker ("he", "the company"): whom it stands for is before it
    return not (c_who & e_who) and not (c_named & _referents(before))
