"""How well `briefing compare` agrees with people on QAGS-XSum (239 judged summaries).

Prints, side by side, for the tool's scores and a ROUGE-2-precision baseline
computed in the same run (summary vs article, rouge-score with stemming):

- ROC AUC of the summary-level score against ``consistent`` (every sentence
  judged supported by a majority of three crowd workers), with a paired
  bootstrap 95% interval of the difference;
- balanced accuracy of the sentence verdicts (``supported`` = true) against
  ``sentence_labels``; the baseline is cut at the same round threshold as the
  verdicts (0.5), and also at its best threshold on this very set (an oracle
  figure the baseline cannot have in use).

The thresholds are the shipped round ones (``compare.SUPPORTED_MIN`` etc.),
not fitted here. Usage: ``python bench/qags.py [PATH] [--limit N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import balanced_accuracy_score, roc_auc_score

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.check.compare import SUPPORTED_MIN, compare_summary  # noqa: E402
from briefing.check.metrics import rouge  # noqa: E402
from briefing.events.embed import get_embedder  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "qags-xsum-dev.jsonl"


def _bootstrap_auc_gap(y: np.ndarray, ours: np.ndarray, base: np.ndarray, rounds: int = 2000):
    """Return the 2.5% and 97.5% quantiles of AUC(ours) - AUC(base) over paired resamples."""
    rng = np.random.default_rng(0)
    gaps = []
    for _ in range(rounds):
        idx = rng.integers(0, len(y), len(y))
        if y[idx].all() or not y[idx].any():
            continue
        gaps.append(roc_auc_score(y[idx], ours[idx]) - roc_auc_score(y[idx], base[idx]))
    return np.quantile(gaps, [0.025, 0.975])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None, help="only the first N summaries")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.path.read_text("utf-8").splitlines() if line.strip()]
    rows = rows[: args.limit]

    started = time.perf_counter()
    embedder = get_embedder()
    loaded = time.perf_counter() - started
    summary_score, summary_r2p, labels = [], [], []
    sentence_ok, sentence_r2p, sentence_labels = [], [], []
    for row in rows:
        c = compare_summary(row["sentences"], [row["article"]], embedder=embedder)
        summary_score.append(c.support_score)
        summary_r2p.append(c.rouge_sources.rouge2.precision)
        labels.append(bool(row["consistent"]))
        for check, label in zip(c.sentences, row["sentence_labels"], strict=True):
            sentence_ok.append(check.verdict == "supported")
            sentence_r2p.append(rouge(check.text, row["article"]).rouge2.precision)
            sentence_labels.append(bool(label))
    elapsed = time.perf_counter() - started

    y = np.array(labels)
    ours, base = np.array(summary_score), np.array(summary_r2p)
    ys, rs = np.array(sentence_labels), np.array(sentence_r2p)
    auc_ours, auc_base = roc_auc_score(y, ours), roc_auc_score(y, base)
    low, high = _bootstrap_auc_gap(y, ours, base)
    ba_ours = balanced_accuracy_score(ys, np.array(sentence_ok))
    ba_base = balanced_accuracy_score(ys, rs >= SUPPORTED_MIN)
    ba_oracle = max(balanced_accuracy_score(ys, rs >= t) for t in np.unique(rs))

    print(f"QAGS-XSum: {len(rows)} summaries ({int(y.sum())} consistent), "
          f"{len(ys)} sentences ({int(ys.sum())} supported)")
    print(f"{'':44}{'briefing compare':>18}{'ROUGE-2 precision':>20}")
    print(f"{'ROC AUC, summary score vs consistent':44}{auc_ours:>18.3f}{auc_base:>20.3f}")
    print(f"{'  difference, 95% bootstrap interval':44}{auc_ours - auc_base:>+18.3f}"
          f"{f'[{low:+.3f}, {high:+.3f}]':>20}")
    print(f"{f'balanced accuracy, threshold {SUPPORTED_MIN}':44}{ba_ours:>18.3f}{ba_base:>20.3f}")
    print(f"{'balanced accuracy, baseline best threshold':44}{'':>18}{ba_oracle:>20.3f}")
    print(f"runtime: {elapsed:.0f} s for {len(rows)} summaries "
          f"({1000 * (elapsed - loaded) / len(rows):.0f} ms each, model load {loaded:.1f} s)")


if __name__ == "__main__":
    main()
