"""Decode the bytes of a text file: UTF-8, UTF-16, Western (cp1252), else detected.

Invariant: a file is either decoded whole or rejected with an ``ArticleError``
naming it (binary data, or no encoding fits); nothing is decoded with replacement
characters.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ArticleError


def decode_text(data: bytes, path: Path) -> str:
    """Decode text: UTF-8 (BOM or not), UTF-16 (BOM or zero-byte pattern), else detect."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    sample = data[:8192]
    half = max(len(sample) // 2, 1)
    for offset, codec in ((1, "utf-16-le"), (0, "utf-16-be")):
        if sample[offset::2].count(0) > 0.4 * half and sample[1 - offset :: 2].count(0) == 0:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    controls = sum(b < 32 and b not in b"\t\n\r\x0c\x1b" for b in sample)
    if 0 in sample or controls > 0.1 * len(sample):
        raise ArticleError(f"{path}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    western = _western(data)
    if western is not None:
        return western
    import charset_normalizer

    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise ArticleError(f"{path}: cannot decode as UTF-8, UTF-16 or any known encoding")
    # Short Western text ties between cp1250 and cp1252; prefer the Western one.
    best = min(matches, key=lambda m: (m.chaos, m.encoding != "cp1252"))
    return str(best)


_LATIN = re.compile(r"[À-ÖØ-öø-ÿŒœŠšŽžŸ‘’‚“”„–—…€«»°£§©®\xa0]")


def _western(data: bytes) -> str | None:
    """Decode non-UTF-8 text as cp1252 (Latin-1) when it reads as Western text, else None.

    charset-normalizer misreads short Western texts (``é`` as ``ķ`` in cp775); here
    every non-ASCII character must be a Latin letter or common punctuation, and
    such letters a minority of the letters (Cyrillic in cp1251 would be all of them).
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    special = [c for c in text if ord(c) > 127]
    letters = sum(c.isalpha() for c in text)
    if not special or any(not _LATIN.match(c) for c in special):
        return None
    return text if sum(c.isalpha() for c in special) <= 0.3 * letters else None
