"""What every part of the scoreboard shares: data paths, halves, the machine, tables."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
DEMO = ROOT / "corpus"
FLAGS = ("avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_tile")


@dataclass
class Section:
    """One table of the scoreboard: a title, column names, rows and notes below it."""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple[object, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def markdown(self) -> str:
        lines = [f"### {self.title} ({self.seconds:.0f} s)", ""]
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(self.columns)))
                     + "|")
        for row in self.rows:
            lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
        if self.notes:
            lines.append("")
            lines.extend(f"- {n}" for n in self.notes)
        return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "-" if np.isnan(value) else f"{value:.3f}"
    return str(value)


def half(key: str) -> str:
    """Return the fixed half ("A": tune on it, "B": report on it) of an item, by a hash."""
    return "AB"[hashlib.blake2b(key.encode(), digest_size=2).digest()[0] % 2]


def cpu() -> tuple[str, str]:
    """Return the CPU model and the flags that matter for speed (AVX2, AVX-512, AMX)."""
    model, flags = "unknown", set()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name") and model == "unknown":
            model = line.split(":", 1)[1].strip()
        if line.startswith("flags") and not flags:
            flags = set(line.split(":", 1)[1].split())
    shown = " ".join(f for f in FLAGS if f in flags) or "none of " + "/".join(FLAGS)
    return model, shown


def machine() -> str:
    model, flags = cpu()
    return f"{model}, {len(os.sched_getaffinity(0))} cores; flags: {flags}"


def commit() -> str:
    """Return the short commit, with ``+changes`` when the tree differs from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    dirty = git("status", "--porcelain", "--untracked-files=no")
    return (git("rev-parse", "--short", "HEAD") or "unknown") + (" +changes" if dirty else "")


def read_json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


class CachedEmbedder:
    """The tool's embedder, with each distinct text encoded once in this run (in memory),
    at each length asked for (``max_tokens``)."""

    def __init__(self, embedder: object) -> None:
        self._embedder = embedder
        self._cache: dict[tuple[object, str], np.ndarray] = {}

    def encode(self, texts: Sequence[str], **kwargs: object) -> np.ndarray:
        length = kwargs.get("max_tokens")
        missing = [t for t in dict.fromkeys(texts) if (length, t) not in self._cache]
        if missing:
            fresh = self._embedder.encode(missing, **kwargs)  # type: ignore[attr-defined]
            self._cache.update(((length, t), v) for t, v in zip(missing, fresh, strict=True))
        if not texts:
            return self._embedder.encode([], **kwargs)  # type: ignore[attr-defined]
        return np.stack([self._cache[(length, t)] for t in texts])


def baseline_vectors(articles: Sequence[object], embedder: object) -> np.ndarray:
    """The embeddings-only baselines' vectors: title and lead at the model's full window
    (256 word pieces), whatever cut the tool embeds at (``embed.ARTICLE_TOKENS``), so
    that the baseline stays one fixed method while the tool changes."""
    from briefing.events.embed import embedding_text

    texts = [embedding_text(a) for a in articles]  # type: ignore[arg-type]
    return np.asarray(embedder.encode(texts), dtype=np.float32)  # type: ignore[attr-defined]
