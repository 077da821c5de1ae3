"""The command line end to end: the demo corpus, bad input, errors, idempotence."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli.main import cli
from briefing.store.store import Store, open_database
from tests.conftest import DEMO


def build(*args: str) -> object:
    args = ("build", "--backend", "extractive", *args)
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def demo_run(tmp_path: Path):
    out, db = tmp_path / "out", tmp_path / "b.db"
    result = build(str(DEMO), "--date", "2022-12-21", "--out", str(out), "--db", str(db))
    return result, out, db


def test_build_demo_writes_three_dated_files(demo_run) -> None:
    result, out, _ = demo_run
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "2022-12-21.html",
        "2022-12-21.json",
        "2022-12-21.md",
        "index.html",
    ]
    assert "Read 5 articles (0 outside the window), 0 duplicates, 4 events, 0 skipped." in (
        result.output
    )
    assert f"Wrote {out / '2022-12-21.md'}" in result.output
    assert f"Updated {out / 'index.html'}" in result.output


def test_demo_json_groups_events_and_cites_every_sentence(demo_run) -> None:
    _, out, _ = demo_run
    doc = json.loads((out / "2022-12-21.json").read_text())
    assert doc["date"] == "2022-12-21" and doc["backend"] == "extractive"
    groups = [sorted(Path(a["path"]).name[:3] for a in e["articles"]) for e in doc["events"]]
    assert ["000", "001"] in groups
    assert ["004"] in groups
    for event in doc["events"]:
        ids = {a["id"] for a in event["articles"]}
        assert event["sentences"], event["headline"]
        assert len(event["digest"].split()) <= 90
        for sentence in event["sentences"]:
            assert sentence["citations"] and set(sentence["citations"]) <= ids
            assert sentence["evidence"][0]["score"] == 1.0
    assert [e["rank"] for e in doc["events"]] == list(range(1, len(doc["events"]) + 1))
    # the two-outlet Washington event ranks first
    assert sorted(Path(a["path"]).name[:3] for a in doc["events"][0]["articles"]) == [
        "000",
        "001",
    ]


def test_markdown_title_carries_date_and_citations(demo_run) -> None:
    _, out, _ = demo_run
    md = (out / "2022-12-21.md").read_text()
    assert md.startswith("# Briefing for Wednesday, 21 December 2022")
    assert "[1]" in md and "### Sources" in md


def test_second_build_adds_no_rows_and_gives_same_briefing(demo_run, tmp_path: Path) -> None:
    _, out, db = demo_run
    first = json.loads((out / "2022-12-21.json").read_text())
    store = Store(open_database(db))
    counts = {t: store.db[t].count for t in ("articles", "sources", "embeddings", "digests")}
    result = build(str(DEMO), "--date", "2022-12-21", "--out", str(out), "--db", str(db))
    assert result.exit_code == 0
    second = json.loads((out / "2022-12-21.json").read_text())
    store = Store(open_database(db))
    assert counts == {t: store.db[t].count for t in counts}
    first.pop("generated_at"), second.pop("generated_at")
    assert first == second
    assert store.db["runs"].count == 2


def test_bad_inputs_are_skipped_and_the_rest_is_built(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(DEMO, corpus)
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "broken.json").write_text('{"title": "x", "text": "unfinished')
    (corpus / "wrong.json").write_text("[1, 2, 3]")
    (corpus / "feed.xml").write_text("<rss><channel><item><title>oops</chan")
    out = tmp_path / "out"
    result = build(
        str(corpus), "--date", "2022-12-21", "--out", str(out), "--db", str(tmp_path / "b.db")
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "2022-12-21.json").read_text())
    skipped = {Path(s["path"]).name: s["reason"] for s in doc["skipped"]}
    assert set(skipped) == {"empty.txt", "binary.txt", "broken.json", "wrong.json", "feed.xml#1"}
    assert "malformed XML" in skipped["feed.xml#1"]
    assert skipped["empty.txt"] == "empty file"
    assert skipped["binary.txt"] == "binary file, not text"
    assert skipped["broken.json"].startswith("malformed JSON")
    assert doc["stats"]["read"] == 5 and doc["stats"]["skipped"] == 5
    assert "skipped" in result.output and "binary.txt" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing-folder"], "corpus path not found"),
        (["--date", "2022-02-30"], "invalid date '2022-02-30'"),
        (["--format", "pdf"], "unknown format 'pdf'"),
        (["--backend", "nope"], "unknown backend 'nope'"),
    ],
)
def test_errors_are_one_line_with_status_1(tmp_path: Path, args: list[str], message: str) -> None:
    paths = [] if args[0] == "missing-folder" else [str(DEMO)]
    if args[0] == "missing-folder":
        paths, args = [str(tmp_path / "missing-folder")], []
    result = CliRunner().invoke(
        cli, ["build", *paths, *args, "--out", str(tmp_path / "o"), "--db", str(tmp_path / "d")]
    )
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_window_excludes_old_articles(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(
        str(DEMO),
        "--date",
        "2022-12-30",
        "--window",
        "2",
        "--out",
        str(out),
        "--db",
        str(tmp_path / "b.db"),
        "--format",
        "json",
    )
    assert result.exit_code == 0
    doc = json.loads((out / "2022-12-30.json").read_text())
    names = {Path(a["path"]).name[:3] for e in doc["events"] for a in e["articles"]}
    assert names == {"001", "002", "004"}  # undated ones only; 000 and 003 are too old
    assert doc["stats"]["out_of_window"] == 2


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "build", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Build the dated briefing" in result.stdout
