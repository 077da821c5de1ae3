"""Values passed between the pipeline's stages.

Every value is a frozen, slotted dataclass holding tuples rather than lists, so
values are hashable, comparable and safe to share. Mapping to and from SQLite
rows lives in ``store/``; mapping to JSON lives in ``publish/``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Limit:
    """A size limit that cut an input short or left part of it out; never applied silently.

    ``name`` is the limit (``max_article_chars``, ``max_corpus_chars``,
    ``max_input_tokens``), ``cap`` its value, ``where`` the file, event id or
    ``corpus`` it applied to, and ``kept`` of ``total`` how much was kept, in ``unit``.
    """

    name: str
    where: str
    cap: int
    kept: int
    total: int
    unit: str

    @property
    def message(self) -> str:
        """Return the one-line note printed by the CLI and written to the JSON."""
        return (
            f"{self.where}: {self.name} {self.cap:,} reached: kept {self.kept:,} of "
            f"{self.total:,} {self.unit}"
        )

    @property
    def note(self) -> str:
        """Return the short sentence a reader sees beside what the limit affected."""
        if self.name == "max_input_tokens" and self.unit == "source sentences":
            return f"Based on {self.kept:,} of {self.total:,} source sentences."
        if self.name == "max_input_tokens":
            share = max(1, round(100 * self.kept / max(self.total, 1)))
            return f"Based on the first {share}% of the sources' text."
        if self.name == "max_article_chars":
            return f"Only the first {self.kept:,} of its {self.total:,} characters were read."
        if self.name == "max_corpus_chars":
            return ("Some older articles were left out: the day's articles were over the "
                    "size limit (they are listed under Skipped inputs).")
        return f"Only part of the input was read ({self.kept:,} of {self.total:,} {self.unit})."


@dataclass(frozen=True, slots=True)
class Source:
    """One copy of an article: where it was found and who published it."""

    path: str
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A news article as read from one file (or feed entry).

    ``id`` is a tagged content hash of the normalised text (see ``dedup.content_id``).
    ``duplicates`` holds the other copies that deduplication folded into this one.
    ``truncated`` is set when the text was cut to the per-article limit.
    """

    id: str
    title: str
    text: str
    path: str
    date: dt.date | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    duplicates: tuple[Source, ...] = ()
    truncated: Limit | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be read, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Corpus:
    """What ingest produced: the readable articles and the skipped inputs."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    """Articles about one real-world event, the most central article first."""

    id: str
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class Draft:
    """What a summarizer backend returns: a headline and digest sentences.

    ``input_cut`` is set when the backend's input limit left source text out. ``chat``
    is the conversation that wrote it, (role, text) turns ending with the model's raw
    reply, so that the model can be asked to revise it (empty for other backends).
    """

    headline: str
    sentences: tuple[str, ...]
    input_cut: Limit | None = None
    chat: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A source sentence that supports a digest sentence."""

    article_id: str
    sentence: str
    score: float


@dataclass(frozen=True, slots=True)
class Sentence:
    """One digest sentence with the articles it cites and the evidence for it."""

    text: str
    citations: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Dropped:
    """A generated sentence that the guard removed, and why."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Summary:
    """An event's headline and cited digest, and how it was made."""

    headline: str
    sentences: tuple[Sentence, ...]
    backend: str
    dropped: tuple[Dropped, ...] = ()
    input_cut: Limit | None = None

    @property
    def digest(self) -> str:
        """Return the digest as one paragraph."""
        return " ".join(s.text for s in self.sentences)


@dataclass(frozen=True, slots=True)
class Previous:
    """The earlier briefing an event already appeared in.

    ``briefing`` is a relative link from this briefing's folder to the earlier
    briefing's file (None when that file is gone).
    """

    date: dt.date
    headline: str
    briefing: str | None = None


@dataclass(frozen=True, slots=True)
class History:
    """How an event relates to earlier briefings.

    ``status`` is ``"new"`` (no earlier match), ``"developing"`` (matched, with new
    articles) or ``"unchanged"`` (matched, no new article). ``new_articles`` are the
    ids of the articles the earlier briefing did not have; ``whats_new`` is one
    checked sentence written from them only.
    """

    status: str
    previous: Previous | None = None
    new_articles: tuple[str, ...] = ()
    whats_new: Sentence | None = None


@dataclass(frozen=True, slots=True)
class BriefingEvent:
    """An event as it appears in a briefing: ranked, summarized, placed in history."""

    event: Event
    summary: Summary
    rank: int
    history: History | None = None


@dataclass(frozen=True, slots=True)
class Gone:
    """An event of the previous briefing that no event of this one continues."""

    headline: str
    date: dt.date
    briefing: str | None = None


@dataclass(frozen=True, slots=True)
class EarlierEvent:
    """An event as an earlier briefing (run) recorded it in the store."""

    run_id: int
    date: dt.date
    event_id: str
    article_ids: tuple[str, ...]
    headline: str
    rank: int
    briefing: str | None = None  # the path of that briefing's file, as written


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts reported at the end of a build."""

    read: int = 0
    duplicates: int = 0
    events: int = 0
    skipped: int = 0
    out_of_window: int = 0


@dataclass(frozen=True, slots=True)
class Briefing:
    """A dated briefing: ranked events, the inputs that were skipped, the limits hit."""

    date: dt.date
    generated_at: dt.datetime
    backend: str
    events: tuple[BriefingEvent, ...]
    skipped: tuple[Skipped, ...] = ()
    stats: Stats = field(default_factory=Stats)
    gone: tuple[Gone, ...] = ()
    limits: tuple[Limit, ...] = ()

    @property
    def title(self) -> str:
        """Return the briefing's title, carrying its date."""
        return f"Briefing for {self.date:%A, %-d %B %Y}"
