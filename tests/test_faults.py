"""Faults: a build killed mid-summarization, a read-only or full output folder, two builds at once.

Every build here is a real ``python -m briefing build`` process on a real SQLite file.
The summarizer is ``tests/hang_backend.py``, registered as a plugin through a
``briefing.backends`` entry point, so that a build can be held at a known event.
Read-only and full folders are real file systems: a tmpfs mounted in a private mount
namespace (``unshare``), read-only or filled up; root ignores permission bits, so
``chmod`` would prove nothing in CI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.pipeline import BuildOptions, build_briefing

from .conftest import DEMO, ROOT

DATE = "2022-12-21"
NEW_ARTICLES = {
    "volcano.txt": (
        "Iceland volcano erupts near Grindavik\n\n"
        "date 2022-12-20 A volcano on the Reykjanes peninsula in Iceland erupted on Tuesday "
        "night, sending lava fountains into the sky. Civil defence officials evacuated the "
        "fishing town of Grindavik as a precaution. Scientists said the fissure was about "
        "four kilometres long and that flights at Keflavik airport were not affected."
    ),
    "chess.txt": (
        "Teenager wins the world rapid chess championship\n\n"
        "date 2022-12-21 A seventeen-year-old grandmaster won the world rapid chess "
        "championship in Almaty on Wednesday after a tie-break against the defending "
        "champion. The final round drew thousands of online viewers. Organisers said the "
        "blitz tournament starts on Thursday with two hundred players."
    ),
    "rates.txt": (
        "Central bank raises interest rates to fight inflation\n\n"
        "date 2022-12-21 The central bank of Norway raised its key interest rate by a quarter "
        "point on Wednesday, its seventh increase this year. The governor said inflation was "
        "still far above the target and that mortgage costs would keep rising. Economists had "
        "expected the move; the krone strengthened slightly after the decision."
    ),
}


# -- helpers -------------------------------------------------------------------
@pytest.fixture
def plugin_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a build process that has the ``hang`` backend installed as a plugin."""
    site = tmp_path / "site"
    info = site / "briefing_test_backends-0.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: briefing-test-backends\nVersion: 0.0\n", "utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[briefing.backends]\nhang = tests.hang_backend:HangingSummarizer\n", "utf-8"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(ROOT)])
    env["BRIEFING_HOME"] = str(tmp_path / "home")
    env["HF_HUB_OFFLINE"] = "1"
    env.pop("BRIEFING_TEST_HANG_AT", None)
    return env


def build_cmd(corpus: Path, out: Path, db: Path, backend: str = "hang") -> list[str]:
    """Return the command line of a build of ``corpus`` into ``out``."""
    return [sys.executable, "-m", "briefing", "build", str(corpus), "--date", DATE,
            "--out", str(out), "--db", str(db), "--backend", backend]


def run_build(cmd: list[str], env: dict[str, str], calls: Path, **extra: str):
    """Run a build to the end; return the finished process."""
    env = {**env, "BRIEFING_TEST_CALLS": str(calls), **extra}
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)


def start_build(cmd: list[str], env: dict[str, str], calls: Path, hang_at: int, release: Path):
    """Start a build that hangs at summarizer call ``hang_at``; return once it hangs there."""
    env = {**env, "BRIEFING_TEST_CALLS": str(calls), "BRIEFING_TEST_HANG_AT": str(hang_at),
           "BRIEFING_TEST_RELEASE": str(release)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 300  # a guard against a hung test, not a timing assertion
    while len(read_calls(calls)) < hang_at:
        if proc.poll() is not None:
            pytest.fail(f"the build ended early ({proc.returncode}): {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the build never reached the summarizer")
        time.sleep(0.1)
    return proc


def read_calls(calls: Path) -> list[tuple[str, ...]]:
    """Return the events (sorted article ids) the hang backend was asked about."""
    if not calls.exists():
        return []
    return [tuple(json.loads(line)) for line in calls.read_text("utf-8").splitlines()]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file of a folder with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def integrity(db: Path) -> str:
    """Run SQLite's own consistency check on a database file."""
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def query(db: Path, sql: str) -> list[tuple]:
    """Return the rows of a query on a database file."""
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def one_line_error(stderr: str) -> str:
    """Return the one error line of a failed build (its other lines are progress bars)."""
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if "Error" in line]
    assert len(errors) == 1 and stderr.rstrip().endswith(errors[0]), stderr
    return errors[0]


def event_sets(out: Path) -> set[tuple[str, ...]]:
    """Return the events of a written briefing as sorted article-id tuples."""
    doc = json.loads((out / f"{DATE}.json").read_text("utf-8"))
    return {tuple(sorted(a["id"] for a in e["articles"])) for e in doc["events"]}


# -- killed in the middle ----------------------------------------------------------
def test_killed_build_keeps_old_files_and_the_next_run_reuses_digests(tmp_path, plugin_env):
    corpus, out, db = tmp_path / "corpus", tmp_path / "out", tmp_path / "b.db"
    shutil.copytree(DEMO, corpus)
    first = run_build(build_cmd(corpus, out, db), plugin_env, tmp_path / "calls1")
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    assert sorted(before) == [f"{DATE}.html", f"{DATE}.json", f"{DATE}.md", "index.html"]
    done_first = set(read_calls(tmp_path / "calls1"))
    assert done_first == event_sets(out)

    for name, text in NEW_ARTICLES.items():  # new events: the next build has work to do
        (corpus / name).write_text(text, "utf-8")
    calls2 = tmp_path / "calls2"
    proc = start_build(build_cmd(corpus, out, db), plugin_env, calls2, hang_at=2,
                       release=tmp_path / "never")
    proc.kill()  # SIGKILL while the second new event is being summarized
    proc.wait(timeout=60)
    assert proc.returncode == -9

    assert snapshot(out) == before  # the previous briefing, byte for byte, and no temp file
    assert integrity(db) == "ok"
    assert query(db, "select status from runs order by id") == [("ok",), ("running",)]
    killed_calls = read_calls(calls2)
    assert len(killed_calls) == 2 and not set(killed_calls) & done_first
    committed = set(killed_calls[:-1])  # the digest made before the kill is in the store
    assert query(db, "select count(*) from digests")[0][0] == len(done_first) + len(committed)

    calls3 = tmp_path / "calls3"
    third = run_build(build_cmd(corpus, out, db), plugin_env, calls3)
    assert third.returncode == 0, third.stderr
    final = event_sets(out)
    resumed = read_calls(calls3)
    assert len(resumed) == len(set(resumed))
    assert set(resumed) == final - done_first - committed  # only the missing digests
    assert killed_calls[-1] in resumed and len(resumed) < len(final)
    assert len(final) >= len(done_first) + 2
    assert integrity(db) == "ok"
    assert query(db, "select status from runs order by id") == [
        ("ok",), ("interrupted",), ("ok",)
    ]


# -- two builds at once ----------------------------------------------------------
def test_second_concurrent_build_is_refused_and_the_database_stays_sound(tmp_path, plugin_env):
    out, db, release = tmp_path / "out", tmp_path / "b.db", tmp_path / "release"
    calls = tmp_path / "calls"
    holder = start_build(build_cmd(DEMO, out, db), plugin_env, calls, hang_at=1,
                         release=release)
    try:
        loser = run_build(build_cmd(DEMO, tmp_path / "out2", db, backend="extractive"),
                          plugin_env, tmp_path / "calls-loser")
    finally:
        release.touch()
    stdout, stderr = holder.communicate(timeout=300)
    assert holder.returncode == 0, stderr
    assert loser.returncode == 1
    assert loser.stdout == ""
    assert loser.stderr.strip().splitlines() == [
        f"Error: another briefing build is using the database {db} (lock file {db}.lock);"
        " try again when it has finished"
    ]
    assert not (tmp_path / "out2").exists()
    assert integrity(db) == "ok"
    assert query(db, "select status from runs") == [("ok",)]
    assert len(read_calls(calls)) == query(db, "select count(*) from digests")[0][0] == 4

    again = run_build(build_cmd(DEMO, out, db), plugin_env, tmp_path / "calls-again")
    assert again.returncode == 0, again.stderr  # the lock went with the first build
    assert read_calls(tmp_path / "calls-again") == []  # every digest was cached


# -- read-only and full output folders ------------------------------------------------
@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete earlier briefing of the demo corpus (and its database)."""
    folder = tmp_path_factory.mktemp("previous")
    options = BuildOptions(paths=(DEMO,), date=dt.date.fromisoformat(DATE),
                           out_dir=folder / "out", db_path=folder / "b.db", backend="extractive")
    build_briefing(options)
    return folder


def _can_mount() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                            "mount -t tmpfs -o size=16k tmpfs /mnt"],
                           capture_output=True, check=False)
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(
    not _can_mount(), reason="needs unshare (util-linux) and user or mount namespaces"
)
# Inside a private mount namespace: a tmpfs on $OUT holding the previous briefing, made
# read-only or filled to the last byte; then the command; then copy what is there out.
SCRIPT = """set -e
mount -t tmpfs -o size=256k tmpfs "$OUT"
cp "$PREV"/* "$OUT"/
case "$MODE" in
  ro) mount -o remount,ro "$OUT" ;;
  full) dd if=/dev/zero of="$OUT/filler" bs=1k 2>/dev/null || true ;;
esac
set +e
"$@" >"$KEEP/stdout" 2>"$KEEP/stderr"
echo $? >"$KEEP/rc"
rm -f "$OUT/filler" 2>/dev/null
cp -a "$OUT"/. "$KEEP/after/"
"""


def run_in_tmpfs(tmp_path: Path, previous: Path, mode: str, cmd: list[str]) -> tuple[str, str]:
    """Run ``cmd`` with a tmpfs on ``tmp_path/out`` (``ro`` or ``full``) holding the
    previous briefing; return its exit status and stderr (the tmpfs is copied to ``keep``)."""
    out, keep = tmp_path / "out", tmp_path / "keep"
    (keep / "after").mkdir(parents=True)
    env = {**os.environ, "OUT": str(out), "PREV": str(previous / "out"), "KEEP": str(keep),
           "MODE": mode, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                           SCRIPT, "sh", *cmd], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return (keep / "rc").read_text().strip(), (keep / "stderr").read_text("utf-8")


@needs_mount
@pytest.mark.parametrize(
    ("mode", "reason"), [("ro", "Read-only file system"), ("full", "No space left on device")]
)
def test_read_only_or_full_output_folder_is_a_clear_error(tmp_path, previous, mode, reason):
    out, keep = tmp_path / "out", tmp_path / "keep"
    out.mkdir()
    db = tmp_path / "b.db"
    shutil.copy(previous / "b.db", db)
    cmd = build_cmd(DEMO, out, db, backend="extractive")
    rc, stderr = run_in_tmpfs(tmp_path, previous, mode, cmd)
    assert rc == "1"
    error = one_line_error(stderr)
    assert error.startswith(f"Error: cannot write {out}/{DATE}.") and error.endswith(reason)
    assert snapshot(keep / "after") == snapshot(previous / "out")  # nothing lost, no temp
    assert integrity(db) == "ok"
    status = query(db, "select status from runs order by id")[-1][0]
    assert status.startswith("failed: cannot write") and reason in status


@needs_mount
def test_saving_the_eml_into_a_read_only_folder_is_a_clear_error(tmp_path, previous):
    out = tmp_path / "out"
    out.mkdir()
    cmd = [sys.executable, "-m", "briefing", "send", DATE, "--out", str(out),
           "--to", "reader@example.org", "--dry-run"]
    rc, stderr = run_in_tmpfs(tmp_path, previous, "ro", cmd)
    assert rc == "1"
    assert one_line_error(stderr) == (
        f"Error: cannot write {out}/{DATE}.eml: Read-only file system"
    )
    assert snapshot(tmp_path / "keep" / "after") == snapshot(previous / "out")


def test_output_folder_under_a_regular_file_is_a_clear_error(tmp_path, previous, plugin_env):
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    db = tmp_path / "b.db"
    shutil.copy(previous / "b.db", db)
    done = run_build(build_cmd(DEMO, blocker / "out", db, backend="extractive"), plugin_env,
                     tmp_path / "calls")
    assert done.returncode == 1
    error = one_line_error(done.stderr)
    assert error == f"Error: cannot create output folder {blocker / 'out'}: Not a directory"
    assert blocker.read_text() == "not a folder"
    assert integrity(db) == "ok"


def test_file_size_limit_leaves_every_old_file(tmp_path, previous):
    """RLIMIT_FSIZE (EFBIG) hits the HTML after the Markdown fits: none is replaced."""
    out = tmp_path / "out"
    shutil.copytree(previous / "out", out)
    md_size = (out / f"{DATE}.md").stat().st_size
    html_size = (out / f"{DATE}.html").stat().st_size
    assert md_size < 8192 < html_size
    code = (
        "import dataclasses, datetime as dt, resource, sys\n"
        "from pathlib import Path\n"
        "from briefing.errors import OutputError\n"
        "from briefing.publish.jsonio import load_briefing\n"
        "from briefing.publish.render import write_outputs\n"
        "out = Path(sys.argv[1])\n"
        f"briefing = load_briefing(out / '{DATE}.json')\n"
        "briefing = dataclasses.replace(briefing, generated_at=dt.datetime(2030, 1, 1))\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))\n"
        "try:\n"
        "    write_outputs(briefing, out, ['md', 'html', 'json'])\n"
        "except OutputError as e:\n"
        "    print(e)\n"
    )
    before = snapshot(out)
    done = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True,
                          text=True, timeout=120, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"cannot write {out}/{DATE}.html: File too large"
    assert snapshot(out) == before
