"""Metadata heuristics for plain text: title, byline, dateline, credit line.

Conservative by design: a missing date is better than a wrong one.

- Dates come only from the first ``HEADER_LINES`` non-empty lines or a trailing credit
  line like ``(Dhaka Times / 19 December / SAT)``; prose dates ("on Wednesday") never count.
  What counts as a dateline, and how a written date is read, is in ``dates.py``.
- The title is the first line when it has at most ``TITLE_WORDS`` words, does not end in
  ``. , ; :`` and is followed by a blank line (or the text has one paragraph a line);
  else the first sentence, cut to ``DERIVED_WORDS`` words plus "…" past ``DERIVED_MAX``.
- "Picture: Getty"-style caption lines and "Also read:" lines are dropped. The outlet
  comes only from a credit line; nothing is invented.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..text import normalize, split_sentences
from .dates import SCAN_CHARS, WORDS, found_dates, resolve_date, split_dateline

HEADER_LINES = 4
TITLE_WORDS = 20
DERIVED_MAX = 15
DERIVED_WORDS = 12
TITLE_PARAGRAPHS = 20  # a derived title comes from the first sentence in these paragraphs

_BYLINE = re.compile(r"^\s*by\s+(?P<name>[^,|;]+?)\s*(?:[,|;].*)?$", re.I)
_NAME_JOINERS = {"and", "&", "de", "van", "von", "da", "del", "la", "le", "bin", "al"}
_CAPTION = re.compile(
    r"(?:^|[.!?]\s+)(?i:picture|photo|photograph|image|pic)s?\s*:\s*[A-Z][\w&'’ ./-]{0,40}$"
)
_RELATED = re.compile(r"^\s*(?:also read|read more|read also|see also|related)\s*:", re.I)
_CREDIT = re.compile(r"^\s*\((?P<body>[^()]*/[^()]*)\)\.?\s*$")
_WS = re.compile(r"\s+")
_STOP = set("a an the of to in on at for and or but with by from that as is was its".split())


@dataclass(frozen=True, slots=True)
class TextMeta:
    """A plain text split into title, body and the metadata found around it."""

    title: str
    text: str
    date: dt.date | None = None
    source: str | None = None
    author: str | None = None


def _byline(line: str) -> str | None:
    """Return the author named by a "By Name" line."""
    m = _BYLINE.match(line)
    if not m:
        return None
    words = m["name"].split()
    names = [w for w in words if w.casefold() not in _NAME_JOINERS]
    if not 1 <= len(names) <= 6 or any(not w[0].isupper() or re.search(r"\d", w) for w in names):
        return None
    return " ".join(words)


def _credit(line: str, reference_date: dt.date | None) -> tuple[str | None, dt.date | None] | None:
    """Return (outlet, date) from a trailing credit line like ``(Outlet / 19 December / X)``."""
    m = _CREDIT.match(line) if len(line) <= SCAN_CHARS else None
    if not m:
        return None
    parts = [p.strip() for p in m["body"].split("/")]
    when = next((found[0] for p in parts[1:] if (found := found_dates(p))), None)
    if when is None:
        return None
    named = WORDS.search(parts[0]) and not found_dates(parts[0]) and len(parts[0].split()) <= 6
    return (parts[0] if named else None), resolve_date(when, reference_date)


_Scan = tuple[list[str], dt.date | None, str | None, str | None]


def _scan(lines: list[str], reference_date: dt.date | None) -> _Scan:
    """Take datelines and a byline from the header and a credit line from the end."""
    out = list(lines)
    date: dt.date | None = None
    author: str | None = None
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        dateline = split_dateline(line, reference_date)
        if dateline is not None:
            date = date or dateline[0]
            out[i] = dateline[1]
        elif author is None and (name := _byline(line)):
            author, out[i] = name, ""
    source = None
    last = max((i for i, line in enumerate(out) if line.strip()), default=None)
    if last is not None and (credit := _credit(out[last], reference_date)):
        source, date, out[last] = credit[0], date or credit[1], ""
    return out, date, source, author


def find_date(text: str, *, reference_date: dt.date | None = None) -> dt.date | None:
    """Find the publication date in a text's header lines or trailing credit line."""
    return _scan(text.splitlines(), reference_date)[1]


def _is_title(line: str) -> bool:
    if len(line) > SCAN_CHARS:
        return False
    words = line.split()
    core = line.strip().rstrip("\"'”’)]»")
    return 0 < len(words) <= TITLE_WORDS and core[-1:] not in ".,;:" and bool(WORDS.search(line))


def _derive_title(paragraphs: list[str]) -> str:
    """Return the first sentence of at least three words, cut at a word boundary."""
    sentence = next(
        (
            s
            for p in paragraphs[:TITLE_PARAGRAPHS]
            for s in split_sentences(p[:SCAN_CHARS])[:1]
            if len(s.split()) >= 3
        ),
        paragraphs[0][:SCAN_CHARS] if paragraphs else "",
    )
    words = sentence.rstrip(" .;:,").split()
    if len(words) <= DERIVED_MAX:
        return " ".join(words)
    cut = words[:DERIVED_WORDS]
    while len(cut) > 1 and cut[-1].strip(",;:—–-").casefold() in _STOP | {""}:
        cut.pop()
    return " ".join(cut).rstrip(",;:—–-") + "…"


def read_text(
    text: str, *, title: str | None = None, reference_date: dt.date | None = None
) -> TextMeta:
    """Split plain text into title, body paragraphs and the metadata in its header and credit line.

    :param title: a title known from metadata; a first line repeating it is dropped.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    blank_mode = bool(filled) and any(not lines[i].strip() for i in range(filled[0], filled[-1]))
    scanned, date, source, author = _scan(lines, reference_date)
    lines = ["" if _CAPTION.search(x) or _RELATED.match(x) else x for x in scanned]
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and title is None and _is_title(lines[first]):
        followed = first + 1 < len(lines) and (not blank_mode or not lines[first + 1].strip())
        if followed and any(line.strip() for line in lines[first + 1 :]):
            title, lines[first] = " ".join(lines[first].split()), ""
    elif first is not None and title is not None and normalize(lines[first]) == normalize(title):
        lines[first] = ""
    paragraphs = _paragraphs(lines, blank_mode)
    return TextMeta(
        title=title or _derive_title(paragraphs),
        text="\n\n".join(paragraphs),
        date=date,
        source=source,
        author=author,
    )


def _paragraphs(lines: list[str], blank_mode: bool) -> list[str]:
    """Join lines into paragraphs: blocks between blank lines, or one paragraph per line."""
    if not blank_mode:
        return [_WS.sub(" ", line).strip() for line in lines if line.strip()]
    paragraphs: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line)
        elif block:
            paragraphs.append(_WS.sub(" ", " ".join(block)).strip())
            block = []
    return paragraphs
