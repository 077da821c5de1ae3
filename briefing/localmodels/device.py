"""Where the models run: ``--device auto|cpu|cuda``, resolved once per process.

``auto`` picks CUDA when torch sees a GPU and the CPU otherwise; nothing requires
a GPU. ``cuda`` on a machine without one is an error, not a silent fallback.
"""

from __future__ import annotations

from ..errors import ConfigError, ModelError

DEVICES = ("auto", "cpu", "cuda")


def check_device(device: str) -> str:
    """Return ``device`` if it is auto, cpu, cuda or cuda:N; raise ConfigError otherwise."""
    name = device.strip().lower()
    base, _, index = name.partition(":")
    if base not in DEVICES or (index and (base != "cuda" or not index.isdigit())):
        raise ConfigError(f"unknown device {device!r}; choose from auto, cpu, cuda (or cuda:N)")
    return name


def cuda_count() -> int:
    """Return how many CUDA GPUs torch can use here (0 without CUDA)."""
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def resolve_device(device: str) -> str:
    """Turn ``auto`` into ``cuda`` or ``cpu``; check that a requested GPU exists."""
    name = check_device(device)
    if name == "cpu":
        return name
    count = cuda_count()
    if name == "auto":
        return "cuda" if count else "cpu"
    index = int(name.partition(":")[2] or 0)
    if index >= count:
        found = f"{count} CUDA GPU(s)" if count else "no CUDA GPU (torch sees none)"
        raise ModelError(f"--device {name}: this machine has {found}; use --device auto or cpu")
    return name
