"""Plain-text helpers shared by every stage: normalising, words, sentences."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:[.,'’]\w+)*", re.UNICODE)


def normalize(text: str) -> str:
    """Return text with Unicode normalised (NFKC), whitespace collapsed and case folded."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def words(text: str) -> list[str]:
    """Split text into lower-case word tokens, numbers kept whole (``1.5``, ``45,000``)."""
    return [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFKC", text))]


def word_count(text: str) -> int:
    """Count the words of a text."""
    return len(_WORD.findall(text))


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; paragraphs (blank lines or line breaks) always end one."""
    sentences: list[str] = []
    for para in re.split(r"\n\s*\n|\n", text):
        para = _WS.sub(" ", para).strip()
        if not para:
            continue
        for sent in _segmenter().segment(para):
            sent = sent.strip()
            if sent:
                sentences.append(sent)
    return sentences
