"""History: two mornings in one store, built from gvc-dev (dated local news).

- **split** (must be *developing* on day 2): each incident whose articles span two or
  more dates; day 1 holds the articles of its first date, day 2 the later ones, with
  their real dates (a gap past the tool's look-back is a miss, as it would be in use).
- **different** (must be *new* on day 2): incidents of the same kind (shootings),
  taken in date order and paired with the next one of another date; day 1 holds the
  first, day 2 the second, its articles moved to the day after the first's latest,
  so that only content can tell them apart.

Each morning's articles are grouped by the tool (``group_events``), day 1 is recorded
as a finished run in a real (in-memory) store, and day 2's events are matched by
``history.find_matches``, as a build does. Scored: the share of scenarios whose
day-2 events are all *developing* (split), all *new* (different). Baseline: day 2
continues day 1 when the mean MiniLM cosine of their articles reaches the grouping
baseline's threshold (chosen on ecbplus-dev), dates ignored.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .common import DATA, Section, baseline_vectors, read_json


def scenarios(articles_by_file: dict[str, object]) -> tuple[list, list]:
    """Return (split, different) scenarios as lists of (day-1 articles, day-2 articles)."""
    gold = read_json(DATA / "gvc-dev" / "gold.json")
    incidents: dict[str, list] = defaultdict(list)
    for name, label in sorted(gold.items()):
        a = articles_by_file.get(name)
        if a is not None and a.date is not None:
            incidents[label].append(a)
    split = []
    for label in sorted(incidents):
        arts = incidents[label]
        first = min(a.date for a in arts)
        day1 = [a for a in arts if a.date == first]
        day2 = [a for a in arts if a.date != first]
        if day1 and day2:
            split.append((day1, day2))
    ordered = sorted(incidents, key=lambda k: (min(a.date for a in incidents[k]), k))
    different = []
    for x, y in zip(ordered, ordered[1:], strict=False):
        a, b = incidents[x], incidents[y]
        if min(p.date for p in a) == min(p.date for p in b):
            continue
        day = max(p.date for p in a) + dt.timedelta(days=1)
        shift = day - min(p.date for p in b)
        different.append((a, [_redate(p, p.date + shift) for p in b]))
    return split, different


def scenario_halves() -> Callable[[list], str]:
    """Return the half (A: tune on it, B: report on it) of a scenario: its day-1 incident's."""
    from .grouping import load_sets

    _, _, side = load_sets()["gvc-dev"]
    by_name = {Path(k).name: h for k, h in side.items()}
    return lambda day1: by_name[Path(day1[0].path).name]


def _redate(article: object, date: dt.date) -> object:
    from dataclasses import replace

    return replace(article, date=date)


def continues(day1: list, day2: list, embedder: object, **options: object) -> list[bool]:
    """Run the two mornings through the tool; return, per day-2 event, whether it continues.

    ``options`` (``lookback_days``, ``threshold``) go to ``history.find_matches``.
    """
    from briefing.events.cluster import group_events
    from briefing.events.embed import embed_articles
    from briefing.events.history import find_matches
    from briefing.records import Stats
    from briefing.store import Store, open_database

    store = Store(open_database(None))
    out = Path(tempfile.gettempdir()) / "scoreboard-history"
    date1 = max(a.date for a in day1)
    date2 = max(a.date for a in day2)
    store.save_articles(day1)
    events1 = group_events(day1, embed_articles(day1, embedder=embedder, store=store))
    run = store.start_run(date1, "extractive", out_dir=out)
    store.finish_run(run, stats=Stats(read=len(day1), events=len(events1)),
                     events=[(e.id, [a.id for a in e.articles], n, "") for n, e in
                             enumerate(events1, start=1)],
                     skipped=[], outputs=[])
    store.save_articles(day2)
    events2 = group_events(day2, embed_articles(day2, embedder=embedder, store=store))
    matches, _ = find_matches(events2, store, date=date2, out_dir=out, embedder=embedder,
                              **options)  # type: ignore[arg-type]
    return [e.id in matches for e in events2]


def run(embedder: object, quick: bool = False, *, threshold: float | None = None) -> list[Section]:
    from briefing.ingest import ingest

    from .grouping import choose_threshold, load_sets

    started = time.perf_counter()
    corpus = ingest([DATA / "gvc-dev" / "corpus"]).articles
    by_file = {Path(a.path).name: a for a in corpus}
    split, different = scenarios(by_file)
    if quick:
        split, different = split[::3], different[::3]
    if threshold is None:  # the grouping baseline's threshold, chosen on ecbplus-dev
        files, gold, _ = load_sets()["ecbplus-dev"]
        ecb = list(ingest(files).articles)
        vecs = baseline_vectors(ecb, embedder)
        threshold = choose_threshold(vecs, [a.path for a in ecb], gold)

    def baseline(day1: list, day2: list) -> bool:
        v1 = baseline_vectors(day1, embedder)
        v2 = baseline_vectors(day2, embedder)
        return float(np.mean(v2.astype(np.float64) @ v1.astype(np.float64).T)) >= threshold

    side = scenario_halves()
    section = Section(
        "History: two mornings from gvc-dev (tool vs embeddings-only baseline)",
        ("scenario", "cases", "right", "tool", "tool A", "tool B", "baseline", "target"),
    )
    for name, cases, want in (("split: developing on day 2", split, True),
                              ("different: new on day 2", different, False)):
        right = {"A": 0, "B": 0}
        count = {"A": 0, "B": 0}
        base_right = 0
        for day1, day2 in cases:
            continued = continues(day1, day2, embedder)
            h = side(day1)
            count[h] += 1
            right[h] += all(c == want for c in continued)
            base_right += baseline(day1, day2) == want
        n = max(len(cases), 1)
        tool_right = right["A"] + right["B"]
        section.rows.append((name, len(cases), tool_right, f"{tool_right / n:.1%}",
                             *(f"{right[h] / max(count[h], 1):.1%}" for h in "AB"),
                             f"{base_right / n:.1%}", ">= 95%"))
    section.notes.append(
        f"baseline: mean cosine of the two days' articles >= {threshold:.2f} (the grouping "
        "baseline's threshold); split cases keep their real dates, different cases are moved "
        "to consecutive days; A/B: the halves of gvc-dev's incidents (by the day-1 incident) "
        "of the grouping part, look-back and threshold chosen on A (bench/tune_history.py)"
    )
    if quick:
        section.notes.append("--quick: every third scenario")
    section.seconds = time.perf_counter() - started
    return [section]
