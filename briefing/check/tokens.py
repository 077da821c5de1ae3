"""The words of a sentence as the contradiction rules read them.

:func:`tokenize` splits a sentence into words, numbers and the punctuation that ends
a clause; "n't" becomes a word of its own and a possessive "'s" is dropped. A word
written with a capital counts as part of a name unless it opens the sentence and is
a common opener (``lexicon.OPENERS``: "The", "He", "Police" ...). :func:`names` joins
consecutive capitalised words into names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import MONTHS, OPENERS, WEEKDAYS

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?|\d+(?:[.,:]\d+)*|[,;:()]")
PAUSE = frozenset(",;:()")  # punctuation that ends a clause (and a negation's scope)
STOP = frozenset(
    """a an the of in on at to for from by with and or but as that this these those it its he
    she they them his her their we our you your i be been being is are was were am has have had
    do does did will would can could should may might must shall which who whom whose what when
    where there here than then so if into about over after before while also""".split()
)


@dataclass(frozen=True, slots=True)
class Tok:
    """One word of a sentence."""

    text: str  # as written
    low: str  # lower case
    cap: bool  # written with a capital, not opening the sentence


def tokenize(sentence: str) -> list[Tok]:
    """Split a sentence into the words the contradiction rules compare."""
    found = []
    for n, m in enumerate(_TOKEN.finditer(sentence.replace("n’t", "n't"))):
        word = m.group()
        if word.lower().endswith("n't"):
            stem = word[:-3]
            if stem.lower() in ("ca", "wo"):
                stem = {"ca": "can", "wo": "will"}[stem.lower()]
            found.append(Tok(stem, stem.lower(), False))
            found.append(Tok("n't", "n't", False))
            continue
        word = re.sub(r"['’]s$", "", word)
        cap = word[:1].isupper() and (n > 0 or word.lower() not in OPENERS)
        found.append(Tok(word, word.lower(), cap))
    return found


def is_name(t: Tok) -> bool:
    """Tell whether a word is part of a name (capitalised; not a day, month or number)."""
    return t.cap and t.low not in WEEKDAYS and t.low not in MONTHS and not t.text.isdigit()


def names(tokens: list[Tok]) -> list[tuple[int, str]]:
    """Return (position, name) of the runs of capitalised words."""
    found, run, start = [], [], 0
    for i, t in enumerate([*tokens, Tok("", "", False)]):
        if is_name(t):
            if not run:
                start = i
            run.append(t.low)
        elif run:
            found.append((start, " ".join(run)))
            run = []
    return found
