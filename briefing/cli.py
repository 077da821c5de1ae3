"""The ``briefing`` command line: read options, make one library call, echo.

Every ``BriefingError`` becomes a one-line message and exit status 1 (in
``BriefingGroup.invoke``); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .cli_compare import compare
from .cli_models import models_group
from .cli_options import BuildFlags, build_options, to_build_options
from .cli_run import fetch, run
from .cli_send import SmtpOptions, send, smtp_options
from .config import Config, find_config
from .errors import BriefingError
from .mail import send_briefing
from .pipeline import BuildOptions, BuildResult, build_briefing
from .render import event_to_dict, make_environment
from .single import summarize_files

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


def printable(text: str) -> str:
    """Show control characters (line breaks, terminal escapes) of a name as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


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


class RichProgress:
    """Draw the pipeline's slow stages as rich progress bars on standard error."""

    def __init__(self) -> None:
        self._bar: Progress | None = None
        self._task = None

    def start(self, stage: str, total: int) -> None:
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[info]}"),
            console=_err,
            transient=True,
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


def prepare_backend(backend: str, model: str | None) -> None:
    """Prepare the hf or llama backend's model first (a one-time step), with progress bars."""
    if backend not in {"hf", "llama"}:
        return
    from . import modelstore
    from .cli_models import _PrepareBar

    name = model or modelstore.DEFAULT_MODEL
    with _PrepareBar() as bar:
        if backend == "hf":
            modelstore.resolve_model(name, progress=bar)
        elif name in modelstore.KNOWN_MODELS:  # llama reads the GGUF itself: assemble it
            modelstore.gguf_path(name, cache_dir=modelstore.default_cache_dir(), progress=bar)


_BACKEND_OPTIONS = [
    click.option(
        "--backend",
        default="hf",
        show_default=True,
        envvar="BRIEFING_BACKEND",
        help="Summarizer backend: hf (the local model), llama (the same model on llama.cpp), "
        "extractive, or a plugin's name.",
    ),
    click.option(
        "--model",
        default=None,
        envvar="BRIEFING_MODEL",
        help="For the hf backend: a known model name, a checkpoint folder or a GGUF file "
        "(llama: a known model name or a GGUF file).",
    ),
]


def backend_options(command):  # type: ignore[no-untyped-def]
    """Add the --backend and --model options shared by build and summarize."""
    for option in reversed(_BACKEND_OPTIONS):
        command = option(command)
    return command


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
@build_options
@click.option("--email", is_flag=True, help="Also e-mail the HTML briefing (see `send`).")
@smtp_options
def build(
    paths: tuple[Path, ...],
    date_: str | None,
    build_flags: BuildFlags,
    email: bool,
    smtp: SmtpOptions,
) -> None:
    """Build the dated briefing of a corpus of articles.

    PATHS are files or folders (searched recursively); the default is the config
    file's corpus (and the fetched articles when it lists feeds), else ./corpus.
    Every option can be set in the config file (--config, default
    $BRIEFING_HOME/config.toml); a flag or environment variable wins over it.

    \b
    Example:
        briefing build corpus --date 2022-12-21
    """
    config = build_flags.apply(find_config(smtp.config_path, home_dir())).with_home(home_dir())
    settings = smtp.settings(config=config) if email else None  # fails before the build
    options = to_build_options(config, paths=paths, date=parse_date(date_))
    result = build_and_report(options, config)
    if settings is not None:
        sent = send_briefing(
            result.briefing, settings, out_dir=options.out_dir,
            env=make_environment(options.template_dirs),
        )
        click.echo(f"Sent {sent.subject!r} to {', '.join(sent.recipients)}")


def build_and_report(options: BuildOptions, config: Config) -> BuildResult:
    """Prepare the backend, build with progress bars, echo the counts and files written."""
    prepare_backend(options.backend, config.model)
    result = build_briefing(options, progress=RichProgress())
    s = result.briefing.stats
    for skipped in result.briefing.skipped:
        _err.print(f"skipped {printable(skipped.path)}: {printable(skipped.reason)}", markup=False,
                   soft_wrap=True)
    for limit in result.briefing.limits:
        _err.print(f"limit: {printable(limit.message)}", markup=False, soft_wrap=True)
    click.echo(
        f"Read {s.read} articles ({s.out_of_window} outside the window), "
        f"{s.duplicates} duplicates, {s.events} events, {s.skipped} skipped."
    )
    for path in result.outputs:
        click.echo(f"Wrote {path}")
    for path in result.updated:
        click.echo(f"Updated {path}")
    for note in result.notes:
        _err.print(note, markup=False)
    return result


@cli.command("summarize")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--max-words",
    default=90,
    show_default=True,
    type=click.IntRange(10, 1000),
    help="Digest length limit in words.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the event as JSON.")
@click.option("--device", default="auto", show_default=True, envvar="BRIEFING_DEVICE",
              help="auto (a GPU when present), cpu or cuda.")
@backend_options
def summarize(
    files: tuple[Path, ...], max_words: int, as_json: bool, device: str, backend: str,
    model: str | None,
) -> None:
    """Summarize FILES as one event: print its headline and cited digest.

    \b
    Example:
        briefing summarize corpus/000_*.txt corpus/001_*.txt --backend extractive
    """
    prepare_backend(backend, model)
    options = {"model": model} if model else {}
    result = summarize_files(
        list(files), backend=backend, max_words=max_words, options=options, device=device
    )
    for skipped in result.skipped:
        _err.print(f"skipped {printable(skipped.path)}: {printable(skipped.reason)}", markup=False,
                   soft_wrap=True)
    item = result.item
    cuts = [a.truncated for a in item.event.articles] + [item.summary.input_cut]
    for limit in filter(None, cuts):
        _err.print(f"limit: {printable(limit.message)}", markup=False, soft_wrap=True)
    if as_json:
        click.echo(json.dumps(event_to_dict(result.item), ensure_ascii=False, indent=2))
        return
    click.echo(result.item.summary.headline)
    click.echo()
    for sentence in result.item.summary.sentences:
        numbers = [result.numbers[c] for c in sentence.citations]
        click.echo(sentence.text + "".join(f"[{n}]" for n in numbers))
    click.echo()
    for n, article in enumerate(result.item.event.articles, start=1):
        click.echo(f"[{n}] {article.title} ({article.path})")
    for dropped in result.item.summary.dropped:
        _err.print(f"dropped: {dropped.text} ({dropped.reason})", markup=False)


cli.add_command(models_group)
cli.add_command(send)
cli.add_command(compare)
cli.add_command(fetch)
cli.add_command(run)
