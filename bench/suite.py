"""Run the scale benchmark's stages, each in a fresh process, and tabulate them.

Every (size, stage) is a child process (``bench/stages.py``) with a wall-clock limit
(``stage_timeout``) and an address-space limit (``memory_mb``, so a stage that would
need more memory fails with MemoryError instead of swamping the machine). A stage
that times out or fails is reported as such and the stages that need its output are
reported as skipped; the suite goes on with the next size.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.stages import STAGES

ROOT = Path(__file__).resolve().parents[1]
NEEDS = {"store": "ingest", "dedup": "ingest", "embed": "dedup", "group": "embed"}
NEEDS["render"] = "group"
COLUMNS = ("ingest", "store", "dedup", "embed cold", "embed warm", "group", "render")


@dataclass(frozen=True, slots=True)
class StageResult:
    """How one stage went: ``status`` is ok, timeout, failed or skipped."""

    stage: str
    status: str
    seconds: float | None = None
    peak_mb: float | None = None
    detail: dict = field(default_factory=dict)
    reason: str = ""


def _limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def child_env() -> dict[str, str]:
    """Return the environment of a bench child process: this checkout importable, offline."""
    paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def run_stage(
    stage: str,
    corpus: Path,
    work: Path,
    *,
    timeout: float,
    memory_mb: int,
    embed_budget: float,
    embed_chunk: int,
) -> StageResult:
    """Run one stage in a fresh Python process and return what it reported."""
    command = [sys.executable, "-m", "bench.stages", stage, str(corpus), str(work)]
    command += ["--embed-budget", str(embed_budget), "--embed-chunk", str(embed_chunk)]
    env = child_env()
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=lambda: _limit_memory(memory_mb),  # noqa: PLW1509 - no threads here
        )
    except subprocess.TimeoutExpired:
        return StageResult(stage, "timeout", reason=f"timeout >{timeout:g} s")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return StageResult(stage, "failed", reason=f"failed: {tail[:120]}")
    line = json.loads(lines[-1])
    return StageResult(stage, "ok", line.pop("seconds"), line.pop("peak_mb"), line)


def run_size(
    corpus: Path,
    work: Path,
    *,
    timeout: float,
    memory_mb: int,
    embed_budget: float,
    embed_chunk: int,
    given_up: Mapping[str, str] | None = None,
    echo: bool = True,
) -> dict[str, StageResult]:
    """Run every stage on one corpus, in order; skip a stage whose input is missing.

    ``given_up`` maps stages not to run (they timed out on a smaller corpus) to the
    reason shown instead.
    """
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, StageResult] = {}
    for stage in STAGES:
        need = NEEDS.get(stage)
        if given_up and stage in given_up:
            results[stage] = StageResult(stage, "skipped", reason=given_up[stage])
        elif need and results[need].status != "ok":
            why = f"skipped ({need} {results[need].status})"
            results[stage] = StageResult(stage, "skipped", reason=why)
        else:
            results[stage] = run_stage(
                stage,
                corpus,
                work,
                timeout=timeout,
                memory_mb=memory_mb,
                embed_budget=embed_budget,
                embed_chunk=embed_chunk,
            )
        if echo:
            r = results[stage]
            shown = f"{r.seconds:.2f} s, {r.peak_mb:.0f} MB" if r.status == "ok" else r.reason
            print(f"  {corpus.name:>7} {stage:<7} {shown}", file=sys.stderr, flush=True)
    return results


def seconds_text(seconds: float) -> str:
    """Format seconds with about three significant digits."""
    if seconds >= 100:
        return f"{seconds:.0f} s"
    digits = 1 if seconds >= 10 else 2 if seconds >= 0.1 else 3
    return f"{seconds:.{digits}f} s"


def cells(results: dict[str, StageResult]) -> dict[str, str]:
    """Return the table cells of one size: ``seconds s / peak MB`` or why not."""
    out: dict[str, str] = {}
    for column in COLUMNS:
        stage = column.split()[0]
        r = results[stage]
        if r.status != "ok":
            out[column] = r.reason
        elif column == "embed warm":
            out[column] = f"{seconds_text(r.detail['warm_s'])} / {r.peak_mb:.0f} MB"
        else:
            star = "*" if column == "embed cold" and "estimate_s" in r.detail else ""
            out[column] = f"{seconds_text(r.seconds)}{star} / {r.peak_mb:.0f} MB"  # type: ignore[arg-type]
    return out


def _seconds(r: StageResult, column: str) -> float | None:
    if r.status != "ok":
        return None
    if column == "embed warm":
        return r.detail["warm_s"]
    if column == "embed cold":
        return r.detail.get("estimate_s", r.seconds)
    return r.seconds


def table(runs: Sequence[tuple[int, dict[str, StageResult]]]) -> str:
    """Return the Markdown table: one row per size, then time ratios between sizes."""
    head = ["size", "articles", "folded", "events", *COLUMNS]
    rows = [head, ["---:"] * len(head)]
    for size, results in runs:
        ingest, dedup, group = results["ingest"], results["dedup"], results["group"]
        found = (
            ingest.detail.get("articles"),
            dedup.detail.get("folded"),
            group.detail.get("events"),
        )
        counts = ["-" if n is None else f"{n:,}" for n in found]
        rows.append([f"{size:,}", *counts, *cells(results).values()])
    for (small, a), (big, b) in zip(runs, runs[1:], strict=False):
        ratio = [f"{big:,} ÷ {small:,}", f"×{big / small:.3g}", "", ""]
        for column in COLUMNS:
            x = _seconds(a[column.split()[0]], column)
            y = _seconds(b[column.split()[0]], column)
            ratio.append(f"×{y / x:.1f}" if x and y is not None else "-")
        rows.append(ratio)
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def notes(runs: Sequence[tuple[int, dict[str, StageResult]]], *, embed_budget: float) -> list[str]:
    """Return the footnotes: worker processes, model loading, partial embedding."""
    lines = []
    for size, results in runs:
        for stage, r in results.items():
            if r.status == "ok" and "children_peak_mb" in r.detail:
                lines.append(
                    f"{size:,}: {stage} also ran worker processes, the largest at "
                    f"{r.detail['children_peak_mb']:.0f} MB peak RSS (not in its column)"
                )
        r = results["embed"]
        if r.status != "ok":
            continue
        d = r.detail
        lines.append(f"{size:,}: embedding model load {d['load_s']:.1f} s (not in embed cold)")
        if "estimate_s" in d:
            lines.append(
                f"{size:,}: * embed cold embedded {d['embedded']:,} of {d['total']:,} articles "
                f"within --embed-budget {embed_budget:g} s; all of them would take about "
                f"{d['estimate_s']:,.0f} s (the ratio row uses this estimate); the others got "
                "the vector of an embedded article of the same seed story for grouping"
            )
    return lines
