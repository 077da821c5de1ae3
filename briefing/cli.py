"""The ``briefing`` command line: read options, make one library call, echo.

Every ``BriefingError`` becomes a one-line message and exit status 1 (in
``BriefingGroup.invoke``); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .errors import BriefingError
from .pipeline import BuildOptions, build_briefing
from .render import FORMATS

_err = Console(stderr=True, highlight=False)


class BriefingGroup(click.Group):
    """A click group that shows library errors as one line, exit status 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BriefingError as e:
            raise click.ClickException(str(e)) from e


def home_dir() -> Path:
    """Return the user's briefing folder: BRIEFING_HOME or the platform's app folder."""
    return Path(os.environ.get("BRIEFING_HOME") or click.get_app_dir("briefing"))


def parse_date(value: str | None) -> dt.date:
    """Parse a YYYY-MM-DD date (today when None), with a clear error."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BriefingError(
            f"invalid date {value!r}: expected an existing day as YYYY-MM-DD"
        ) from None


def parse_formats(value: str) -> tuple[str, ...]:
    """Parse a comma-separated list of output formats."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise BriefingError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}"
        )
    return formats


class RichProgress:
    """Draw the pipeline's slow stages as rich progress bars on standard error."""

    def __init__(self) -> None:
        self._bar: Progress | None = None
        self._task = None

    def start(self, stage: str, total: int) -> None:
        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("{task.fields[info]}"),
            console=_err, transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(stage, total=total, info="")

    def advance(self, info: str = "") -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, info=info[:60])

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@click.group(cls=BriefingGroup)
@click.version_option(package_name="briefing")
@click.option("-v", "--verbose", is_flag=True, help="Log every step.")
def cli(verbose: bool) -> None:
    """Local-first news briefings: a folder of articles in, a dated briefing out."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
    )


@cli.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="Briefing date (default: today).")
@click.option("--window", default=2, show_default=True, type=click.IntRange(0),
              help="Include articles dated up to DAYS before the date (undated always).")
@click.option("--out", "out_dir", default="outputs", show_default=True,
              type=click.Path(path_type=Path), help="Folder for the briefing files.")
@click.option("--format", "formats", default="md,html,json", show_default=True,
              help="Comma-separated output formats: md, html, json.")
@click.option("--backend", default="extractive", show_default=True,
              help="Summarizer backend (extractive, hf).")
@click.option("--model", default=None, help="For the hf backend: a model name, folder or GGUF.")
@click.option("--max-words", default=90, show_default=True, type=click.IntRange(10, 1000),
              help="Digest length limit in words.")
@click.option("--db", "db_path", type=click.Path(path_type=Path),
              help="SQLite database (default: $BRIEFING_HOME/briefing.db).")
@click.option("--templates", "template_dirs", multiple=True, type=click.Path(path_type=Path),
              help="A folder of templates overriding the shipped ones (repeatable).")
def build(
    paths: tuple[Path, ...],
    date_: str | None,
    window: int,
    out_dir: Path,
    formats: str,
    backend: str,
    model: str | None,
    max_words: int,
    db_path: Path | None,
    template_dirs: tuple[Path, ...],
) -> None:
    """Build the dated briefing of a corpus of articles.

    PATHS are files or folders (searched recursively); the default is ./corpus.

    \b
    Example:
        briefing build corpus --date 2022-12-21
    """
    options = BuildOptions(
        paths=paths or (Path("corpus"),),
        date=parse_date(date_),
        out_dir=out_dir,
        db_path=db_path or home_dir() / "briefing.db",
        window=window,
        formats=parse_formats(formats),
        backend=backend,
        backend_options=(("model", model),) if model else (),
        max_words=max_words,
        template_dirs=template_dirs,
    )
    result = build_briefing(options, progress=RichProgress())
    s = result.briefing.stats
    for skipped in result.briefing.skipped:
        _err.print(f"skipped {skipped.path}: {skipped.reason}", markup=False)
    click.echo(
        f"Read {s.read} articles ({s.out_of_window} outside the window), "
        f"{s.duplicates} duplicates, {s.events} events, {s.skipped} skipped."
    )
    for path in result.outputs:
        click.echo(f"Wrote {path}")
