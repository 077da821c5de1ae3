"""Place today's events in the history of earlier briefings: new, developing, unchanged, gone.

An event of today continues an event of an earlier briefing (same output folder,
an earlier date within ``LOOKBACK_DAYS``) when:

1. they share an article (content id): the clusterer put the same article in
   both, so they are the same story. The most recent such briefing wins; or else
2. they are the same story by the grouping's own measure: the average similarity of
   today's articles to the earlier event's (``similarity.block_similarity``:
   embeddings, lead words and text words, weighted independently of the corpus, so
   a score means the same in a small store as in a big one) reaches
   ``MATCH_THRESHOLD`` (a little above the grouping threshold), or reaches
   ``NAMED_THRESHOLD`` and the two name the same places and people in their leads
   (:func:`briefing.events.names.name_cover` at least ``MIN_NAME_COVER``: a follow-up
   tells the story with other words, but of the same town and the same victim), and
   the earlier event's latest article is at most ``NEAR_PAUSE_DAYS`` older than
   today's earliest one; or, after a longer pause of up to ``MAX_PAUSE_DAYS`` (a local
   story comes back months later with a trial, a plea, a sentence), the similarity
   reaches ``NAMED_THRESHOLD`` and the name cover ``FAR_NAME_COVER``: so long after,
   a story of the same kind in the same region is likelier than a continuation, so
   the names must agree whatever the similarity. Only today's articles x the earlier
   ones are compared, never all pairs. An earlier event that some event of today
   continues by shared articles is not a candidate here: had the two been one story
   today, they would be one event.

Matching only briefings of earlier dates means rebuilding a date never matches
the briefing against itself. ``gone`` lists the events of the latest earlier
briefing that no event of today continues.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..records import Article, EarlierEvent, Event, Gone, History, Previous
from ..store.store import Store
from .embed import DECIMALS, Embedder, embed_articles
from .names import name_cover
from .similarity import block_similarity, features

# Chosen on half A of the scoreboard's two mornings (bench/tune_history.py). The
# similarity alone may not go lower than MATCH_THRESHOLD: a second fire at the same
# supermarket chain two days later scores 0.269 against the first
# (tests/events/test_history.py); its lead names (Wellington, Somerset) are not the
# first's (Banstead, Surrey): name cover 0.28, below MIN_NAME_COVER. The demo's
# Blinken and Lammy in Kyiv scores 0.176 against Zelensky's trip
# (tests/events/test_history_similarity.py).
NEAR_PAUSE_DAYS = 100  # up to this pause, the similarity alone may continue a story
MAX_PAUSE_DAYS = 400  # up to this pause, the similarity with the same names
LOOKBACK_DAYS = MAX_PAUSE_DAYS  # the earlier briefings searched
MATCH_THRESHOLD = 0.28  # above THRESHOLD, see docs/history-and-archive.md
NAMED_THRESHOLD = 0.18  # the least similarity when the leads name the same
MIN_NAME_COVER = 0.3
FAR_NAME_COVER = 0.5  # the least name cover after more than NEAR_PAUSE_DAYS


@dataclass(frozen=True, slots=True)
class Match:
    """Today's event continues ``earlier``; ``how`` is "articles" or "similarity"."""

    earlier: EarlierEvent
    how: str
    score: float


def relative_link(target: str | Path | None, out_dir: Path) -> str | None:
    """Return a POSIX relative link from ``out_dir`` to an existing file, else None."""
    if not target or not Path(target).is_file():
        return None
    return Path(os.path.relpath(Path(target).resolve(), Path(out_dir).resolve())).as_posix()


def match_by_articles(
    events: Sequence[Event], earlier: Sequence[EarlierEvent]
) -> dict[str, Match]:
    """Match events to the most recent earlier event sharing an article with them."""
    matches: dict[str, Match] = {}
    for event in events:
        ids = {a.id for a in event.articles}
        sharing = [(len(ids & set(e.article_ids)), e) for e in earlier]
        sharing = [(n, e) for n, e in sharing if n]
        if sharing:
            n, best = max(sharing, key=lambda p: (p[1].date, p[0], -p[1].rank))
            matches[event.id] = Match(best, "articles", n / len(ids))
    return matches


def _span(articles: Sequence[Article]) -> tuple[dt.date | None, dt.date | None]:
    days = [a.date for a in articles if a.date]
    return (min(days), max(days)) if days else (None, None)


def match_by_similarity(
    events: Sequence[Event],
    earlier: Sequence[EarlierEvent],
    earlier_articles: dict[str, Article],
    *,
    vectors: dict[str, np.ndarray],
    threshold: float = MATCH_THRESHOLD,
    named_threshold: float = NAMED_THRESHOLD,
    min_name_cover: float = MIN_NAME_COVER,
    near_pause_days: int = NEAR_PAUSE_DAYS,
    max_pause_days: int = MAX_PAUSE_DAYS,
    far_name_cover: float = FAR_NAME_COVER,
) -> dict[str, Match]:
    """Match events to the earlier event whose articles are, on average, strictly similar.

    ``vectors`` maps every article id (today's and earlier) to its embedding. A score
    from ``named_threshold`` up to ``threshold`` matches only when the two name the
    same in their leads (``name_cover`` at least ``min_name_cover``); after a pause of
    more than ``near_pause_days``, any score from ``named_threshold`` needs a name
    cover of ``far_name_cover``.
    """
    pool = [e for e in earlier if any(i in earlier_articles for i in e.article_ids)]
    if not events or not pool:
        return {}
    today = {a.id: a for e in events for a in e.articles}
    ours, theirs_ids = sorted(today), sorted(earlier_articles)
    arts = [today[i] for i in ours] + [earlier_articles[i] for i in theirs_ids]
    f = features(arts, np.stack([vectors[a.id] for a in arts]))
    # Today's articles x the earlier ones only (no all-pairs matrix); the pause rule
    # below, not the grouping's date gap, limits how far apart they may be.
    sim = block_similarity(
        f, np.arange(len(ours)), np.arange(len(ours), len(arts)), max_gap_days=10**6
    )
    row = {i: n for n, i in enumerate(ours)}
    col = {i: n for n, i in enumerate(theirs_ids)}
    sim[np.array(ours)[:, None] == np.array(theirs_ids)[None, :]] = 1.0  # the same article
    matches: dict[str, Match] = {}
    for event in events:
        first, _ = _span(event.articles)
        rows = [row[a.id] for a in event.articles]
        best: Match | None = None
        for candidate in pool:
            theirs = [earlier_articles[i] for i in candidate.article_ids if i in earlier_articles]
            _, last = _span(theirs)
            reference = last or candidate.date
            pause = (first - reference).days if first else 0
            if pause > max_pause_days:
                continue
            cols = [col[a.id] for a in theirs]
            score = round(float(sim[np.ix_(rows, cols)].mean()), DECIMALS)
            if score < min(threshold, named_threshold):
                continue
            if pause > near_pause_days:
                if score < named_threshold or name_cover(event.articles, theirs) < far_name_cover:
                    continue
            elif score < threshold and name_cover(event.articles, theirs) < min_name_cover:
                continue
            if best is None or (candidate.date, score) > (best.earlier.date, best.score):
                best = Match(candidate, "similarity", score)
        if best is not None:
            matches[event.id] = best
    return matches


def _story_of(earlier: Sequence[EarlierEvent]) -> dict[tuple[int, str], int]:
    """Number the stories of earlier events: events sharing an article (transitively) share one."""
    parent = list(range(len(earlier)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for n, e in enumerate(earlier):
        for article_id in e.article_ids:
            if article_id in owner:
                parent[root(n)] = root(owner[article_id])
            else:
                owner[article_id] = n
    return {(e.run_id, e.event_id): root(n) for n, e in enumerate(earlier)}


def find_matches(
    events: Sequence[Event],
    store: Store,
    *,
    date: dt.date,
    out_dir: Path,
    embedder: Embedder | None = None,
    lookback_days: int = LOOKBACK_DAYS,
    threshold: float = MATCH_THRESHOLD,
    named_threshold: float = NAMED_THRESHOLD,
    min_name_cover: float = MIN_NAME_COVER,
    near_pause_days: int = NEAR_PAUSE_DAYS,
    far_name_cover: float = FAR_NAME_COVER,
) -> tuple[dict[str, Match], list[EarlierEvent]]:
    """Match today's events to earlier briefings' events; return the matches and candidates.

    ``lookback_days`` bounds both the earlier briefings searched and the pause allowed
    between an earlier story's latest article and today's first; after more than
    ``near_pause_days`` the names must agree (``far_name_cover``).
    """
    earlier = store.earlier_events(
        date, since=date - dt.timedelta(days=lookback_days), out_dir=out_dir
    )
    matches = match_by_articles(events, earlier)
    story = _story_of(earlier)
    claimed = {story[(m.earlier.run_id, m.earlier.event_id)] for m in matches.values()}
    rest = [e for e in events if e.id not in matches]
    pool = [e for e in earlier if story[(e.run_id, e.event_id)] not in claimed]
    if rest and pool:
        wanted = {i for e in pool for i in e.article_ids}
        found = {i: a for i in sorted(wanted) if (a := store.get_article(i)) is not None}
        articles = [*found.values(), *(a for e in rest for a in e.articles)]
        matrix = embed_articles(articles, embedder=embedder, store=store)
        vectors = {a.id: matrix[n] for n, a in enumerate(articles)}
        matches |= match_by_similarity(
            rest,
            pool,
            found,
            vectors=vectors,
            threshold=threshold,
            named_threshold=named_threshold,
            min_name_cover=min_name_cover,
            near_pause_days=near_pause_days,
            max_pause_days=lookback_days,
            far_name_cover=far_name_cover,
        )
    return matches, earlier


def history_for(event: Event, match: Match | None, *, out_dir: Path) -> History:
    """Return an event's status, earlier briefing and new articles (no what's-new yet)."""
    if match is None:
        return History(status="new")
    earlier = match.earlier
    before = set(earlier.article_ids)
    new = tuple(a.id for a in event.articles if a.id not in before)
    previous = Previous(
        date=earlier.date,
        headline=earlier.headline,
        briefing=relative_link(earlier.briefing, out_dir),
    )
    return History(
        status="developing" if new else "unchanged", previous=previous, new_articles=new
    )


def gone_events(
    matches: dict[str, Match], earlier: Sequence[EarlierEvent], *, out_dir: Path
) -> tuple[Gone, ...]:
    """Return the events of the latest earlier briefing that no event of today continues."""
    if not earlier:
        return ()
    latest = max(e.date for e in earlier)
    story = _story_of(earlier)
    continued = {story[(m.earlier.run_id, m.earlier.event_id)] for m in matches.values()}
    return tuple(
        Gone(headline=e.headline, date=e.date, briefing=relative_link(e.briefing, out_dir))
        for e in earlier
        if e.date == latest and story[(e.run_id, e.event_id)] not in continued
    )
