"""The ``briefing`` command line: read options, make one library call, echo.

Every ``BriefingError`` becomes a one-line message and exit status 1 (in
``BriefingGroup.invoke``); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import logging

import click

from ..errors import BriefingError
from .build import build, summarize
from .compare import compare
from .models import models_group
from .run import fetch, run
from .send import send


class BriefingGroup(click.Group):
    """A click group that shows library errors as one line, exit status 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BriefingError as e:
            raise click.ClickException(str(e)) from e


@click.group(cls=BriefingGroup)
@click.version_option(package_name="briefing")
@click.option("-v", "--verbose", is_flag=True, help="Log every step.")
def cli(verbose: bool) -> None:
    """Local-first news briefings: a folder of articles in, a dated briefing out."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
    )


cli.add_command(build)
cli.add_command(summarize)
cli.add_command(models_group)
cli.add_command(send)
cli.add_command(compare)
cli.add_command(fetch)
cli.add_command(run)
