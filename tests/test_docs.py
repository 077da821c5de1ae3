"""The README documents every command, and every command has help text."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from briefing.cli.main import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_documented(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and cli.commands[name].help
    assert f"briefing {name}" in README


@pytest.mark.parametrize(
    "envvar",
    ["BRIEFING_CONFIG", "BRIEFING_OUT", "BRIEFING_DB", "BRIEFING_WINDOW", "BRIEFING_FORMAT",
     "BRIEFING_MAX_WORDS", "BRIEFING_TEMPLATES", "BRIEFING_PROMPTS", "BRIEFING_FETCHED",
     "BRIEFING_FETCH_DELAY", "BRIEFING_FETCH_TIMEOUT", "BRIEFING_FETCH_MAX_BYTES",
     "BRIEFING_USER_AGENT"],
)
def test_run_options_and_their_variables_are_documented(envvar: str) -> None:
    result = CliRunner().invoke(cli, ["run", "--help"], terminal_width=200)
    assert envvar in result.output and f"`{envvar}`" in README
