"""docs/ documents every command and option, every command has help text, and the
README stays short and links to docs/."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from briefing.cli import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))


def options(command: click.Command, prefix: str = "") -> list[tuple[str, str]]:
    """Return (command path, option) for every long option of a command and its subcommands."""
    found = [(prefix + command.name, opt) for param in command.params
             if isinstance(param, click.Option) for opt in param.opts if opt.startswith("--")]
    for sub in getattr(command, "commands", {}).values():
        found += options(sub, prefix + command.name + " ")
    return found


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_documented(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and cli.commands[name].help
    assert f"briefing {name}" in DOCS


@pytest.mark.parametrize(
    "envvar",
    ["BRIEFING_CONFIG", "BRIEFING_OUT", "BRIEFING_DB", "BRIEFING_WINDOW", "BRIEFING_FORMAT",
     "BRIEFING_MAX_WORDS", "BRIEFING_TEMPLATES", "BRIEFING_PROMPTS", "BRIEFING_FETCHED",
     "BRIEFING_FETCH_DELAY", "BRIEFING_FETCH_TIMEOUT", "BRIEFING_FETCH_MAX_BYTES",
     "BRIEFING_USER_AGENT"],
)
def test_run_options_and_their_variables_are_documented(envvar: str) -> None:
    result = CliRunner().invoke(cli, ["run", "--help"], terminal_width=200)
    assert envvar in result.output and f"`{envvar}`" in DOCS


@pytest.mark.parametrize(("command", "option"), sorted(set(
    found for name in cli.commands for found in options(cli.commands[name]))))
def test_every_option_is_documented(command: str, option: str) -> None:
    assert f"{option}" in DOCS, f"{command} {option} is not in docs/"


def test_readme_is_short_and_its_links_work() -> None:
    assert len(README.splitlines()) <= 200
    assert README.split("```")[1].strip().splitlines()[1:] == [
        "make briefing   # create .venv, install everything, build "
        "outputs/2022-12-21.{md,html,json} from corpus/",
        "make test       # create .venv, install everything, run the test suite",
    ]
    for link in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (ROOT / link).is_file(), link
