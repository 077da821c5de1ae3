"""The TOML config: the example file, every error, and flag > environment > file > default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli.config import Config, find_config, load_config, load_email_config
from briefing.cli.main import cli
from briefing.errors import ConfigError
from briefing.ingest.fetch import Feed
from briefing.ingest.httpget import FetchSettings
from tests.conftest import ROOT


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_example_file_loads(tmp_path: Path) -> None:
    example = ROOT / "config.example.toml"
    config = load_config(example)
    assert config.corpus == (ROOT / "corpus",)
    assert config.out == ROOT / "outputs" and config.db is None
    assert (config.window, config.backend, config.max_words) == (2, "extractive", 90)
    assert config.feeds == (
        Feed("https://www.theguardian.com/world/rss"),
        Feed("https://feeds.bbci.co.uk/news/world/rss.xml", "BBC News"),
    )
    assert config.fetch == FetchSettings(delay=1.0, timeout=20.0, max_bytes=5_000_000)
    email = config.email_table()
    assert email["to"] == ["you@example.org"] and email["port"] == 587
    assert email["password_file"] == str(ROOT / "smtp-password.txt")
    assert load_email_config(example) == email


def test_defaults_and_home(tmp_path: Path) -> None:
    config = find_config(None, tmp_path / "nowhere")
    assert config == Config()
    assert config.corpus_paths() == (Path("corpus"),)
    homed = config.with_home(tmp_path)
    assert homed.db == tmp_path / "briefing.db" and homed.fetch.folder == tmp_path / "fetched"


def test_relative_paths_and_feeds_change_the_corpus(tmp_path: Path) -> None:
    path = write(tmp_path, 'out = "o"\ntemplates = "t"\nprompts = "~/p"\n'
                           'feeds = ["https://a.example/rss"]\n[fetch]\nfolder = "f"\n')
    config = load_config(path)
    assert config.out == tmp_path / "o" and config.templates == (tmp_path / "t",)
    assert config.prompts == Path("~/p").expanduser()
    assert config.corpus_paths() == (tmp_path / "f",)  # feeds listed, no corpus: fetched only
    both = load_config(write(tmp_path, 'corpus = ["c", "d"]\nfeeds = ["http://a.example/"]\n'))
    assert both.with_home(tmp_path).corpus_paths() == (
        tmp_path / "c", tmp_path / "d", tmp_path / "fetched")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("colour = 1\n", "unknown key colour; known: corpus, feeds, out, db, window"),
        ("[build]\nwindow = 1\n", "unknown key build; known:"),
        ("[fetch]\nspeed = 1\n", "unknown [fetch] key speed; known: folder, delay, timeout"),
        ('[email]\nsmtp_host = "h"\n', "unknown [email] key smtp_host; known: host, port"),
        ("window = -1\n", "window must be at least 0, not -1"),
        ('window = "2"\n', "window must be an integer, not '2'"),
        ("window = 2.5\n", "window must be an integer, not 2.5"),
        ("window = true\n", "window must be an integer, not True"),
        ("max_words = 5\n", "max_words must be at least 10 and at most 1000, not 5"),
        ('backend = "gpt"\n', "backend is unknown: 'gpt'; known backends: auto, extractive, hf"),
        ('formats = ["md", "pdf"]\n', "formats has unknown format 'pdf'; choose from md, html"),
        ("corpus = 3\n", "corpus must be a string or a list of strings, not 3"),
        ('out = ""\n', "out must be a non-empty string, not ''"),
        ('feeds = "https://a.example/rss"\n', "feeds must be a list of URLs"),
        ('feeds = ["ftp://a.example/"]\n', "feeds[1] must be an http:// or https:// URL"),
        ('feeds = [{name = "A"}]\n', "feeds[1] has no url; known: url, name"),
        ('feeds = [{url = "https://a.example/", title = "A"}]\n', "feeds[1] has unknown key title"),
        ("[fetch]\ntimeout = 0\n", "[fetch] timeout must be greater than 0, not 0"),
        ("[fetch]\ndelay = -1\n", "[fetch] delay must be at least 0, not -1"),
        ('[fetch]\nmax_bytes = "big"\n', "[fetch] max_bytes must be an integer, not 'big'"),
        ("fetch = 3\n", "[fetch] must be a table"),
        ('[email]\nport = "25"\n', "[email] port must be a int"),
        ("window = \n", "is not valid TOML"),
    ],
)
def test_bad_keys_and_values_name_the_file_and_key(tmp_path: Path, body: str,
                                                   message: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_a_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file .*missing.toml"):
        find_config(tmp_path / "missing.toml", tmp_path)


# --- precedence through the command line (real builds, extractive backend) ---------------


@pytest.fixture
def setup(tmp_path: Path) -> Path:
    """A config whose corpus holds an article of 2022-12-21 and one of 2022-12-15."""
    corpus = tmp_path / "conf" / "news"
    corpus.mkdir(parents=True)
    for day, text in (("2022-12-21", "The harbour bridge in Lisbon reopened to traffic on "
                                     "Wednesday after repairs that lasted nine months."),
                      ("2022-12-15", "Farmers in Brittany reported a record apple harvest this "
                                     "autumn, helped by a warm and dry September.")):
        (corpus / f"{day}.json").write_text(json.dumps({"title": day, "text": text, "date": day}))
    (tmp_path / "conf" / "config.toml").write_text(
        'corpus = ["news"]\nout = "from-file"\nwindow = 10\nbackend = "extractive"\n'
        'formats = ["json"]\ndb = "b.db"\n')
    return tmp_path


@pytest.mark.parametrize(
    ("env", "flags", "out", "outside"),
    [
        ({}, [], "conf/from-file", 0),
        ({"BRIEFING_OUT": "{t}/from-env", "BRIEFING_WINDOW": "1"}, [], "from-env", 1),
        ({"BRIEFING_OUT": "{t}/from-env", "BRIEFING_WINDOW": "1"},
         ["--out", "{t}/from-flag", "--window", "10"], "from-flag", 0),
    ],
)
def test_build_precedence_flag_env_file(setup: Path, env: dict[str, str], flags: list[str],
                                        out: str, outside: int) -> None:
    env = {k: v.format(t=setup) for k, v in env.items()}
    env["BRIEFING_CONFIG"] = str(setup / "conf" / "config.toml")
    args = ["build", "--date", "2022-12-21", *(f.format(t=setup) for f in flags)]
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"Read 2 articles ({outside} outside the window)" in result.output
    assert sorted(p.name for p in (setup / out).iterdir()) == ["2022-12-21.json"]
    assert (setup / "conf" / "b.db").is_file()


def test_build_reports_a_bad_config_in_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "window = -3\n")
    result = CliRunner().invoke(cli, ["build", "--config", str(path)])
    assert result.exit_code == 1
    assert result.output == f"Error: config file {path}: window must be at least 0, not -3\n"


def test_build_reads_the_home_config(briefing_home: Path, tmp_path: Path) -> None:
    briefing_home.mkdir()
    (briefing_home / "config.toml").write_text("max_words = 3\n")
    result = CliRunner().invoke(cli, ["build", str(tmp_path)])
    assert result.exit_code == 1
    assert "max_words must be at least 10 and at most 1000, not 3" in result.output
