"""What the commands share: the home folder, dates, names shown safely, progress bars,
and the backend options (preparing the local model first).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..errors import BriefingError

_err = Console(stderr=True, highlight=False)


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
    from ..summarize.registry import resolve_backend

    backend = resolve_backend(backend)
    if backend not in {"hf", "llama"}:
        return
    from ..localmodels import registry
    from .models import PrepareBar

    name = model or registry.DEFAULT_MODEL
    with PrepareBar() as bar:
        if backend == "hf":
            registry.resolve_model(name, progress=bar)
        elif name in registry.KNOWN_MODELS:  # llama reads the GGUF itself: assemble it
            registry.gguf_path(name, cache_dir=registry.default_cache_dir(), progress=bar)


_BACKEND_OPTIONS = [
    click.option(
        "--backend",
        default="auto",
        show_default=True,
        envvar="BRIEFING_BACKEND",
        help="Summarizer backend: auto (the fastest for this CPU: hf where bf16 is native, "
        "llama on AVX2 alone; see `briefing models cpu`), hf (the local model), llama (the "
        "same model on llama.cpp), extractive, or a plugin's name.",
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
