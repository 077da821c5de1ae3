"""The ``briefing compare`` command: check a summary against its sources."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from ..check.compare import EventComparison, compare_summary
from ..check.compare_io import compare_briefing, compare_pairs, read_sources, summary_from_bytes
from ..check.compare_render import FORMATS, render_html, render_json, render_markdown, render_table
from ..errors import BriefingError, InputError

_MARKDOWN = {".md", ".markdown"}


class _CompareCommand(click.Command):
    """A command that shows library errors as one line, exit status 1 (also outside the group)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BriefingError as e:
            raise click.ClickException(str(e)) from e


def _read_bytes(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as e:
        raise InputError(f"cannot read {name}: {e.strerror or e}") from None


@click.command("compare", cls=_CompareCommand)
@click.argument("summary", required=False)
@click.option("--source", "sources", multiple=True, type=click.Path(path_type=Path),
              help="A source file the summary should follow (repeatable).")
@click.option("--reference", metavar="FILE",
              help="A reference summary (text or Markdown) to score ROUGE against.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Report format.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
@click.option("--pairs", metavar="FILE.jsonl",
              help='Batch mode: one {"summary": ..., "sources": [...]} object a line ("-": stdin).')
def compare(
    summary: str | None,
    sources: tuple[Path, ...],
    reference: str | None,
    fmt: str,
    out: Path | None,
    pairs: str | None,
) -> None:
    """Check a summary, claim by claim, against its source texts.

    SUMMARY is a text or Markdown file, or - for standard input. Given a
    briefing JSON, every event's digest is checked against that event's
    articles (read from the paths in the JSON).

    \b
    Examples:
        briefing compare summary.md --source a.txt --source b.html
        briefing compare outputs/2022-12-21.json --format html --out check.html
        briefing compare --pairs pairs.jsonl --out results.jsonl
    """
    if pairs is not None:
        if summary or sources or reference:
            raise click.UsageError("--pairs takes no SUMMARY, --source or --reference")
        _compare_pairs(pairs, out)
        return
    if summary is None:
        raise click.UsageError("give a SUMMARY file (or - for standard input), or --pairs FILE")
    if summary != "-" and Path(summary).suffix.lower() == ".json":
        if sources or reference:
            raise click.UsageError("a briefing JSON brings its own sources: drop --source")
        items = compare_briefing(Path(summary))
        _show(items, fmt, out, title=f"Summary check: {Path(summary).name}", briefing=summary)
        return
    if not sources:
        raise click.UsageError("give at least one --source FILE")
    markdown = Path(summary).suffix.lower() in _MARKDOWN
    text = summary_from_bytes(_read_bytes(summary), markdown=markdown)
    ref = None
    if reference is not None:
        ref_markdown = Path(reference).suffix.lower() in _MARKDOWN
        ref = summary_from_bytes(_read_bytes(reference), markdown=ref_markdown)
    articles, notes = read_sources(sources)
    comparison = compare_summary(text, articles, reference=ref, notes=notes)
    name = "standard input" if summary == "-" else summary
    _show([EventComparison(0, name, comparison)], fmt, out, title=f"Summary check: {name}")


def _show(
    items: list[EventComparison], fmt: str, out: Path | None, *, title: str,
    briefing: str | None = None,
) -> None:
    if fmt == "table" and out is None:
        from ..check.compare_render import table_renderables

        Console(highlight=False).print(*table_renderables(items))
        return
    text = {
        "table": lambda: render_table(items),
        "md": lambda: render_markdown(items, title=title),
        "json": lambda: render_json(items, briefing=briefing),
        "html": lambda: render_html(items, title=title),
    }[fmt]()
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text, "utf-8")
    except OSError as e:
        raise BriefingError(f"cannot write {out}: {e.strerror or e}") from None
    click.echo(f"Wrote {out}", err=True)


def _compare_pairs(pairs: str, out: Path | None) -> None:
    from .common import RichProgress  # here, not at the top: cli.py imports this module

    source = sys.stdin if pairs == "-" else Path(pairs)
    if isinstance(source, Path) and not source.is_file():
        raise InputError(f"pairs file not found: {pairs}")
    count = compare_pairs(source, out or sys.stdout, RichProgress())
    click.echo(f"Compared {count} summar{'y' if count == 1 else 'ies'}.", err=True)
