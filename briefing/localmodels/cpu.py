"""What the CPU offers, read from ``/proc/cpuinfo``, and the engines that fit it.

The choice follows side-by-side runs on 2 cores, 90-word digests (``bench/RESULTS.md``,
``bench/SCOREBOARD.md``), where the two backends' digest figures agree within noise:

- AMX (Intel Xeon 4th gen and later): ``hf`` 22.4 s/event, ``llama`` 24.5 s/event.
  torch's bf16 prompt pass runs on AMX tiles (3.5x llama.cpp's AVX2 build there).
- AVX-512 with bf16, no AMX (AMD EPYC here): ``hf`` 51.2, ``llama`` 14.6 s/event with
  the prompt that asked for a digest in the model's own words; 10.2 and 11.0 since the
  extract-then-compress prompt, whose copied runs prompt lookup accepts (native bf16
  only): ``hf``, R-2 8.7 against 8.5 (scoreboard, half B).
- AVX2 only: ``hf`` 51.7, ``llama`` 24.8 s/event.
- no AVX2: ``hf``; the llama build (``make llama``) uses AVX2 instructions.

``llama`` decodes from 4-bit weights, a quarter of the bytes of bf16 per token, and
decoding is bounded by memory bandwidth, so it wins wherever bf16 is emulated (no
prompt lookup there).
Sentence embeddings use ONNX Runtime where installed (the same vectors as torch, to
2e-7; ``events.embed_onnx``) on every kind: bf16 would be faster on AMX and avx512_bf16
but moves vectors by 1e-3, so groupings would depend on the machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16")
KINDS = ("amx", "avx512_bf16", "avx512", "avx2", "baseline")


@dataclass(frozen=True, slots=True)
class CpuInfo:
    """A CPU's model name, its instruction-set flags and the cores this process may use."""

    model: str
    flags: frozenset[str]
    cores: int

    @property
    def kind(self) -> str:
        """Return the widest matrix-unit family the CPU has, one of ``KINDS``."""
        if {"amx_tile", "amx_bf16"} <= self.flags:
            return "amx"
        if {"avx512f", "avx512_bf16"} <= self.flags:
            return "avx512_bf16"
        if "avx512f" in self.flags:
            return "avx512"
        return "avx2" if "avx2" in self.flags else "baseline"

    def describe(self) -> str:
        """Return e.g. ``AMD EPYC, 2 cores; flags: avx2 avx512f (kind avx512_bf16)``."""
        shown = " ".join(f for f in FLAGS if f in self.flags) or "none of " + "/".join(FLAGS)
        return f"{self.model}, {self.cores} cores; flags: {shown} (kind {self.kind})"


@dataclass(frozen=True, slots=True)
class EngineChoice:
    """The summarizer backend and the embedding engine that fit a CPU, and why."""

    backend: str
    embedding: str
    reason: str


def parse_cpuinfo(text: str, *, cores: int = 1) -> CpuInfo:
    """Read the first processor's model name and flags from ``/proc/cpuinfo`` text."""
    model, flags = "unknown", frozenset[str]()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and model == "unknown":
            model = value.strip()
        elif key.strip() == "flags" and not flags:
            flags = frozenset(value.split())
    return CpuInfo(model=model, flags=flags, cores=cores)


def read_cpu(path: Path = Path("/proc/cpuinfo")) -> CpuInfo:
    """Return this machine's CPU (flags empty where ``/proc/cpuinfo`` cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    return parse_cpuinfo(text, cores=len(os.sched_getaffinity(0)))


def auto_backend(cpu: CpuInfo | None = None) -> EngineChoice:
    """Return the engines ``choose_engines`` picks for this machine (or ``cpu``), given
    what is installed: the ``auto`` backend, the default."""
    import importlib.util

    def installed(*names: str) -> bool:
        return all(importlib.util.find_spec(name) is not None for name in names)

    return choose_engines(cpu or read_cpu(), llama=installed("llama_cpp"),
                          onnx=installed("onnxruntime", "onnx"))


def choose_engines(cpu: CpuInfo, *, llama: bool, onnx: bool) -> EngineChoice:
    """Return the fastest backend and embedding engine for ``cpu`` among those installed.

    :param llama: llama-cpp-python is installed; :param onnx: onnxruntime and onnx are.
    """
    embedding = "onnx" if onnx else "torch"
    if cpu.kind == "amx":
        return EngineChoice("hf", embedding, "AMX: torch's bf16 prompt pass is the fastest")
    if cpu.kind == "avx512_bf16":
        return EngineChoice("hf", embedding, "native bf16: prompt lookup makes hf the fastest")
    if cpu.kind == "baseline":
        return EngineChoice("hf", embedding, "no AVX2: the llama build needs it")
    if not llama:
        return EngineChoice("hf", embedding, "llama.cpp is not installed (make llama)")
    return EngineChoice("llama", embedding, f"{cpu.kind}, no AMX: 4-bit decoding is the fastest")
