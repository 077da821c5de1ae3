"""Options shared by `build`, `fetch` and `run`, resolved flag > environment > config > default.

Click reads a flag or its ``BRIEFING_*`` variable; an option left unset arrives
as None, and then the config file's value (or the default in ``config.Config``)
applies. ``build_options`` and ``fetch_options`` add the options to a command
and hand it a ``BuildFlags`` / ``FetchFlags`` whose ``apply(config)`` returns
the config with the given flags laid over it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import click

from ..errors import BriefingError
from ..localmodels.device import check_device
from ..pipeline import BuildOptions
from ..summarize.registry import resolve_backend
from .config import FORMATS, Config

_PATH = click.Path(path_type=Path)

_BUILD = [
    click.option("--window", type=click.IntRange(0), envvar="BRIEFING_WINDOW", show_envvar=True,
                 help="Include articles dated up to DAYS before the date (undated always) "
                      "(default: 2)."),
    click.option("--out", "out_dir", type=_PATH, envvar="BRIEFING_OUT", show_envvar=True,
                 help="Folder for the briefing files (default: outputs)."),
    click.option("--format", "formats", envvar="BRIEFING_FORMAT", show_envvar=True,
                 help="Comma-separated output formats: md, html, json (default: all three)."),
    click.option("--backend", envvar="BRIEFING_BACKEND", show_envvar=True,
                 help="Summarizer backend: auto (the fastest for this CPU: `briefing models "
                      "cpu`), hf (the local model), llama (the same model on llama.cpp) or "
                      "extractive (default: auto)."),
    click.option("--model", envvar="BRIEFING_MODEL", show_envvar=True,
                 help="For the hf backend: a known model name, a checkpoint folder or a GGUF "
                      "file (llama: a known model name or a GGUF file)."),
    click.option("--max-words", type=click.IntRange(10, 1000), envvar="BRIEFING_MAX_WORDS",
                 show_envvar=True, help="Digest length limit in words (default: 90)."),
    click.option("--db", "db_path", type=_PATH, envvar="BRIEFING_DB", show_envvar=True,
                 help="SQLite database (default: $BRIEFING_HOME/briefing.db)."),
    click.option("--templates", "template_dirs", multiple=True, type=_PATH,
                 envvar="BRIEFING_TEMPLATES", show_envvar=True,
                 help="A folder of templates overriding the shipped ones (repeatable)."),
    click.option("--prompts", "prompt_dir", type=_PATH, envvar="BRIEFING_PROMPTS",
                 show_envvar=True,
                 help="A folder whose digest.j2 or headline.j2 overrides the shipped one (hf, "
                      "llama)."),
    click.option("--max-article-chars", type=click.IntRange(1000),
                 envvar="BRIEFING_MAX_ARTICLE_CHARS", show_envvar=True,
                 help="Cut a longer article's text, noted under limits (default: 200000)."),
    click.option("--max-corpus-chars", type=click.IntRange(1000),
                 envvar="BRIEFING_MAX_CORPUS_CHARS", show_envvar=True,
                 help="Keep only the newest articles within this much text in all; the rest "
                      "are skipped (default: 5000000)."),
    click.option("--max-input-tokens", type=click.IntRange(50),
                 envvar="BRIEFING_MAX_INPUT_TOKENS", show_envvar=True,
                 help="hf and llama backends: tokens of source excerpts the model reads per event "
                      "(default: 450)."),
    click.option("--executor", type=click.Choice(["local", "ray"]), envvar="BRIEFING_EXECUTOR",
                 show_envvar=True,
                 help="Where digests and embeddings are computed: local (this process) or ray "
                      "(a Ray cluster) (default: local)."),
    click.option("--ray-address", envvar="BRIEFING_RAY_ADDRESS", show_envvar=True,
                 metavar="HOST:PORT",
                 help="With --executor ray: the cluster to use (default: start a local Ray "
                      "instance for this build)."),
    click.option("--workers", type=click.IntRange(1), envvar="BRIEFING_WORKERS",
                 show_envvar=True,
                 help="With --executor ray: how many workers, each holding a model (default: "
                      "one per node, one per GPU with cuda)."),
    click.option("--device", envvar="BRIEFING_DEVICE", show_envvar=True,
                 help="auto (a GPU when present), cpu or cuda (default: auto)."),
]

_FETCH = [
    click.option("--fetched", "folder", type=_PATH, envvar="BRIEFING_FETCHED", show_envvar=True,
                 help="Folder for fetched articles (default: $BRIEFING_HOME/fetched)."),
    click.option("--delay", type=click.FloatRange(0), envvar="BRIEFING_FETCH_DELAY",
                 show_envvar=True, help="Seconds between requests to one host (default: 1)."),
    click.option("--fetch-timeout", "fetch_timeout", type=click.FloatRange(0, min_open=True),
                 envvar="BRIEFING_FETCH_TIMEOUT", show_envvar=True,
                 help="Seconds allowed for one request (default: 20)."),
    click.option("--max-bytes", type=click.IntRange(1), envvar="BRIEFING_FETCH_MAX_BYTES",
                 show_envvar=True, help="Abandon responses larger than this (default: 5000000)."),
    click.option("--user-agent", envvar="BRIEFING_USER_AGENT", show_envvar=True,
                 help="User-Agent header (default: briefing/VERSION (...))."),
]


def parse_formats(value: str) -> tuple[str, ...]:
    """Parse a comma-separated list of output formats."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise BriefingError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}"
        )
    return formats


def _given(flags: Any) -> dict[str, Any]:
    return {f.name: getattr(flags, f.name) for f in fields(flags)
            if getattr(flags, f.name) not in (None, ())}


@dataclass(frozen=True, slots=True)
class BuildFlags:
    """The build options as given by flags or environment variables (None: not given)."""

    window: int | None = None
    out_dir: Path | None = None
    formats: str | None = None
    backend: str | None = None
    model: str | None = None
    max_words: int | None = None
    db_path: Path | None = None
    template_dirs: tuple[Path, ...] = ()
    prompt_dir: Path | None = None
    max_article_chars: int | None = None
    max_corpus_chars: int | None = None
    max_input_tokens: int | None = None
    executor: str | None = None
    ray_address: str | None = None
    workers: int | None = None
    device: str | None = None

    def apply(self, config: Config) -> Config:
        """Return ``config`` with the given flags laid over it."""
        names = {"out_dir": "out", "db_path": "db", "template_dirs": "templates",
                 "prompt_dir": "prompts"}
        given = {names.get(k, k): v for k, v in _given(self).items()}
        if "formats" in given:
            given["formats"] = parse_formats(given["formats"])
        if "device" in given:
            given["device"] = check_device(given["device"])
        return replace(config, **given)


@dataclass(frozen=True, slots=True)
class FetchFlags:
    """The fetch options as given by flags or environment variables (None: not given)."""

    folder: Path | None = None
    delay: float | None = None
    fetch_timeout: float | None = None  # not "timeout": that is the SMTP option's name
    max_bytes: int | None = None
    user_agent: str | None = None

    def apply(self, config: Config) -> Config:
        """Return ``config`` with the given flags laid over its [fetch] settings."""
        given = {k.removeprefix("fetch_"): v for k, v in _given(self).items()}
        return replace(config, fetch=replace(config.fetch, **given))


def _collect(cls: type, name: str, options: list[Callable[..., Any]]
             ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            kwargs[name] = cls(**{f.name: kwargs.pop(f.name) for f in fields(cls)})
            return command(*args, **kwargs)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper
    return decorate


build_options = _collect(BuildFlags, "build_flags", _BUILD)
build_options.__doc__ = "Add the build options; the command receives ``build_flags``."
fetch_options = _collect(FetchFlags, "fetch_flags", _FETCH)
fetch_options.__doc__ = "Add the fetch options; the command receives ``fetch_flags``."


def to_build_options(config: Config, *, paths: tuple[Path, ...], date: Any) -> BuildOptions:
    """Turn a resolved config (paths filled by ``with_home``) into a build's options."""
    corpus = paths or config.corpus_paths()
    folder = config.fetch.folder
    if folder is not None and folder in corpus:
        folder.mkdir(parents=True, exist_ok=True)  # feeds configured, nothing fetched yet
    backend = resolve_backend(config.backend)
    backend_options: list[tuple[str, object]] = []
    if config.model:
        backend_options.append(("model", config.model))
    if config.prompts and backend != "extractive":
        backend_options.append(("prompt_dir", config.prompts))
    return BuildOptions(
        paths=corpus, date=date, out_dir=config.out, db_path=config.db, window=config.window,
        formats=config.formats, backend=backend, backend_options=tuple(backend_options),
        max_words=config.max_words, template_dirs=config.templates,
        max_article_chars=config.max_article_chars, max_corpus_chars=config.max_corpus_chars,
        max_input_tokens=config.max_input_tokens, executor=config.executor,
        ray_address=config.ray_address, workers=config.workers, device=config.device,
    )
