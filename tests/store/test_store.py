import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from briefing.errors import StoreError
from briefing.records import Dropped, Evidence, Sentence, Skipped, Source, Stats, Summary
from briefing.store import store as store_module
from briefing.store.migrations import migrations
from briefing.store.store import Store, open_database, summary_from_dict, summary_to_dict
from tests.conftest import make_article

TABLES = {
    "articles",
    "sources",
    "duplicates",
    "embeddings",
    "runs",
    "events",
    "run_events",
    "digests",
    "skipped",
    "http_cache",
    "fetched_pages",
}

SUMMARY = Summary(
    headline="Zelenskyy visits Washington",
    sentences=(
        Sentence(
            "Zelenskyy met Biden.",
            ("b2:aaa", "b2:bbb"),
            (
                Evidence("b2:aaa", "Zelenskyy met Joe Biden.", 0.912),
                Evidence("b2:bbb", "Zelenskyy met Biden.", 1.0),
            ),
        ),
        Sentence("He spoke to Congress.", ("b2:aaa",), ()),
    ),
    backend="fake",
    dropped=(Dropped("The package is worth 99 billion.", "not in the sources: 99"),),
)


def articles():
    first = make_article(
        "Storm hits the coast. Thousands lost power.",
        title="Storm",
        path="a.txt",
        date=dt.date(2022, 12, 20),
        source="Wire",
        url="https://wire.example/storm",
    )
    first = replace(first, duplicates=(Source("copy.txt", "Echo", "https://echo.example/storm"),))
    second = make_article("The bridge reopened on Monday.", path="b.txt")
    return [first, second]


def test_migrations_create_every_table(db):
    Store(db)

    assert TABLES <= set(db.table_names())
    assert [m.name for m in migrations.applied(db)] == [
        "m001_articles",
        "m002_embeddings",
        "m003_runs_events_digests",
        "m004_fetch_cache",
        "m005_history",
    ]
    assert {"out_dir"} <= set(db["runs"].columns_dict)
    assert {"headline", "status", "previous_run", "previous_event", "new_articles"} <= set(
        db["run_events"].columns_dict
    )


def test_reopening_applies_no_migration_twice(db):
    Store(db)
    Store(db).save_articles(articles())
    Store(db)

    assert migrations.pending(db) == []
    assert len(migrations.applied(db)) == 5
    assert Store(db).article_count() == 2  # re-opening kept the rows


def test_saving_articles_twice_adds_no_rows(db, monkeypatch):
    clock = iter(["2022-12-20T08:00:00+00:00", "2022-12-21T08:00:00+00:00"])
    monkeypatch.setattr(store_module, "_now", lambda: next(clock))
    store = Store(db)

    store.save_articles(articles())
    store.save_articles(articles())

    assert db["articles"].count == 2
    assert db["sources"].count == 3  # a.txt, its copy copy.txt, and b.txt
    assert {(r["first_seen"], r["last_seen"]) for r in db["articles"].rows} == {
        ("2022-12-20T08:00:00+00:00", "2022-12-21T08:00:00+00:00")
    }


def test_sources_keep_every_copy(db):
    store = Store(db)
    first = articles()[0]

    store.save_articles([first])

    rows = sorted(db["sources"].rows_where("article_id = ?", [first.id]), key=lambda r: r["path"])
    assert [(r["path"], r["source"], r["url"]) for r in rows] == [
        ("a.txt", "Wire", "https://wire.example/storm"),
        ("copy.txt", "Echo", "https://echo.example/storm"),
    ]


def test_article_round_trips(db):
    store = Store(db)
    first = articles()[0]
    store.save_articles([first])

    back = store.get_article(first.id)

    assert back is not None
    assert (back.id, back.title, back.text, back.path, back.date, back.source, back.url) == (
        first.id,
        "Storm",
        first.text,
        "a.txt",
        dt.date(2022, 12, 20),
        "Wire",
        "https://wire.example/storm",
    )
    assert store.get_article("b2:missing") is None


def test_embeddings_round_trip_exactly(db):
    store = Store(db)
    rng = np.random.default_rng(0)
    vectors = {
        "k1": rng.standard_normal(384).astype(np.float32),
        "k2": np.array([0.1, 1 / 3, -2.5e-8], dtype=np.float32),
    }

    store.save_embeddings(vectors, "all-MiniLM-L6-v2")
    found = store.get_embeddings(["k1", "k2", "k3"], "all-MiniLM-L6-v2")

    assert set(found) == {"k1", "k2"}
    for key, vector in vectors.items():
        assert found[key].dtype == np.float32
        assert np.array_equal(found[key], vector)
    assert store.get_embeddings(["k1"], "another-model") == {}


def test_embeddings_are_looked_up_in_chunks(db):
    store = Store(db)
    vectors = {f"k{i}": np.full(2, i, dtype=np.float32) for i in range(1200)}
    store.save_embeddings(vectors, "m")

    found = store.get_embeddings(list(vectors), "m")

    assert len(found) == 1200
    assert found["k1199"].tolist() == [1199.0, 1199.0]


def test_digest_round_trips_a_summary_with_evidence_and_dropped(db):
    store = Store(db)

    store.save_digest("key1", "ev:1", SUMMARY)

    assert store.get_digest("key1") == SUMMARY
    assert store.get_digest("key2") is None
    assert db["digests"].get("key1")["backend"] == "fake"


def test_summary_dict_is_plain_json():
    data = summary_to_dict(SUMMARY)

    assert summary_from_dict(json.loads(json.dumps(data))) == SUMMARY
    assert data["sentences"][0]["citations"] == ["b2:aaa", "b2:bbb"]
    assert data["dropped"] == [
        {"text": "The package is worth 99 billion.", "reason": "not in the sources: 99"}
    ]


def test_runs_record_stats_events_and_skipped(db):
    store = Store(db)
    run = store.start_run(dt.date(2022, 12, 21), "extractive")

    assert db["runs"].get(run)["status"] == "running"

    store.finish_run(
        run,
        stats=Stats(read=5, duplicates=1, events=2, skipped=1),
        events=[("ev:1", ["b2:a", "b2:b"], 1, "d1"), ("ev:2", ["b2:c"], 2, "d2")],
        skipped=[Skipped("bad.pdf", "unsupported file type")],
        outputs=[Path("out/briefing.md")],
    )

    row = db["runs"].get(run)
    assert (row["status"], row["read"], row["duplicates"], row["events"], row["skipped"]) == (
        "ok",
        5,
        1,
        2,
        1,
    )
    assert (row["date"], row["backend"]) == ("2022-12-21", "extractive")
    assert json.loads(row["outputs"]) == ["out/briefing.md"]
    assert [(r["event_id"], r["rank"], r["digest_key"]) for r in db["run_events"].rows] == [
        ("ev:1", 1, "d1"),
        ("ev:2", 2, "d2"),
    ]
    assert json.loads(db["events"].get("ev:1")["article_ids"]) == ["b2:a", "b2:b"]
    assert [(r["path"], r["reason"]) for r in db["skipped"].rows] == [
        ("bad.pdf", "unsupported file type"),
    ]


def test_a_second_run_reuses_known_events(db):
    store = Store(db)
    for _ in range(2):
        run = store.start_run(dt.date(2022, 12, 21), "extractive")
        store.finish_run(
            run, stats=Stats(), events=[("ev:1", ["b2:a"], 1, "d1")], skipped=[], outputs=[]
        )

    assert db["runs"].count == 2
    assert db["events"].count == 1
    assert db["run_events"].count == 2


def test_failed_run_records_the_reason(db):
    store = Store(db)
    run = store.start_run(dt.date(2022, 12, 21), "hf")

    store.fail_run(run, "model missing")

    assert db["runs"].get(run)["status"] == "failed: model missing"


def test_file_database_uses_wal_and_persists(tmp_path):
    path = tmp_path / "nested" / "briefing.db"
    first = Store(open_database(path))
    first.save_articles(articles())
    first.save_embeddings({"k": np.ones(3, dtype=np.float32)}, "m")

    assert path.exists()
    assert first.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    second = Store(open_database(path))
    assert second.article_count() == 2
    assert second.get_embeddings(["k"], "m")["k"].tolist() == [1.0, 1.0, 1.0]
    assert migrations.pending(second.db) == []


def test_open_database_without_a_path_is_in_memory():
    db = open_database(None)

    assert db.memory
    Store(db)
    assert TABLES <= set(db.table_names())


def test_unusable_database_path_raises_store_error(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")

    with pytest.raises(StoreError, match="cannot open the database"):
        open_database(blocker / "briefing.db")


def test_earlier_events_are_the_latest_ok_run_of_each_earlier_date_in_the_folder(db, tmp_path):
    store = Store(db)
    out, other = tmp_path / "out", tmp_path / "other"

    def run(day: int, event: str, *, folder: Path = out, ok: bool = True) -> int:
        run_id = store.start_run(dt.date(2024, 3, day), "extractive", out_dir=folder)
        if ok:
            store.finish_run(
                run_id, stats=Stats(), events=[(event, [f"b2:{event}"], 1, "d")], skipped=[],
                outputs=[folder / f"2024-03-0{day}.html"],
                history={event: {"headline": f"Headline {event}", "status": "new"}},
            )
        return run_id

    run(3, "old")
    first = run(4, "first")
    run(4, "rebuilt")  # the latest run of 4 March replaces the first one
    run(4, "failed", ok=False)
    run(4, "elsewhere", folder=other)
    run(5, "same-day")  # the date being built: never compared with itself
    found = store.earlier_events(dt.date(2024, 3, 5), since=dt.date(2024, 3, 4), out_dir=out)
    assert [(e.date.day, e.event_id, e.headline) for e in found] == [
        (4, "rebuilt", "Headline rebuilt")
    ]
    assert found[0].article_ids == ("b2:rebuilt",)
    assert found[0].briefing == str(out / "2024-03-04.html")
    assert found[0].run_id == first + 1
    row = db["run_events"].get((found[0].run_id, "rebuilt"))
    assert (row["headline"], row["status"]) == ("Headline rebuilt", "new")
