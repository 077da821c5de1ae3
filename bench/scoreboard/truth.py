"""Truth check: ``briefing compare`` against human labels, and on altered sentences.

1. Human-judged summaries: qags-xsum-dev (239), frank-dev cnndm (1225) and xsum (996).
   ROC AUC of the summary's support score against ``consistent``, on all and on half B
   (by article, fixed), beside ROUGE-2 precision of the summary against its article;
   balanced accuracy of the sentence verdicts (``supported`` against the sentence
   labels that exist), beside ROUGE-2 precision cut at the threshold that is best on
   half A, scored on half B.
2. The perturbation suite (``bench/perturb.py``): per kind, the share of claims judged
   *supported* against their own article (high is right only for "as written").
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import balanced_accuracy_score, roc_auc_score

from .common import DATA, Section, half

QUICK_ROWS = 150  # summaries per FRANK dataset with --quick (sorted by id, then model)


def auc(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """ROC AUC of ``scores`` for ``labels`` (nan when only one class is present)."""
    y = np.asarray(labels, dtype=bool)
    if y.all() or not y.any():
        return float("nan")
    return float(roc_auc_score(y, np.asarray(scores, dtype=float)))


def best_threshold(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Return the cut (predict true at score >= cut) with the best balanced accuracy."""
    y, s = np.asarray(labels, dtype=bool), np.asarray(scores, dtype=float)
    if y.all() or not y.any():
        return 0.5
    cuts = np.unique(s)
    return float(max(cuts, key=lambda t: (balanced_accuracy_score(y, s >= t), -t)))


def load(quick: bool) -> dict[str, list[dict]]:
    sets: dict[str, list[dict]] = {}
    rows = [json.loads(x) for x in (DATA / "qags-xsum-dev.jsonl").read_text("utf-8").splitlines()
            if x.strip()]
    for n, row in enumerate(rows):
        row.setdefault("id", f"qags{n // 3}:{row['article'][:80]}")
    sets["qags-xsum"] = rows
    frank = [json.loads(x) for x in (DATA / "frank-dev.jsonl").read_text("utf-8").splitlines()
             if x.strip()]
    for name in ("cnndm", "xsum"):
        chosen = sorted((r for r in frank if r["dataset"] == name),
                        key=lambda r: (r["id"], r["model"]))
        if quick:
            ids = sorted({r["id"] for r in chosen})[: QUICK_ROWS // 5 + 1]
            chosen = [r for r in chosen if r["id"] in set(ids)][:QUICK_ROWS]
        sets[f"frank {name}"] = chosen
    return sets


def _human(embedder: object, quick: bool) -> Section:
    from briefing.check.compare import compare_summary
    from briefing.check.metrics import rouge

    section = Section(
        "Truth check on human-judged summaries (tool's support score vs ROUGE-2 precision)",
        ("set", "summaries", "consistent", "AUC", "AUC B", "baseline AUC", "baseline AUC B",
         "AUC B - baseline", "bal. acc. B", "baseline bal. acc. B", "s/summary"),
    )
    for name, rows in load(quick).items():
        begin = time.perf_counter()
        score, base, y, sides = [], [], [], []
        verdict, sentence_base, sentence_y, sentence_side = [], [], [], []
        for row in rows:
            c = compare_summary(row["sentences"], [row["article"]], embedder=embedder)
            score.append(c.support_score)
            base.append(c.rouge_sources.rouge2.precision)
            y.append(bool(row["consistent"]))
            side = half(str(row["id"]))
            sides.append(side)
            for check, label in zip(c.sentences, row["sentence_labels"], strict=False):
                if label is None:
                    continue
                verdict.append(check.verdict == "supported")
                sentence_base.append(rouge(check.text, row["article"]).rouge2.precision)
                sentence_y.append(bool(label))
                sentence_side.append(side)
        per = (time.perf_counter() - begin) / max(len(rows), 1)
        b = [i for i, s in enumerate(sides) if s == "B"]
        auc_b = auc([y[i] for i in b], [score[i] for i in b])
        base_b = auc([y[i] for i in b], [base[i] for i in b])
        sa = [i for i, s in enumerate(sentence_side) if s == "A"]
        sb = [i for i, s in enumerate(sentence_side) if s == "B"]
        cut = best_threshold([sentence_y[i] for i in sa], [sentence_base[i] for i in sa])
        yb = np.array([sentence_y[i] for i in sb], dtype=bool)
        ours = np.array([verdict[i] for i in sb], dtype=bool)
        theirs = np.array([sentence_base[i] >= cut for i in sb], dtype=bool)
        ba = balanced_accuracy_score(yb, ours) if len(set(yb)) > 1 else float("nan")
        bb = balanced_accuracy_score(yb, theirs) if len(set(yb)) > 1 else float("nan")
        section.rows.append((name, len(rows), sum(y), auc(y, score), auc_b, auc(y, base), base_b,
                             f"{auc_b - base_b:+.3f}", ba, bb, f"{per:.2f}"))
    section.notes.append(
        "halves by article (fixed hash); the baseline's sentence cut is chosen on half A; "
        "the tool's support model and cut (check/calibrated.py) were fitted on half A by "
        "bench/fit_truth.py: only the half B columns are out of sample"
    )
    if quick:
        section.notes.append(f"--quick: at most {QUICK_ROWS} summaries per FRANK dataset")
    return section


def _perturbed(embedder: object, quick: bool) -> Section:
    from bench.perturb import KINDS, build
    from briefing.check.compare import compare_summary

    cases = build(DATA, per_kind=50 if quick else 150)
    section = Section(
        "Truth check on altered sentences (bench/perturb.py): share judged supported",
        ("kind", "cases", "supported", "not supported", "target"),
    )
    judged: dict[str, list[bool]] = {k: [] for k in KINDS}
    for case in cases:
        c = compare_summary([case.claim], [case.source], embedder=embedder)
        judged[case.kind].append(c.sentences[0].verdict == "supported")
    for kind in KINDS:
        v = judged[kind]
        share = sum(v) / len(v) if v else float("nan")
        target = ">= 95% supported" if kind == "as written" else "<= 10% supported"
        section.rows.append((kind, len(v), f"{share:.1%}", f"{1 - share:.1%}", target))
    section.notes.append(
        "attribution moved: never a pronoun's statement (the other speaker may be the very "
        "person it stands for) nor to a speaker sharing a word with the first ('Jan Egeland' "
        "for 'Mr Egeland'): such claims say what the article says (before abf8d25 they "
        "counted, and were most of what stayed supported)"
    )
    return section


def run(embedder: object, quick: bool = False) -> list[Section]:
    started = time.perf_counter()
    human = _human(embedder, quick)
    human.seconds = time.perf_counter() - started
    middle = time.perf_counter()
    perturbed = _perturbed(embedder, quick)
    perturbed.seconds = time.perf_counter() - middle
    return [human, perturbed]
