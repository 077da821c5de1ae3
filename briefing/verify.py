"""Align summary sentences with the source sentences that support them.

A summary sentence is scored against every sentence of its sources by the mean
of two signals, each in [0, 1]: the cosine of their sentence embeddings, and
the share of the summary sentence's content words (stop words removed,
lower-cased) that the source sentence contains. A sentence copied verbatim
scores 1. Citations are the articles of the evidence that reaches
``CITE_MIN``; nothing is cited on a backend's word. An event with more than
``ALIGN_SOURCES`` source sentences (a very long article) is searched among those
that share the most content words with each summary sentence (``preselect``; a
source sentence sharing none scores at most 0.5, below ``CITE_MIN``).

Facts: ``unsupported_facts`` lists a sentence's numbers and capitalised names
that no source contains; ``novel_words`` its other content words that no source
contains, even inflected (same Porter stem) or spelt differently (one letter
off, ``Vocabulary.has_name_word``). Lower-cased text has no capitals to tell
names by, so there an invented name shows up as a novel word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .embed import DECIMALS, Embedder, get_embedder
from .injection import is_instruction
from .models import Article, Evidence
from .text import split_sentences, words

CITE_MIN = 0.55  # evidence at or above this score is cited
MAX_EVIDENCE = 3
ALIGN_SOURCES = 400  # embed at most about this many source sentences per event
NEAR_RATIO = 0.85  # spelling variants: Indel similarity at least this ...
NEAR_MIN_LETTERS = 5  # ... between words this long or longer
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class SourceSentence:
    """A sentence of a source: its article, its position and text."""

    article_id: str
    position: int
    text: str


@dataclass(frozen=True, slots=True)
class Alignment:
    """The evidence found for one summary sentence, best first."""

    text: str
    score: float
    evidence: tuple[Evidence, ...]

    @property
    def citations(self) -> tuple[str, ...]:
        """Return the ids of the articles whose evidence reaches CITE_MIN, best first."""
        cited = [e.article_id for e in self.evidence if e.score >= CITE_MIN]
        return tuple(dict.fromkeys(cited))


def content_words(text: str) -> set[str]:
    """Return the lower-cased words of a text that are not stop words."""
    return {w for w in words(text) if w not in ENGLISH_STOP_WORDS}


def source_sentences(articles: Sequence[Article]) -> list[SourceSentence]:
    """Split every article (title included) into source sentences.

    Sentences that address a language model (``injection.is_instruction``) are left
    out: an instruction is never evidence. Positions still count them.
    """
    found = []
    for a in articles:
        parts = ([a.title] if a.title.strip() else []) + split_sentences(a.text)
        found.extend(
            SourceSentence(a.id, i, s) for i, s in enumerate(parts) if not is_instruction(s)
        )
    return found


def source_text(articles: Sequence[Article]) -> str:
    """Return the articles' titles and sentences, instructions to a model left out."""
    return "\n".join(s.text for s in source_sentences(articles))


def lexical_support(sentence: str, source: str) -> float:
    """Return the share of the sentence's content words found in the source sentence."""
    wanted = content_words(sentence)
    if not wanted:
        return 0.0
    return len(wanted & content_words(source)) / len(wanted)


def support_matrix(
    sentences: Sequence[str],
    sources: Sequence[SourceSentence],
    *,
    embedder: Embedder | None = None,
) -> np.ndarray:
    """Return the support of each sentence (rows) by each source sentence (columns).

    support = (cosine⁺(embeddings) + share of the sentence's content words in the
    source sentence) / 2, in [0, 1]; a verbatim copy (whitespace trimmed) scores 1.
    """
    if not sentences or not sources:
        return np.zeros((len(sentences), len(sources)), dtype=np.float64)
    model = embedder or get_embedder()
    vectors = model.encode([s.text for s in sources])
    queries = model.encode(list(sentences))
    # float64 and rounded (as grouping's similarities): the BLAS kernel must not
    # reorder the evidence of a sentence.
    cosine = np.clip(queries.astype(np.float64) @ vectors.astype(np.float64).T, 0.0, 1.0)
    cosine = cosine.round(DECIMALS)
    source_words = [content_words(s.text) for s in sources]
    stripped = [s.text.strip() for s in sources]
    scores = np.empty_like(cosine)
    for q, sentence in enumerate(sentences):
        wanted = content_words(sentence)
        lexical = np.array(
            [len(wanted & sw) / len(wanted) if wanted else 0.0 for sw in source_words]
        )
        scores[q] = ((cosine[q] + lexical) / 2).round(DECIMALS)
        exact = [i for i, s in enumerate(stripped) if s == sentence.strip()]
        scores[q, exact] = 1.0
    return scores


def preselect(
    sentences: Sequence[str], sources: Sequence[SourceSentence], limit: int
) -> list[SourceSentence]:
    """Keep at most about ``limit`` source sentences: those sharing most content words.

    Each summary sentence keeps its ``limit // len(sentences)`` (at least 20) best
    source sentences by shared content words; sources in their original order.
    """
    if len(sources) <= limit:
        return list(sources)
    per = max(limit // max(len(sentences), 1), 20)
    bags = [content_words(s.text) for s in sources]
    keep: set[int] = set()
    for sentence in sentences:
        wanted = content_words(sentence)
        shared = np.array([len(wanted & b) for b in bags])
        keep.update(int(i) for i in np.argsort(-shared, kind="stable")[:per])
    return [sources[i] for i in sorted(keep)]


def align(
    sentences: Sequence[str],
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
) -> list[Alignment]:
    """Find the supporting source sentences of each summary sentence."""
    if not sentences:
        return []
    sources = preselect(sentences, source_sentences(articles), ALIGN_SOURCES)
    if not sources:
        return [Alignment(s, 0.0, ()) for s in sentences]
    matrix = support_matrix(sentences, sources, embedder=embedder)
    results = []
    for q, sentence in enumerate(sentences):
        score = matrix[q]
        best = np.argsort(-score, kind="stable")[: MAX_EVIDENCE * 4]
        evidence: list[Evidence] = []
        seen: set[str] = set()
        for i in best:
            key = sources[i].text
            if key in seen:
                # the same sentence in another article is evidence from that article too
                if float(score[i]) >= CITE_MIN:
                    evidence.append(Evidence(sources[i].article_id, key, round(float(score[i]), 3)))
                continue
            seen.add(key)
            if len(seen) > MAX_EVIDENCE:
                break
            evidence.append(Evidence(sources[i].article_id, key, round(float(score[i]), 3)))
        results.append(Alignment(sentence, round(float(score[best[0]]), 3), tuple(evidence)))
    return results


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

    def has_name_word(self, word: str) -> bool:
        """Tell whether a name's word is in the sources, allowing a spelling variant.

        A variant has at least ``NEAR_MIN_LETTERS`` letters, a length within one
        letter and an Indel similarity ``2·LCS / (|a| + |b|)`` of at least
        ``NEAR_RATIO``: "Zelensky" ~ "Zelenskyy" ~ "Zelenskiy", "criticised" ~
        "criticized"; but not "world" ~ "would" (0.8) or "Austria" ~ "Australia".
        """
        word = _POSSESSIVE.sub("", word.replace(".", ""))
        return word in self.words or _near(word, self.words)

    def has_word(self, word: str) -> bool:
        """Tell whether a word is in the sources as written, inflected (same stem) or varied."""
        word = _POSSESSIVE.sub("", word)
        return word in self.words or _stem(word) in self.stems or _near(word, self.words)


_POSSESSIVE = re.compile(r"['’]s?$")


_BRITISH = re.compile(r"(?<=\w\w)is(e|es|ed|ing|ation|ations)$")


def _stem(word: str) -> str:
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
    """Collect the words, numbers and word stems of the sources."""
    plain = {w.replace(".", "") for w in set(words(source_text))}
    found = plain | {_POSSESSIVE.sub("", w) for w in plain}
    digits = frozenset(re.sub(r"[.,]", "", w) for w in found if _NUMBER.search(w))
    return Vocabulary(frozenset(found), digits, frozenset(_stem(w) for w in found))


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
