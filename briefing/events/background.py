"""Fixed word weights from a background sample of English, not from the corpus.

The weight of a word is its inverse document frequency estimated from the
``wordfreq`` package's English word frequencies (``idf = ln(1 / frequency)``),
the same whatever else is in the corpus. A word ``wordfreq`` does not know (a rare
name, a place) gets the weight of the rarest words, ``MAX_IDF``. A phrase (a name of
several words) is as rare as its words together: ``1 / f = sum(1 / f_i)``, as
``wordfreq`` combines tokens. Digits count as ``0`` (``wordfreq`` stores numbers so).

:func:`weighted_rows` turns texts into L2-normalised rows of sublinear term
frequency times these weights: the cosine of two rows depends on those two texts
only, so the similarity of a pair does not drift with the corpus.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

MIN_FREQUENCY = 1e-8  # the frequency of a word wordfreq does not know
MAX_IDF = math.log(1 / MIN_FREQUENCY)
_DIGIT = re.compile(r"\d")


@cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en", wordlist="large")


def idf(term: str) -> float:
    """Return the background weight of a word or a phrase of words (lower-case)."""
    table = _frequencies()
    inverse = 0.0
    for word in _DIGIT.sub("0", term).split():
        inverse += 1 / max(table.get(word, MIN_FREQUENCY), MIN_FREQUENCY)
    return min(math.log(inverse), MAX_IDF) if inverse else MAX_IDF


def weighted_rows(
    texts: Sequence[str], *, analyzer: str | Callable[[str], list[str]] = "word", **options: object
) -> sparse.csr_matrix:
    """Return L2-normalised rows of (1 + ln tf) x background idf, one per text."""
    counts = CountVectorizer(analyzer=analyzer, **options)  # type: ignore[arg-type]
    try:
        tf = counts.fit_transform(texts).tocsr().astype(np.float64)  # one pass over the texts
    except ValueError:  # empty vocabulary: no words at all
        return sparse.csr_matrix((len(texts), 1))
    tf.data = 1.0 + np.log(tf.data)
    weights = np.array([idf(t) for t in counts.get_feature_names_out()], dtype=np.float64)
    return normalize(tf @ sparse.diags(weights), copy=False).tocsr()
