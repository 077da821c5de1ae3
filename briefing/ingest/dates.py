"""Publication dates in plain text: written dates, datelines, lenient metadata dates.

Conservative by design: a missing date is better than a wrong one.

- A header line counts when it is a dateline (dates, times, weekdays, "Posted", "GMT"...
  and nothing else; dropped), or starts with a full date followed by a dash
  (``27 / 09 / 2013 - Headline``) or after a marker (``date 2022-12-21 Body``; rest kept).
- Numeric dates need one part above 12 to tell day from month; impossible dates are
  ignored. A year-less date takes the latest such day on or before ``reference_date``,
  and stays undated without one.

``textmeta`` decides which lines are searched (the header, a trailing credit line).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

SCAN_CHARS = 1_000  # a title or credit line longer than this is none; titles come from the start


_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)


_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"


_YEAR = r"(?P<y>(?:19|20)\d\d)"


_N = r"[0-3]?\d"


_SEP = r"\s*(?P<sep>[-/.])\s*"


_PATTERNS = (
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:[\s,]+{_YEAR})?(?!\w)", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:\s*[,-]?\s*{_YEAR})?(?!\w)", re.I),
    re.compile(rf"\b{_YEAR}{_SEP}(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<d>{_N})(?!\d)"),
    re.compile(rf"\b(?P<a>{_N}){_SEP}(?P<b>{_N})\s*(?P=sep)\s*(?P<y>(?:19|20)?\d\d)(?!\d)"),
)


_TIME = re.compile(
    r"(?<!\d)\d{1,2}\s*:\s*\d\d(?:\s*:\s*\d\d)?(?:\s*[ap]\.?m\b\.?)?|\b\d{1,2}\s*[ap]m\b", re.I
)


WORDS = re.compile(r"[^\W\d_]+")


_MARKERS = {"date", "dated", "posted", "published", "updated"}


_FILLER = _MARKERS | set(
    "last modified on at am pm gmt utc bst est edt cst cdt pst pdt mst mdt et pt cet cest ist"
    " monday tuesday wednesday thursday friday saturday sunday"
    " mon tue tues wed thu thur thurs fri sat sun".split()
)


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    year: int | None
    month: int
    day: int


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def found_dates(line: str) -> list[_Found]:
    """Return the valid, non-overlapping dates written in a line, leftmost first."""
    found: list[_Found] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(line):
            groups = m.groupdict()
            year = int(groups["y"]) if groups.get("y") else None
            if "a" in groups:
                if year is not None and year < 100:  # two-digit years only as 11/28/05
                    year += 1900 if year >= 70 else 2000
                    if groups["sep"] != "/":
                        continue
                a, b = int(groups["a"]), int(groups["b"])
                if a > 12 >= b or a == b:
                    day, month = a, b
                elif b > 12 >= a:
                    month, day = a, b
                else:
                    continue  # ambiguous or impossible
            elif "mon" in groups:
                month, day = _MONTHS[groups["mon"][:3].lower()], int(groups["d"])
            else:
                month, day = int(groups["m"]), int(groups["d"])
            if _date(year or 2000, month, day):
                found.append(_Found(m.start(), m.end(), year, month, day))
    found.sort(key=lambda f: (f.start, -f.end))
    kept: list[_Found] = []
    for f in found:
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return kept


def resolve_date(found: _Found, reference_date: dt.date | None) -> dt.date | None:
    """Return the date, giving a year-less one the latest year on or before the reference."""
    if found.year is not None:
        return _date(found.year, found.month, found.day)
    if reference_date is None:
        return None
    for year in range(reference_date.year, reference_date.year - 8, -1):
        candidate = _date(year, found.month, found.day)
        if candidate and candidate <= reference_date:
            return candidate
    return None


def _only_filler(text: str) -> bool:
    return all(w.casefold() in _FILLER for w in WORDS.findall(_TIME.sub(" ", text)))


def split_dateline(line: str, reference_date: dt.date | None) -> tuple[dt.date | None, str] | None:
    """Return (date, rest of line) when a header line carries a date, else None.

    Only the first ``SCAN_CHARS`` characters are searched: a dateline is short, and a
    date that starts a line of text comes first.
    """
    found = found_dates(line[:SCAN_CHARS])
    if not found:
        return None
    rest = line[:SCAN_CHARS]
    for f in reversed(found):
        rest = rest[: f.start] + " " + rest[f.end :]
    if len(line) <= SCAN_CHARS and _only_filler(rest):
        return resolve_date(found[0], reference_date), ""
    first = found[0]
    prefix, after = line[: first.start], line[first.end :]
    if first.year is None or not _only_filler(prefix):
        return None
    dash = re.match(r"\s*[-–—|]\s+", after)
    has_marker = any(w.casefold() in _MARKERS for w in WORDS.findall(prefix))
    if not (dash or has_marker):
        return None
    after = after[dash.end() :] if dash else after
    after = re.sub(rf"^\s*(?:{_TIME.pattern})?[\s,.;:|–—-]*", "", after, count=1, flags=re.I)
    return resolve_date(first, reference_date), after.strip()


def parse_date(value: object, *, reference_date: dt.date | None = None) -> dt.date | None:
    """Parse a metadata date leniently (ISO date or datetime, RFC 2822, written date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    found = found_dates(text)
    return resolve_date(found[0], reference_date) if found else None
