"""The local language models: which are known, where they are cached, on which device.

``registry`` knows the default model (shipped as 22 wheel parts), assembles and
converts it into the cache (``gguf``) and resolves a name, folder or GGUF file;
``integrity`` re-checks a prepared model; ``device`` resolves auto/cpu/cuda.
"""

from .device import check_device, resolve_device
from .integrity import verify_model
from .registry import DEFAULT_MODEL, KNOWN_MODELS, gguf_path, prepare_model, resolve_model

__all__ = [
    "DEFAULT_MODEL",
    "KNOWN_MODELS",
    "check_device",
    "gguf_path",
    "prepare_model",
    "resolve_device",
    "resolve_model",
    "verify_model",
]
