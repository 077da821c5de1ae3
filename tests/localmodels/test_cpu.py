"""Engine choice by CPU flags, from faked /proc/cpuinfo text."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.localmodels.cpu import choose_engines, parse_cpuinfo, read_cpu

EPYC = "fpu sse4_2 avx avx2 fma f16c avx512f avx512dq avx512_vnni avx512_bf16"
XEON = EPYC + " amx_bf16 amx_tile amx_int8"


def cpuinfo(flags: str, model: str = "Some CPU") -> str:
    block = f"processor\t: {{n}}\nmodel name\t: {model}\nflags\t\t: {flags}\n\n"
    return block.format(n=0) + block.format(n=1)


@pytest.mark.parametrize(
    ("flags", "kind", "backend", "llama"),
    [
        (XEON, "amx", "hf", True),
        (EPYC, "avx512_bf16", "hf", True),
        ("avx avx2 fma avx512f", "avx512", "llama", True),
        ("avx avx2 fma f16c", "avx2", "llama", True),
        ("avx avx2 fma f16c", "avx2", "hf", False),
        ("sse4_2 avx", "baseline", "hf", True),
        ("amx_tile avx2", "avx2", "llama", True),  # AMX tiles without bf16: not AMX here
    ],
)
def test_the_backend_follows_the_cpu_flags(flags: str, kind: str, backend: str, llama: bool):
    cpu = parse_cpuinfo(cpuinfo(flags), cores=2)
    assert cpu.kind == kind
    assert choose_engines(cpu, llama=llama, onnx=False).backend == backend


@pytest.mark.parametrize(("onnx", "engine"), [(True, "onnx"), (False, "torch")])
def test_the_embedding_engine_is_onnx_where_installed(onnx: bool, engine: str) -> None:
    for flags in (XEON, EPYC, "avx2", ""):
        choice = choose_engines(parse_cpuinfo(cpuinfo(flags)), llama=True, onnx=onnx)
        assert choice.embedding == engine


def test_the_cpu_is_described_with_the_flags_that_matter() -> None:
    cpu = parse_cpuinfo(cpuinfo(EPYC, model="AMD EPYC"), cores=2)
    assert cpu.describe() == (
        "AMD EPYC, 2 cores; flags: avx2 avx512f avx512_vnni avx512_bf16 (kind avx512_bf16)"
    )


def test_an_unreadable_cpuinfo_gives_the_baseline(tmp_path: Path) -> None:
    cpu = read_cpu(tmp_path / "missing")
    assert (cpu.model, cpu.flags, cpu.kind) == ("unknown", frozenset(), "baseline")
    assert "none of avx2/" in cpu.describe()


def test_the_cli_prints_the_cpu_and_the_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from briefing.cli.main import cli
    from briefing.localmodels import cpu

    fake = parse_cpuinfo(cpuinfo(XEON, model="Intel Xeon"), cores=2)
    monkeypatch.setattr(cpu, "read_cpu", lambda: fake)
    result = CliRunner().invoke(cli, ["models", "cpu"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == [
        "cpu: Intel Xeon, 2 cores; flags: avx2 avx512f avx512_vnni avx512_bf16 amx_tile "
        "amx_bf16 (kind amx)",
        "backend: hf (AMX: torch's bf16 prompt pass is the fastest)",
    ]


@pytest.mark.parametrize(
    ("flags", "llama", "backend"),
    [
        ("avx2 avx512f avx512_bf16", True, "hf"),
        ("avx2 avx512f avx512_bf16 amx_tile amx_bf16", True, "hf"),
        ("avx2 fma", True, "llama"),
        ("avx2 fma", False, "hf"),
    ],
)
def test_the_auto_backend_is_the_choice_for_this_cpu(
    monkeypatch: pytest.MonkeyPatch, flags: str, llama: bool, backend: str
) -> None:
    import importlib.util

    from briefing.localmodels import cpu
    from briefing.summarize.registry import resolve_backend

    monkeypatch.setattr(cpu, "read_cpu", lambda: parse_cpuinfo(f"flags : {flags}\n", cores=2))
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: (
        (real("json") if llama else None) if name == "llama_cpp" else real(name, *a)))

    assert resolve_backend("auto") == backend
    assert resolve_backend("extractive") == "extractive"  # a named backend stays itself
    assert resolve_backend("llama") == "llama"
