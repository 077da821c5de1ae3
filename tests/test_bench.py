"""The scale benchmark: its corpus generator and its table, at tiny sizes.

No timing is asserted: only that the generator is deterministic and makes the copies
and date spread it documents, and that the suite prints rows and numbers that parse.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bench.__main__ import BEGIN, END, write_results
from bench.corpus_gen import corpus_dir, generate, seed_key, span_days
from bench.suite import run_size, table
from briefing.events.dedup import deduplicate
from briefing.ingest.readers import ingest

ROOT = Path(__file__).resolve().parents[1]
CELL = re.compile(r"^(\d+(?:\.\d+)?) s\*? / (\d+) MB$")
RATIO = re.compile(r"^×\d+(?:\.\d+)?$")


def test_generator_is_deterministic_and_seeded():
    first = generate(80, seed=3)
    assert first == generate(80, seed=3)
    assert first != generate(80, seed=4)
    assert all(set(r) == {"title", "text", "date", "source", "url"} for r in first)
    assert len({r["text"] for r in first}) > 60  # variants differ from each other


def test_corpus_has_copies_that_dedup_folds_and_spread_dates(tmp_path):
    folder = corpus_dir(300, cache=tmp_path)
    files = sorted(folder.rglob("*.json"))
    assert len(files) == 300
    stamp = files[0].stat().st_mtime_ns
    assert corpus_dir(300, cache=tmp_path) == folder  # reused, not rewritten
    assert files[0].stat().st_mtime_ns == stamp

    corpus = ingest([folder])
    assert len(corpus.articles) == 300 and not corpus.skipped
    result = deduplicate(corpus.articles)
    exact = 300 - len({a.id for a in corpus.articles})
    near = [pair for pair in result.near_pairs if pair[2] < 1.0]
    assert exact > 0 and len(near) > 0
    assert result.duplicates >= exact + len(near)
    folded = [a for a in result.articles if a.duplicates]
    assert any(d.source != a.source for a in folded for d in a.duplicates)  # other outlets
    dates = sorted(a.date for a in corpus.articles)
    assert (dates[-1] - dates[0]).days >= span_days(300) - 10 >= 50
    assert all(seed_key(a.url) for a in corpus.articles)


def _run_bench(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "bench", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def _table_rows(output: str) -> list[list[str]]:
    lines = [line for line in output.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in line.strip("|").split("|")] for line in lines]


def test_suite_prints_one_row_per_size_and_ratios(tmp_path):
    done = _run_bench(
        "--sizes", "30,80", "--digests", "0", "--cache", str(tmp_path),
        "--embed-budget", "0", "--embed-chunk", "16",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = _table_rows(done.stdout)
    head = ["size", "articles", "folded", "events", "ingest", "store", "dedup"]
    assert rows[0] == head + ["embed cold", "embed warm", "group", "render"]
    assert [r[0] for r in rows[2:]] == ["30", "80", "80 ÷ 30"]
    for size, row in zip((30, 80), rows[2:4], strict=True):
        articles, folded, events = (int(c.replace(",", "")) for c in row[1:4])
        assert articles == size and 0 < folded < size and events > 0
        for cell in row[4:]:
            assert CELL.match(cell), cell
        assert row[7].endswith("MB") and "*" in row[7]  # only 16 embedded within budget 0
    assert rows[4][1] == "×2.67"
    assert all(RATIO.match(c) for c in rows[4][4:]), rows[4]
    assert "embedded 16 of" in done.stdout and "would take about" in done.stdout
    assert "- Machine: " in done.stdout and "commit " in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["30", "80"]


def test_a_stage_past_its_limit_is_reported_and_its_dependants_skipped(tmp_path):
    corpus = corpus_dir(20, cache=tmp_path / "cache")
    options = {"memory_mb": 12_000, "embed_budget": 1.0, "embed_chunk": 8, "echo": False}
    slow = run_size(corpus, tmp_path / "a", timeout=0.01, **options)
    assert slow["ingest"].status == "timeout"
    assert {r.status for s, r in slow.items() if s != "ingest"} == {"skipped"}
    options["memory_mb"] = 40  # too little address space to import numpy
    starved = run_size(corpus, tmp_path / "b", timeout=60, **options)
    assert starved["ingest"].status == "failed"
    row = _table_rows(table([(20, slow), (20, starved)]))[2:4]
    assert row[0][4] == "timeout >0.01 s" and row[0][5] == "skipped (ingest timeout)"
    assert row[1][4].startswith("failed: ") and row[1][10] == "skipped (group skipped)"


def test_write_results_replaces_its_own_section_only(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text("# Results\n\nKept text.\n")
    write_results("first run\n", path)
    write_results("second run\n", path)
    text = path.read_text()
    assert text.startswith("# Results\n\nKept text.\n")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    assert "second run" in text and "first run" not in text


def test_a_stage_that_timed_out_is_not_run_on_larger_corpora(tmp_path):
    done = _run_bench(
        "--sizes", "20,40", "--digests", "0", "--cache", str(tmp_path), "--stage-timeout", "0.01"
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    small, large = _table_rows(done.stdout)[2:4]
    assert small[4] == "timeout >0.01 s" and large[4] == "skipped (timeout at 20)"
    assert large[5:] == ["skipped (ingest skipped)"] * 2 + ["skipped (dedup skipped)"] * 2 + [
        "skipped (embed skipped)",
        "skipped (group skipped)",
    ]
