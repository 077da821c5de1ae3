"""build_briefing(): the one place where the stages are wired, top to bottom.

ingest → store → window → dedup → embed → group → summarize (+ verify) → rank
→ history (new / developing / unchanged, what's new) → render → write → archive.
Every stage passes frozen dataclasses to the next; the store records each step
so a re-run reuses embeddings, digests and what's-new sentences. Digests are made
by an executor (``summarize/digests.py``): in this process, several events per batch, or
on a Ray cluster (``--executor ray``, ``summarize/ray_executor.py``); the store, history and
rendering always stay here.

Faults: a build holds the database's lock file (a second build fails at once with a
clear message); each digest is committed as soon as it is made, so a killed build
loses at most the batch of events it was summarizing; the output files are replaced only once
every one of them has been written in full (``write_outputs``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BriefingError, StoreError
from .events.cluster import group_events
from .events.dedup import deduplicate
from .events.embed import embed_articles
from .events.history import find_matches, gone_events, history_for
from .ingest.limits import MAX_ARTICLE_CHARS, MAX_CORPUS_CHARS, cap_article, cap_corpus
from .ingest.readers import ingest
from .progress import Progress, Silent
from .publish.archive import nav_for, scan, update_archive
from .publish.render import make_environment, write_outputs
from .records import Article, Briefing, BriefingEvent, Event, History, Limit, Stats, Summary
from .resources import data_dir
from .store.store import Store, lock_database, open_database
from .summarize.digests import digest_key, make_executor, summarize_all
from .summarize.executors import BackendSpec, Executor, cache_options
from .summarize.registry import check_backend

if TYPE_CHECKING:
    from jinja2 import Environment


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything a build needs; the CLI fills it from flags, environment and config.

    The size limits (see ``ingest/limits.py``): ``max_article_chars`` per article text,
    ``max_corpus_chars`` for the articles of the window together, and
    ``max_input_tokens`` for the source excerpts a model backend reads per event
    (None: the backend's own default, 450 for hf; the extractive backend has none).
    ``executor`` is ``local`` or ``ray`` (``ray_address``: None starts a local Ray
    instance; ``workers``: None is one per node, or one per GPU on CUDA);
    ``device`` is ``auto``, ``cpu`` or ``cuda``.
    """

    paths: tuple[Path, ...]
    date: dt.date
    out_dir: Path
    db_path: Path | None
    window: int = 2
    formats: tuple[str, ...] = ("md", "html", "json")
    backend: str = "extractive"
    backend_options: tuple[tuple[str, object], ...] = ()
    max_words: int = 90
    template_dirs: tuple[Path, ...] = ()
    max_article_chars: int = MAX_ARTICLE_CHARS
    max_corpus_chars: int = MAX_CORPUS_CHARS
    max_input_tokens: int | None = None
    executor: str = "local"
    ray_address: str | None = None
    workers: int | None = None
    device: str = "auto"


@dataclass(frozen=True, slots=True)
class BuildResult:
    """The briefing that was built and the files written."""

    briefing: Briefing
    outputs: tuple[Path, ...]
    run_id: int
    notes: tuple[str, ...] = field(default_factory=tuple)
    updated: tuple[Path, ...] = ()  # the archive's files: neighbours' HTML and index.html


def in_window(article: Article, date: dt.date, window: int) -> bool:
    """Tell whether an article is undated or dated within ``window`` days up to ``date``."""
    return article.date is None or date - dt.timedelta(days=window) <= article.date <= date


def rank_key(event: Event) -> tuple:
    """Sort key of events: more distinct outlets, then more copies, then the most recent."""
    outlets = {
        (s.source or s.path)
        for a in event.articles
        for s in ((a,) + tuple(a.duplicates))  # type: ignore[operator]
    }
    copies = sum(1 + len(a.duplicates) for a in event.articles)
    latest = max((a.date for a in event.articles if a.date), default=dt.date.min)
    return (-len(outlets), -copies, -latest.toordinal(), event.id)


def _prompt_fingerprint(backend: str, prompt_dir: object = None) -> str:
    """Hash the prompts in use (a ``prompt_dir``'s, then the shipped ones), so that
    editing a prompt invalidates cached model digests."""
    if backend == "extractive":
        return ""
    digest = hashlib.blake2b(digest_size=8)
    folders = ([Path(str(prompt_dir))] if prompt_dir else []) + [data_dir("prompts")]
    for folder in folders:
        for path in sorted(folder.glob("*.j2")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _whats_new(
    event: Event,
    history: History,
    summary: Summary,
    *,
    store: Store,
    key: str,
    executor: Executor,
    backend: str,
) -> tuple[History, Summary]:
    """Add the what's-new sentence (cached by the new articles) to a developing event.

    A dropped what's-new sentence joins the summary's ``dropped`` list.
    """
    cached = store.get_digest(key)
    if cached is None:
        new = [a for a in event.articles if a.id in set(history.new_articles)]
        sentence, dropped = executor.update(new)
        cached = Summary(
            headline="",
            sentences=(sentence,) if sentence else (),
            backend=backend,
            dropped=tuple(dropped),
        )
        store.save_digest(key, event.id, cached)
    history = replace(history, whats_new=cached.sentences[0] if cached.sentences else None)
    return history, replace(summary, dropped=summary.dropped + cached.dropped)


def build_briefing(options: BuildOptions, *, progress: Progress | None = None) -> BuildResult:
    """Build the dated briefing of the corpus at ``options.paths`` and write its files."""
    check_backend(options.backend)
    env = make_environment(options.template_dirs)  # fail early on a bad template folder
    with lock_database(options.db_path):
        store = Store(open_database(options.db_path))
        try:
            store.interrupt_stale_runs()
            run_id = store.start_run(options.date, options.backend, out_dir=options.out_dir)
        except sqlite3.Error as e:
            raise StoreError(f"cannot write the database {options.db_path}: {e}") from e
        try:
            with closing(_executor(options)) as executor:  # a bad device fails before ingest
                return _build(options, store, run_id, env, progress or Silent(), executor)
        except (BriefingError, sqlite3.Error) as e:
            try:
                store.fail_run(run_id, str(e))
            except sqlite3.Error:
                pass  # the database itself failed: the run stays "running", then "interrupted"
            if isinstance(e, sqlite3.Error):
                raise StoreError(f"cannot write the database {options.db_path}: {e}") from e
            raise


def _executor(options: BuildOptions) -> Executor:
    """Create the build's executor, its backend given the input token limit."""
    backend_options = options.backend_options
    if options.max_input_tokens is not None and options.backend != "extractive":
        backend_options = (*backend_options, ("source_tokens", options.max_input_tokens))
    return make_executor(BackendSpec(options.backend, backend_options), executor=options.executor,
                         address=options.ray_address, workers=options.workers,
                         device=options.device)


def _build(
    options: BuildOptions, store: Store, run_id: int, env: Environment, progress: Progress,
    executor: Executor,
) -> BuildResult:
    """Run the stages of one build under the database lock."""
    corpus = ingest(list(options.paths), reference_date=options.date)
    read = [cap_article(a, options.max_article_chars) for a in corpus.articles]
    store.save_articles(read)
    current = [a for a in read if in_window(a, options.date, options.window)]
    deduped = deduplicate(current)
    store.save_articles(deduped.articles)
    store.save_duplicates(deduped.near_pairs)
    articles, left_out, corpus_limit = cap_corpus(deduped.articles, options.max_corpus_chars)
    skipped = (*corpus.skipped, *left_out)

    backend_options = executor.backend.options
    embedder = executor.embedder() if articles else None
    vectors = embed_articles(articles, embedder=embedder, store=store)
    events = sorted(group_events(articles, vectors), key=rank_key)

    prompt_dir = dict(backend_options).get("prompt_dir")
    fingerprint = _prompt_fingerprint(options.backend, prompt_dir)
    key_options = (*cache_options(executor.backend), ("prompt", fingerprint))
    summaries = summarize_all(
        events,
        executor,
        store=store,
        backend=options.backend,
        key_options=key_options,
        max_words=options.max_words,
        progress=progress,
    )

    matches, earlier = find_matches(
        events, store, date=options.date, out_dir=options.out_dir, embedder=embedder
    )
    items = []
    for rank, (event, summary, _) in enumerate(summaries, start=1):
        history = history_for(event, matches.get(event.id), out_dir=options.out_dir)
        if history.status == "developing":
            new = Event(event.id, tuple(a for a in event.articles if a.id in history.new_articles))
            key = "w" + digest_key(new, options.backend, key_options, options.max_words)[1:]
            history, summary = _whats_new(
                event, history, summary, store=store, key=key, executor=executor,
                backend=options.backend,
            )
        items.append(BriefingEvent(event=event, summary=summary, rank=rank, history=history))

    stats = Stats(
        read=len(read),
        duplicates=deduped.duplicates,
        events=len(events),
        skipped=len(skipped),
        out_of_window=len(read) - len(current),
    )
    limits: list[Limit] = [a.truncated for a in articles if a.truncated is not None]
    limits += [corpus_limit] if corpus_limit is not None else []
    limits += [s.input_cut for _, s, _ in summaries if s.input_cut is not None]
    briefing = Briefing(
        date=options.date,
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        backend=options.backend,
        events=tuple(items),
        skipped=skipped,
        stats=stats,
        gone=gone_events(matches, earlier, out_dir=options.out_dir),
        limits=tuple(limits),
    )
    html = "html" in options.formats
    nav = nav_for(options.date, [e for e, _ in scan(options.out_dir)[0]]) if html else None
    outputs = write_outputs(briefing, options.out_dir, options.formats, env=env, nav=nav)
    updated, notes = update_archive(options.out_dir, options.date, env=env) if html else ([], [])
    store.finish_run(
        run_id,
        stats=stats,
        events=[
            (e.id, [a.id for a in e.articles], r, k)
            for r, (e, _, k) in enumerate(summaries, start=1)
        ],
        skipped=skipped,
        outputs=outputs,
        history={
            i.event.id: {
                "headline": i.summary.headline,
                "status": i.history.status,
                "previous_run": m.earlier.run_id if (m := matches.get(i.event.id)) else None,
                "previous_event": m.earlier.event_id if m else None,
                "new_articles": json.dumps(list(i.history.new_articles)),
            }
            for i in items
            if i.history
        },
    )
    return BuildResult(
        briefing=briefing,
        outputs=tuple(outputs),
        run_id=run_id,
        notes=tuple(notes),
        updated=tuple(updated),
    )
