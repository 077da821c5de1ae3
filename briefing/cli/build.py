"""`briefing build` and `briefing summarize`: a dated briefing of a corpus, or one event."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console

from ..pipeline import BuildOptions, BuildResult, build_briefing
from ..publish.mail import send_briefing
from ..publish.render import event_to_dict, make_environment
from ..single import summarize_files
from .common import RichProgress, backend_options, home_dir, parse_date, prepare_backend, printable
from .config import Config, find_config
from .options import BuildFlags, build_options, to_build_options
from .send import SmtpOptions, smtp_options

_err = Console(stderr=True, highlight=False)


@click.command("build")
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
    if config.backend == "auto":
        from ..localmodels.cpu import auto_backend

        choice = auto_backend()
        _err.print(f"backend: {choice.backend} (auto: {choice.reason})", markup=False)
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


@click.command("summarize")
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
