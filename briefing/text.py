"""Plain-text helpers shared by every stage: normalising, words, sentences.

Sentence splitting is linear in the text's length: pysbd (accurate, but quadratic
in a paragraph's length) only ever sees pieces of at most ``CHUNK_CHARS``
characters. A longer paragraph is first cut at likely sentence ends
(``_ROUGH_END``), the pieces packed into chunks of up to ``CHUNK_CHARS``; a run of
more than ``CHUNK_CHARS`` characters without a sentence end is cut at a space.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

CHUNK_CHARS = 2_000

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:[.,'’]\w+)*", re.UNICODE)
# A likely sentence end: a word of 4+ characters (so not "Mr." or "U.S."), a stop and
# a capital; only ever a place to cut between chunks, which pysbd then splits.
_ROUGH_END = re.compile(r"(?<=\w{4}[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def normalize(text: str) -> str:
    """Return text with Unicode normalised (NFKC), whitespace collapsed and case folded."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def words(text: str) -> list[str]:
    """Split text into lower-case word tokens, numbers kept whole (``1.5``, ``45,000``)."""
    return [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFKC", text))]


def joined_words(text: str) -> str:
    """Return ``" ".join(words(text))``, faster: case folding is per character, and no
    folded character is a space, so the joined string is folded at once."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text))).casefold()


def word_count(text: str) -> int:
    """Count the words of a text."""
    return len(_WORD.findall(text))


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _hard_cut(piece: str, size: int) -> Iterator[str]:
    """Cut a piece without sentence ends into parts of at most ``size`` characters."""
    while len(piece) > size:
        cut = piece.rfind(" ", 0, size)
        cut = cut if cut > 0 else size
        yield piece[:cut]
        piece = piece[cut:].lstrip()
    if piece:
        yield piece


def chunks(paragraph: str, size: int = CHUNK_CHARS) -> Iterator[str]:
    """Cut a paragraph at likely sentence ends into chunks of at most ``size`` characters."""
    if len(paragraph) <= size:
        yield paragraph
        return
    current = ""
    start = 0
    ends = [m.end() for m in _ROUGH_END.finditer(paragraph)] + [len(paragraph)]
    for end in ends:
        piece = paragraph[start:end]
        start = end
        if current and len(current) + len(piece) > size:
            yield current
            current = ""
        if len(piece) > size:
            *parts, current = list(_hard_cut(piece, size))
            yield from parts
        else:
            current += piece
    if current.strip():
        yield current


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; paragraphs (blank lines or line breaks) always end one."""
    sentences: list[str] = []
    for para in re.split(r"\n\s*\n|\n", text):
        para = _WS.sub(" ", para).strip()
        if not para:
            continue
        for chunk in chunks(para):
            for sent in _segmenter().segment(chunk):
                sent = sent.strip()
                if sent:
                    sentences.append(sent)
    return sentences


HASH_PREFIX = "b2:"


def content_id(text: str) -> str:
    """Return the tagged content hash that identifies an article's text."""
    digest = hashlib.blake2b(normalize(text).encode("utf-8"), digest_size=12).hexdigest()
    return HASH_PREFIX + digest
