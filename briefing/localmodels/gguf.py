"""The two steps of preparing a model file: join its parts (checking the sha256) and
convert the GGUF into a bf16 safetensors checkpoint (transformers dequantizes it).

``localmodels.registry`` runs them in a temporary folder and renames the result into the cache.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import ModelError

_CHUNK = 1 << 22

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``: ``assemble`` counts bytes, ``convert`` tensors."""


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
