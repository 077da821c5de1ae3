"""Facts of a sentence (numbers, names, dates) and whether its sources state them.

``unsupported_facts`` lists a sentence's numbers and capitalised names
that no source contains; ``novel_words`` its other content words that no source
contains, even inflected (same Porter stem) or spelt differently (one letter
off, ``Vocabulary.has_name_word``). Lower-cased text has no capitals to tell
names by, so there an invented name shows up as a novel word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..text import words

NEAR_RATIO = 0.85  # spelling variants: Indel similarity at least this ...


NEAR_MIN_LETTERS = 5  # ... between words this long or longer


_NUMBER = re.compile(r"\d")
_NUMBER_RUN = re.compile(r"\d+(?:[.,]\d+)*")


_FACT = re.compile(
    r"\d+(?:[.,]\d+)*"  # a number: 45, 1.5, 45,000
    r"|\b(?:[A-Z]\.){2,}"  # an acronym with dots: U.S.
    r"|(?<![.!?\"“]\s)(?<!^)\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*"  # a name, not sentence-initial
)


_MONTHS_AND_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "i",
}


def facts(sentence: str) -> list[str]:
    """Return the numbers and capitalised names a sentence states."""
    found = []
    for match in _FACT.findall(sentence.strip()):
        if match.lower() not in _MONTHS_AND_DAYS:
            found.append(match)
    return list(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words of the sources, prepared once for fact and novelty checks."""

    words: frozenset[str]
    digits: frozenset[str]
    stems: frozenset[str]
    bigrams: frozenset[tuple[str, str]] = frozenset()  # consecutive word stems, as ROUGE-2
    trigrams: frozenset[str] = frozenset()  # three consecutive word stems, space-joined

    def has_name_word(self, word: str) -> bool:
        """Tell whether a name's word is in the sources as some source spells it.

        Case does not matter, a possessive "'s" does; a spelling variant counts only
        when a source uses it ("Zelenskyy" needs a source that writes "Zelenskyy"), so
        "Rigelio" is not "Rogelio".
        """
        return bare_name(word) in self.words

    def has_word(self, word: str) -> bool:
        """Tell whether a word is in the sources as written, inflected (same stem) or varied.

        A variant (not for names: ``has_name_word``) has at least ``NEAR_MIN_LETTERS``
        letters, a length within one letter and an Indel similarity ``2·LCS / (|a| + |b|)``
        of at least ``NEAR_RATIO``: "criticised" ~ "criticized"; not "world" ~ "would"."""
        word = _POSSESSIVE.sub("", word)
        return word in self.words or stem(word) in self.stems or _near(word, self.words)


_POSSESSIVE = re.compile(r"['’]s?$")


def bare_name(word: str) -> str:
    """Return a name's word as names are compared: dots and a possessive ending dropped
    ("U.S." is "US", "Castro's" is "Castro")."""
    return _POSSESSIVE.sub("", word.replace(".", ""))


_BRITISH = re.compile(r"(?<=\w\w)is(e|es|ed|ing|ation|ations)$")


def stem(word: str) -> str:
    """Return the Porter stem of a word, British "-ise" spelt "-ize" first."""
    return _porter()(_BRITISH.sub(r"iz\1", word))


@lru_cache(maxsize=1)
def _porter():  # type: ignore[no-untyped-def]
    from nltk.stem.porter import PorterStemmer

    return lru_cache(maxsize=100_000)(PorterStemmer().stem)


def _near(word: str, vocabulary: frozenset[str]) -> bool:
    """Tell whether a vocabulary word is a spelling variant of ``word`` (see ``has_name_word``)."""
    if len(word) < NEAR_MIN_LETTERS or _NUMBER.search(word):
        return False
    from rapidfuzz import fuzz, process

    close = [w for w in vocabulary if abs(len(w) - len(word)) <= 1]
    found = process.extractOne(word, close, scorer=fuzz.ratio, score_cutoff=NEAR_RATIO * 100)
    return found is not None


def vocabulary(source_text: str) -> Vocabulary:
    """Collect the words, numbers, word stems and pairs of word stems of the sources."""
    tokens = words(source_text)
    plain = {w.replace(".", "") for w in set(tokens)}
    found = plain | {_POSSESSIVE.sub("", w) for w in plain}
    # every number inside a word counts as known: "65th", "1950s", "533mm", "£30bn",
    # "6.28PM", "pad 37B" state 65, 1950, 533, 30, 6.28, 37 (a sentence's facts are numbers
    # alone)
    digits = frozenset(re.sub(r"[.,]", "", n) for w in found for n in _NUMBER_RUN.findall(w))
    stems = [stem(w) for w in tokens]
    return Vocabulary(frozenset(found), digits, frozenset(stem(w) for w in found),
                      frozenset(zip(stems, stems[1:], strict=False)),
                      frozenset(map(" ".join, zip(stems, stems[1:], stems[2:], strict=False))))


def unsupported_facts(sentence: str, source_text: str | Vocabulary) -> list[str]:
    """Return the numbers and names of a sentence that appear nowhere in the sources.

    A name counts as present when each of its words appears in the sources
    (case-insensitive), so "President Biden" is supported by "Joe Biden ... the
    president"; a spelling variant of a word counts too (``Vocabulary.has_name_word``).
    A number counts as present when the same digits appear.
    """
    known = source_text if isinstance(source_text, Vocabulary) else vocabulary(source_text)
    missing = []
    for fact in facts(sentence):
        if _NUMBER.match(fact):
            if re.sub(r"[.,]", "", fact) not in known.digits:
                missing.append(fact)
        elif not all(known.has_name_word(w) for w in words(fact)):
            missing.append(fact)
    return missing


def novel_words(sentence: str, source_text: str | Vocabulary) -> list[str]:
    """Return the content words of a sentence that no source has, even inflected or varied.

    Numbers are left to ``unsupported_facts``. In lower-cased text, where names
    cannot be told by their capitals, a name absent from the sources shows up here.
    """
    known = source_text if isinstance(source_text, Vocabulary) else vocabulary(source_text)
    found = []
    for word in dict.fromkeys(words(sentence)):
        bare = _POSSESSIVE.sub("", word)
        if bare in ENGLISH_STOP_WORDS or _NUMBER.search(bare) or len(bare) < 2:
            continue
        if not known.has_word(bare):
            found.append(bare)
    return found
