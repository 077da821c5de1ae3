"""Whether two groups of articles name the same places, people and organisations.

A story's lead names where it happened and who it is about: the town of a fire, the
victim of a shooting, the team making an offer. Two reports of one story share them;
two events of the same kind (a second fire at the same supermarket chain, in another
town) do not, though their words and embeddings are close. The cover of one group by
another is the share of the names in the first group's leads (title and first
``LEAD_WORDS`` words) that the second group's texts mention anywhere, each name
weighted by its background rarity (:func:`briefing.events.background.idf`).
:func:`name_cover` is the geometric mean of the two covers: a follow-up mentions
the earlier report's town and victim but brings names of its own (a suspect
arrested, a judge), so one cover may be low where the other is high, but it is 0
when either group names nothing the other mentions. It depends on the two groups
only, never on the rest of the corpus.

A name is a capitalised word that does not open a sentence or a line (so "The"
opening a sentence, or "Police" after a dateline's dash or a colon, is no name) and
is not an English stop word. Words are split at hyphens ("Miami-Dade" names Miami
and Dade) and lose a possessive "'s". Not names of the story: days, months and time
zones (any report carries a date), the outlet's own name (a label of its web address
or source: "WSVN" on wsvn.com), and the words of a title in title case ("Man Shot In
The Head"), where capitals mark no name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..records import Article
from .background import idf
from .similarity import LEAD_WORDS

_NAME = re.compile(r"(?<![.!?:\-–—\n]\s)(?<!^)\b([A-Z][\w'’]*[a-z][\w'’]*|[A-Z]{2,})\b", re.M)
_WORD = re.compile(r"[^\W\d_][\w'’]*")
_POSSESSIVE = re.compile(r"['’]s$")
_TRIM = "'’"
_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?([^/:?#]+)")
_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur "
    "thurs fri sat sun january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec "
    "gmt bst utc cet cest est edt cst cdt mst mdt pst pdt".split()
)
TITLE_CASE = 0.6  # a title with at least this share of its words capitalised is in title case


def _clean(word: str) -> str:
    return _POSSESSIVE.sub("", word.lower().strip(_TRIM)).strip(_TRIM)


def _outlet(article: Article) -> frozenset[str]:
    """Return the labels of an article's web address and source ("wsvn" of wsvn.com)."""
    labels: set[str] = set()
    for where in (article.url, article.source):
        if where and (m := _HOST.match(where.strip().lower())):
            labels.update(re.split(r"[.\s]+", m.group(1)))
    return frozenset(labels)


def _title_case(title: str) -> bool:
    words = [w for w in _WORD.findall(title) if w.lower() not in ENGLISH_STOP_WORDS]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= TITLE_CASE * len(words)


def lead_names(article: Article) -> frozenset[str]:
    """Return the names (lower-case) in an article's title and lead."""
    lead = " ".join(article.text.split()[:LEAD_WORDS])
    if not _title_case(article.title):
        lead = f"{article.title}\n{lead}"
    found = (_clean(m.group(1)) for m in _NAME.finditer(lead))
    skip = ENGLISH_STOP_WORDS | _TIME_WORDS | _outlet(article)
    return frozenset(w for w in found if len(w) > 1 and w not in skip)


def vocabulary(article: Article) -> frozenset[str]:
    """Return every word (lower-case, hyphenated words by part) of an article's title and text."""
    text = f"{article.title}\n{article.text}"
    return frozenset(_clean(w) for w in _WORD.findall(text))


def cover(names: frozenset[str], words: frozenset[str]) -> float:
    """Return the share (by rarity) of ``names`` found in ``words``; 1 when nothing is named."""
    if not names:
        return 1.0  # nothing named, nothing contradicted
    weight = {n: idf(n) for n in sorted(names)}
    return sum(w for n, w in weight.items() if n in words) / sum(weight.values())


def name_cover(ours: Sequence[Article], theirs: Sequence[Article]) -> float:
    """Return the geometric mean of the two groups' covers of each other's lead names."""
    our_names = frozenset().union(*(lead_names(a) for a in ours))
    their_names = frozenset().union(*(lead_names(a) for a in theirs))
    our_words = frozenset().union(*(vocabulary(a) for a in ours))
    their_words = frozenset().union(*(vocabulary(a) for a in theirs))
    return math.sqrt(cover(our_names, their_words) * cover(their_names, our_words))
