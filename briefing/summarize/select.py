"""Pick the salient, non-redundant sentences of an event's articles for a prompt.

A small model given whole articles copies the first one and overruns its
budget, so the prompt gets a selection instead: every sentence of every
article is scored by its TF-IDF cosine to the event's centroid plus a bonus
for lead position, then chosen greedily by maximal marginal relevance (MMR)
until the token budget is spent. Captions ("... Picture: Getty"), link lines
("Also read: ..."), headline lines (no final punctuation), fragments under
MIN_WORDS words and instructions aimed at the model (``injection.py``) are never
candidates. The result is deterministic (ties go to the
earlier source and sentence) and comes back in reading order: by source, then
by position in the source.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..check.injection import is_instruction
from ..records import Article, Limit
from ..text import split_sentences, word_count, words

MIN_WORDS = 5
LEAD_BONUS = 0.2
MMR_LAMBDA = 0.7
MAX_SIMILARITY = 0.75

_STOPWORDS = frozenset(
    """a about after again against all also am an and any are as at be because been before
    being between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours out over own said same says she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours""".split()
)

Vector = dict[str, float]

_CAPTION = re.compile(r"\b(?:Pictures?|Photos?|Image|Credit)\s*:\s*[^.!?]{1,60}$", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"^(?:also read|read more|related|advertisement|click here|sign up|subscribe)\b", re.IGNORECASE
)
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")


@dataclass(frozen=True, slots=True)
class _Candidate:
    source: int
    position: int
    text: str
    tokens: int
    vector: Vector


def estimate_tokens(text: str) -> int:
    """Estimate a text's token count as four tokens for every three words."""
    return math.ceil(word_count(text) * 4 / 3)


def _sentences(text: str) -> list[str]:
    """Split text into sentences, leaving out captions, link lines, headlines and fragments."""
    kept = []
    for paragraph in text.splitlines():
        if _CAPTION.search(paragraph.strip()):
            continue
        for sentence in split_sentences(paragraph):
            if (
                word_count(sentence) >= MIN_WORDS
                and _ENDS_SENTENCE.search(sentence)
                and not _BOILERPLATE.match(sentence)
                and not is_instruction(sentence)
            ):
                kept.append(sentence)
    return kept


def _terms(text: str) -> list[str]:
    return [w for w in words(text) if w not in _STOPWORDS and any(c.isalnum() for c in w)]


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _normalise(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _candidates(
    articles: Sequence[Article], count_tokens: Callable[[str], int]
) -> list[_Candidate]:
    raw: list[tuple[int, int, str, Counter[str]]] = []
    for source, article in enumerate(articles, start=1):
        for position, sentence in enumerate(_sentences(article.text)):
            raw.append((source, position, sentence, Counter(_terms(sentence))))
    df: Counter[str] = Counter()
    for *_, terms in raw:
        df.update(terms.keys())
    n = len(raw)
    candidates = []
    for source, position, sentence, terms in raw:
        vector = {t: (1 + math.log(c)) * math.log((1 + n) / (1 + df[t])) for t, c in terms.items()}
        candidates.append(
            _Candidate(source, position, sentence, count_tokens(sentence), _normalise(vector))
        )
    return candidates


def _salience(candidates: Sequence[_Candidate]) -> list[float]:
    centroid: dict[str, float] = {}
    for c in candidates:
        for k, v in c.vector.items():
            centroid[k] = centroid.get(k, 0.0) + v
    unit = _normalise(centroid)
    return [_cosine(c.vector, unit) + LEAD_BONUS / (1 + c.position) for c in candidates]


@dataclass(frozen=True, slots=True)
class Selection:
    """The sentences picked for a prompt, and how many candidates (and tokens) there were."""

    picked: tuple[tuple[int, str], ...]
    candidates: int
    candidate_tokens: int
    budget_tokens: int

    @property
    def input_cut(self) -> Limit | None:
        """Return the ``max_input_tokens`` limit when the candidates did not all fit."""
        if self.candidate_tokens <= self.budget_tokens:
            return None
        return Limit("max_input_tokens", "", self.budget_tokens, len(self.picked),
                     self.candidates, "source sentences")


def select_sentences(
    articles: Sequence[Article],
    *,
    budget_tokens: int,
    count_tokens: Callable[[str], int] = estimate_tokens,
) -> list[tuple[int, str]]:
    """Return (1-based source number, sentence) pairs that fit ``budget_tokens``, in order."""
    return list(
        select_excerpts(articles, budget_tokens=budget_tokens, count_tokens=count_tokens).picked
    )


def select_excerpts(
    articles: Sequence[Article],
    *,
    budget_tokens: int,
    count_tokens: Callable[[str], int] = estimate_tokens,
) -> Selection:
    """Pick (1-based source number, sentence) pairs that fit ``budget_tokens``, in order.

    Score = cosine(sentence, centroid) + LEAD_BONUS / (1 + position); each pick
    maximises MMR_LAMBDA * score - (1 - MMR_LAMBDA) * max cosine to the picks,
    skipping sentences over MAX_SIMILARITY to a pick or over the remaining budget.
    """
    candidates = _candidates(articles, count_tokens)
    salience = _salience(candidates)
    chosen: list[int] = []
    overlap = [0.0] * len(candidates)
    remaining = budget_tokens
    pool = [i for i, c in enumerate(candidates) if c.tokens <= budget_tokens]
    while pool:
        eligible = [i for i in pool if overlap[i] <= MAX_SIMILARITY]
        if not eligible:
            break
        best = max(
            eligible, key=lambda i: (MMR_LAMBDA * salience[i] - (1 - MMR_LAMBDA) * overlap[i], -i)
        )
        chosen.append(best)
        remaining -= candidates[best].tokens
        pool = [i for i in eligible if i != best and candidates[i].tokens <= remaining]
        for i in pool:
            overlap[i] = max(overlap[i], _cosine(candidates[i].vector, candidates[best].vector))
    picks = sorted(chosen, key=lambda i: (candidates[i].source, candidates[i].position))
    return Selection(
        picked=tuple((candidates[i].source, candidates[i].text) for i in picks),
        candidates=len(candidates),
        candidate_tokens=sum(c.tokens for c in candidates),
        budget_tokens=budget_tokens,
    )
