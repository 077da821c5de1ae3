"""Fit the truth check's calibrated support (``briefing/check/calibrated.py``).

``python -m bench.truth_cache CACHE.jsonl`` first (the evidence of every dev summary
sentence), then ``python -m bench.fit_truth CACHE.jsonl``: a logistic regression of the
sentence labels on :data:`calibrated.FEATURES`, fitted on half A of qags-xsum-dev and
frank-dev only (each set weighted alike); a sentence without a label counts as
supported when its summary is consistent, and is left out otherwise. It prints the
summary-level ROC AUC (a summary scores its weakest sentence) on half A and half B
beside ROUGE-2 precision and the old hand-set support, the sentence threshold with the
best balanced accuracy on half A, and the fitted block (``--write``: into ``calibrated.py``).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, roc_auc_score

from briefing.check import calibrated
from briefing.check.compare import _split, as_articles
from briefing.check.facts import vocabulary
from briefing.check.judge import examine, sentence_support
from briefing.check.verify import preceding

C = 0.3  # inverse regularisation strength


def read(path: str) -> tuple[list[dict], list[dict]]:
    """Return the human-judged rows and the perturbation rows, with their features."""
    human, perturbed = [], []
    known: dict[str, object] = {}
    context: dict[str, dict[str, tuple[str, ...]]] = {}
    for line in open(path, encoding="utf-8"):
        row = json.loads(line)
        article = row["article"]
        if article not in known:
            known[article] = vocabulary(article)
            context[article] = preceding(_split(as_articles([article])[0]))
        row["features"], row["old"] = [], []
        for sentence, evidence in zip(row["sentences"], row["evidence"], strict=True):
            evidence = [(t, s) for t, s in evidence]
            facts, novel, _, _, found = examine(
                sentence, evidence, known[article], before=context[article])  # type: ignore[arg-type]
            row["features"].append([found[f] for f in calibrated.FEATURES])
            best = evidence[0][1] if evidence else 0.0
            row["old"].append(sentence_support(best, len(facts), len(novel)))
        (perturbed if row["set"] == "perturb" else human).append(row)
    return human, perturbed


def training(rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y, w, per_set = [], [], [], defaultdict(int)
    chosen = []
    for row in rows:
        if row["half"] != "A":
            continue
        labels = row["sentence_labels"] or [None] * len(row["sentences"])
        for feats, label in zip(row["features"], labels, strict=False):
            if label is None and not row["consistent"]:
                continue
            chosen.append((row["set"], feats, True if label is None else bool(label)))
            per_set[row["set"]] += 1
    for name, feats, label in chosen:
        x.append(feats)
        y.append(label)
        w.append(1.0 / per_set[name])
    return np.array(x), np.array(y), np.array(w) * len(w) / sum(w)


def _supported(feats: list[float], p: float, cut: float) -> bool:
    named = dict(zip(calibrated.FEATURES, feats, strict=True))
    return p >= cut and not named["contradicted"] and not named["facts"]


def main(path: str, *, write: bool = False) -> None:
    human, perturbed = read(path)
    x, y, w = training(human)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit((x - mean) / scale, y, sample_weight=w)

    def prob(feats: list[list[float]]) -> np.ndarray:
        return model.predict_proba((np.array(feats) - mean) / scale)[:, 1]

    from briefing.check.metrics import rouge

    sets = sorted({r["set"] for r in human})
    print(f"{'set':12} half  n    AUC fitted  AUC old  AUC R2P  fitted-R2P")
    for name in sets:
        for side in "AB":
            rows = [r for r in human if r["set"] == name and r["half"] == side]
            lab = [r["consistent"] for r in rows]
            fit = [float(prob(r["features"]).min()) for r in rows]
            old = [min(r["old"]) for r in rows]
            r2p = [rouge(" ".join(r["sentences"]), r["article"]).rouge2.precision for r in rows]
            a, b, c = (roc_auc_score(lab, s) for s in (fit, old, r2p))
            print(f"{name:12} {side}  {len(rows):5} {a:.3f}  {b:.3f}  {c:.3f}  {a - c:+.3f}")
    # the sentence cut with the best balanced accuracy on half A
    p = prob(x.tolist())
    cut = max(np.unique(p.round(3)),
              key=lambda t: balanced_accuracy_score(y, p >= t, sample_weight=w))
    print(f"best balanced-accuracy cut on half A sentences: {cut:.3f}")
    for kind in sorted({r["kind"] for r in perturbed}):
        rows = [r for r in perturbed if r["kind"] == kind]
        ok = [_supported(r["features"][0], float(prob(r["features"])[0]), cut) for r in rows]
        print(f"perturb {kind:22} n={len(rows):4} supported {np.mean(ok):.1%}")
    block = [f"CUT = {float(cut)!r}", f"INTERCEPT = {round(float(model.intercept_[0]), 4)!r}"]
    for label, values in (("MEANS", mean), ("SCALES", scale), ("WEIGHTS", model.coef_[0])):
        block.append(f"{label} = {{")
        block += [f"    {f!r}: {round(float(v), 4)!r},"
                  for f, v in zip(calibrated.FEATURES, values, strict=True)]
        block.append("}")
    print("\n" + "\n".join(block))
    if write:
        path = Path(calibrated.__file__)
        text = path.read_text("utf-8")
        begin, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        path.write_text(text[:begin] + "\n" + "\n".join(block) + "\n" + text[end:], "utf-8")
        print(f"written to {path}")


BEGIN, END = "# fitted: begin", "# fitted: end"

if __name__ == "__main__":
    main(sys.argv[1], write="--write" in sys.argv[2:])
