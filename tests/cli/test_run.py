"""`briefing fetch` and `briefing run` end to end: a feed site on 127.0.0.1, real builds
(extractive backend), a real SMTP server (aiosmtpd), and the documented exit codes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli.main import cli
from tests.ingest.test_fetch import TEXTS
from tests.publish.test_mail import Recorder, free_port
from tests.webserver import Route, Site, page, rss, serve

DAY = "2022-12-21"


@pytest.fixture
def site() -> Iterator[Site]:
    """The five demo articles as pages of one outlet, listed by one RSS feed."""
    with serve() as s:
        items = []
        for name, text in TEXTS.items():
            s.routes[f"/news/{name}.html"] = Route(page(f"Story {name}", text, site_name="Daily"))
            items.append({"title": f"Story {name}", "link": s.url(f"/news/{name}.html"),
                          "date": "Tue, 20 Dec 2022 08:00:00 GMT"})
        s.routes["/feed.xml"] = Route(rss("Daily feed", items), etag='"1"',
                                      content_type="application/rss+xml")
        yield s


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, int]]:
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield recorder, controller.port
    controller.stop()


def write_config(tmp_path: Path, feeds: list[str], *, email_port: int | None = None) -> Path:
    lines = [f"feeds = {json.dumps(feeds)}", 'out = "out"', 'db = "b.db"',
             'backend = "extractive"', "[fetch]", 'folder = "fetched"', "delay = 0",
             "timeout = 2"]
    if email_port is not None:
        lines += ["[email]", 'host = "127.0.0.1"', f"port = {email_port}",
                  'security = "none"', 'to = "ann@example.org"', "retries = 0"]
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_run_fetches_builds_and_mails(tmp_path: Path, site: Site, smtp) -> None:
    recorder, port = smtp
    config = write_config(tmp_path, [site.url("/feed.xml")], email_port=port)
    result = invoke("run", "--config", str(config), "--date", DAY)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Fetched 5 new articles from 1 feeds (0 unchanged), 0 already stored, 0 failed.")
    assert re.search(r"^Read 5 articles \(0 outside the window\), 0 duplicates, [1-5] events, "
                     r"0 skipped\.$", result.output, re.M)
    assert "Sent 'Briefing for Wednesday, 21 December 2022' to ann@example.org" in result.output
    doc = json.loads((tmp_path / "out" / f"{DAY}.json").read_text())
    articles = [a for e in doc["events"] for a in e["articles"]]
    assert sorted(a["url"] for a in articles) == sorted(
        site.url(f"/news/{n}.html") for n in TEXTS)
    assert {a["source"] for a in articles} == {"Daily"}
    assert all(Path(a["path"]).is_relative_to(tmp_path / "fetched") for a in articles)
    [(_, rcpts, message)] = recorder.received
    assert rcpts == ["ann@example.org"] and message.get_content_type() == "multipart/alternative"

    site.requests.clear()  # the next morning: the feed has not changed
    again = invoke("run", "--config", str(config), "--date", DAY, "--no-email")
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[0] == (
        "Fetched 0 new articles from 1 feeds (1 unchanged), 0 already stored, 0 failed.")
    assert "Read 5 articles" in again.output and "Sent" not in again.output
    assert site.paths() == ["/robots.txt", "/feed.xml"]
    assert len(recorder.received) == 1


def test_run_is_partial_when_a_page_fails_and_mail_cannot_be_sent(tmp_path: Path,
                                                                  site: Site) -> None:
    site.routes["/news/003.html"].status = 404
    config = write_config(tmp_path, [site.url("/feed.xml"), site.url("/missing.xml")],
                          email_port=free_port())
    result = CliRunner().invoke(cli, ["run", "--config", str(config), "--date", DAY])
    assert result.exit_code == 3, result.output
    out = result.output
    assert (f"failed page {site.url('/news/003.html')} (linked from {site.url('/feed.xml')}): "
            "HTTP 404 Not Found") in out
    assert f"failed feed {site.url('/missing.xml')}: HTTP 404 Not Found" in out
    assert "Fetched 4 new articles from 2 feeds (0 unchanged), 0 already stored, 2 failed." in out
    assert "Read 4 articles" in out
    assert "Error: cannot connect to 127.0.0.1" in out and "Traceback" not in out
    assert (tmp_path / "out" / f"{DAY}.json").exists()
    assert (tmp_path / "out" / f"{DAY}.eml").exists()


def test_run_without_feeds_builds_the_corpus(tmp_path: Path) -> None:
    from tests.conftest import DEMO

    config = tmp_path / "config.toml"
    config.write_text(f'corpus = ["{DEMO}"]\nbackend = "extractive"\nformats = "md"\n'
                      f'out = "o"\ndb = "b.db"\n')
    result = invoke("run", "--config", str(config), "--date", DAY)
    assert result.exit_code == 0, result.output
    assert not result.output.startswith("Fetched")
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [f"{DAY}.md"]


def test_fetch_command_exit_codes(tmp_path: Path, site: Site) -> None:
    config = write_config(tmp_path, [site.url("/feed.xml")])
    result = invoke("fetch", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Fetched 5 new articles from 1 feeds (0 unchanged), 0 already stored, 0 failed.\n")
    assert len(list((tmp_path / "fetched").rglob("*.json"))) == 5

    result = invoke("fetch", "--config", str(config), "--feed", site.url("/nope.xml"))
    assert result.exit_code == 3
    assert f"failed feed {site.url('/nope.xml')}: HTTP 404 Not Found" in result.output


def test_fetch_usage_and_config_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("window = 1\n")
    result = CliRunner().invoke(cli, ["fetch", "--config", str(empty)])
    assert result.exit_code == 1
    assert result.output == (f"Error: no feeds to fetch: list them as feeds = [...] in {empty} "
                             "or pass --feed URL\n")
    result = CliRunner().invoke(cli, ["fetch", "--feed", "file:///etc/passwd"])
    assert result.exit_code == 2 and "is not an http(s) URL" in result.output
    result = CliRunner().invoke(cli, ["run", "--delay", "-1"])
    assert result.exit_code == 2


def test_fetch_settings_precedence_flag_env_file(tmp_path: Path, site: Site) -> None:
    config = write_config(tmp_path, [site.url("/feed.xml")])
    config.write_text(config.read_text() + "max_bytes = 100\n")  # in [fetch]: all too large
    first = CliRunner().invoke(cli, ["fetch", "--config", str(config)])
    assert first.exit_code == 3 and "the limit is 100\n" in first.output
    env = {"BRIEFING_FETCH_MAX_BYTES": "200"}
    second = CliRunner().invoke(cli, ["fetch", "--config", str(config)], env=env)
    assert second.exit_code == 3 and "the limit is 200\n" in second.output
    third = CliRunner().invoke(cli, ["fetch", "--config", str(config), "--max-bytes", "99999"],
                               env=env)
    assert third.exit_code == 0, third.output
    assert "Fetched 5 new articles" in third.output
