"""Cache the evidence of every dev summary sentence (for bench/fit_truth.py).

The embedding step is the slow part of a truth check; the fit only needs, for each
summary sentence, its best source sentences and their scores. This writes them once:
``python -m bench.truth_cache OUT.jsonl`` (one JSON object a summary: set, id, half,
consistent, sentences, sentence_labels, evidence [[(text, score)] per sentence]).
The perturbation suite's cases are cached the same way (set "perturb").
"""

from __future__ import annotations

import json
import sys

import numpy as np


def evidence_rows(sentences: list[str], article: str, embedder: object) -> list[list]:
    from briefing.check.compare import MAX_CANDIDATES, MAX_EVIDENCE, _split, as_articles
    from briefing.check.verify import preselect, support_matrix

    sentences = [s.strip() for s in sentences if s.strip()]
    split = [s for a in as_articles([article]) for s in _split(a)]
    pool = preselect(sentences, split, MAX_CANDIDATES)
    matrix = support_matrix(sentences, pool, embedder=embedder)  # type: ignore[arg-type]
    found = []
    for q in range(len(sentences)):
        order = np.argsort(-matrix[q], kind="stable")[:MAX_EVIDENCE]
        found.append([(pool[i].text, round(float(matrix[q, i]), 3)) for i in order])
    return found


def main(out: str) -> None:
    import torch

    from bench.perturb import build
    from bench.scoreboard.common import DATA, CachedEmbedder, half
    from bench.scoreboard.truth import load
    from briefing.events.embed import get_embedder

    torch.set_num_threads(1)  # a shared machine: one thread wastes less on contention
    embedder = CachedEmbedder(get_embedder())
    with open(out, "w", encoding="utf-8") as f:
        for name, rows in load(False).items():
            for row in rows:
                sentences = [s.strip() for s in row["sentences"] if s.strip()]
                f.write(json.dumps({
                    "set": name, "id": str(row["id"]), "half": half(str(row["id"])),
                    "consistent": bool(row["consistent"]), "sentences": sentences,
                    "sentence_labels": row["sentence_labels"],
                    "evidence": evidence_rows(sentences, row["article"], embedder),
                    "article": row["article"]}) + "\n")
                f.flush()
            print(name, flush=True)
        for case in build(DATA, per_kind=150):
            f.write(json.dumps({
                "set": "perturb", "id": case.article if hasattr(case, "article") else "",
                "kind": case.kind, "sentences": [case.claim], "article": case.source,
                "evidence": evidence_rows([case.claim], case.source, embedder)}) + "\n")
        print("perturb", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
