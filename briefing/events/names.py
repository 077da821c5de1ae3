"""Whether two groups of articles name the same places, people and organisations.

A story's lead names where it happened and who it is about: the town of a fire, the
victim of a shooting, the team making an offer. Two reports of one story share them;
two events of the same kind (a second fire at the same supermarket chain, in another
town) do not, though their words and embeddings are close. :func:`name_cover` is the
share of the names in one group's leads (title and first ``LEAD_WORDS`` words) that
the other group's texts mention anywhere, each name weighted by its background
rarity (:func:`briefing.events.background.idf`), taken both ways and the smaller
kept. It depends on the two groups only, never on the rest of the corpus.

A name is a capitalised word that does not open a sentence or a line (so "The"
opening a sentence is no name) and is not an English stop word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..records import Article
from .background import idf
from .similarity import LEAD_WORDS

_NAME = re.compile(r"(?<![.!?\n]\s)(?<!^)\b([A-Z][\w'’-]*[a-z][\w'’-]*|[A-Z]{2,})\b", re.M)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_TRIM = "'’-"


def lead_names(article: Article) -> frozenset[str]:
    """Return the names (lower-case) in an article's title and lead."""
    lead = f"{article.title}\n{' '.join(article.text.split()[:LEAD_WORDS])}"
    found = (m.group(1).lower().strip(_TRIM) for m in _NAME.finditer(lead))
    return frozenset(w for w in found if len(w) > 1 and w not in ENGLISH_STOP_WORDS)


def vocabulary(article: Article) -> frozenset[str]:
    """Return every word (lower-case) of an article's title and text."""
    text = f"{article.title}\n{article.text}"
    return frozenset(w.lower().strip(_TRIM) for w in _WORD.findall(text))


def _cover(names: frozenset[str], words: frozenset[str]) -> float:
    if not names:
        return 1.0  # nothing named, nothing contradicted
    weight = {n: idf(n) for n in sorted(names)}
    return sum(w for n, w in weight.items() if n in words) / sum(weight.values())


def name_cover(ours: Sequence[Article], theirs: Sequence[Article]) -> float:
    """Return the smaller share (by rarity) of either group's lead names the other mentions."""
    our_names = frozenset().union(*(lead_names(a) for a in ours))
    their_names = frozenset().union(*(lead_names(a) for a in theirs))
    our_words = frozenset().union(*(vocabulary(a) for a in ours))
    their_words = frozenset().union(*(vocabulary(a) for a in theirs))
    return min(_cover(our_names, their_words), _cover(their_names, our_words))
