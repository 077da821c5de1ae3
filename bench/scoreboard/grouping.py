"""Grouping: B-cubed P/R/F1 of the tool's events on every dev set, beside a baseline.

Sets: ``ecbplus-dev`` (undated near-miss events), ``gvc-dev`` (dated shootings),
``wikinews-dev`` pooled (the 48 events' articles in one corpus, the folder as the
gold event), the demo corpus (its two reports of Zelensky's US trip are one event,
the other three articles one event each) and **mixed**: all of them in one corpus,
each scored on its own gold. Each set is also split into two fixed halves of its
gold events (A: to tune on, B: to report on), each grouped as a corpus of its own.

Articles are read by the tool's ingest (dates in header lines count, as in a build)
and grouped by ``group_events``. The baseline is MiniLM embeddings alone (title and
lead at the model's full window, ``common.baseline_vectors``: a fixed method, while the
tool embeds a shorter cut) with average linkage at one cosine threshold, chosen on
ecbplus-dev.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from .common import DATA, DEMO, Section, baseline_vectors, read_json

DEMO_GOLD = {"000": "trip", "001": "trip", "002": "bakhmut", "003": "belarus", "004": "kyiv"}
BASELINE_GRID = np.round(np.arange(0.30, 0.91, 0.01), 2)


def bcubed(predicted: dict[str, object], gold: dict[str, object]) -> tuple[float, float, float]:
    """Return B-cubed (precision, recall, F1) over the items of ``gold``.

    P = mean_i |C(i) ∩ G(i)| / |C(i)|, R = mean_i |C(i) ∩ G(i)| / |G(i)|, F1 = 2PR/(P+R);
    an item missing from ``predicted`` is a cluster of its own.
    """
    items = sorted(gold)
    if not items:
        return float("nan"), float("nan"), float("nan")
    pred = {i: predicted.get(i, ("alone", i)) for i in items}
    by_pred: dict[object, set[str]] = {}
    by_gold: dict[object, set[str]] = {}
    for i in items:
        by_pred.setdefault(pred[i], set()).add(i)
        by_gold.setdefault(gold[i], set()).add(i)
    precision = recall = 0.0
    for i in items:
        c, g = by_pred[pred[i]], by_gold[gold[i]]
        both = len(c & g)
        precision += both / len(c)
        recall += both / len(g)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def halves(gold: dict[str, str], topic: Callable[[str], str] = lambda label: label) -> dict:
    """Split gold items into fixed halves A and B by their (sorted, alternating) topic."""
    topics = sorted({topic(label) for label in gold.values()})
    side = {t: "AB"[n % 2] for n, t in enumerate(topics)}
    return {name: side[topic(label)] for name, label in gold.items()}


def load_sets() -> dict[str, tuple[list[Path], dict[str, str], dict[str, str]]]:
    """Return, per set: its files, gold label per file key and half per file key."""
    sets = {}
    for name in ("ecbplus-dev", "gvc-dev"):
        gold_by_file = read_json(DATA / name / "gold.json")
        files = [DATA / name / "corpus" / f for f in sorted(gold_by_file)]
        gold = {str(f): gold_by_file[f.name] for f in files}
        topic = (lambda label: label.split("-")[0]) if name == "ecbplus-dev" else (lambda x: x)
        sets[name] = (files, gold, halves(gold, topic))
    files, gold = [], {}
    for story in sorted(p for p in (DATA / "wikinews-dev").iterdir() if p.is_dir()):
        for f in sorted((story / "articles").glob("*.json")):
            files.append(f)
            gold[str(f)] = story.name
    sets["wikinews-dev pooled"] = (files, gold, halves(gold))
    demo = sorted(DEMO.iterdir())
    gold = {str(f): DEMO_GOLD[f.name[:3]] for f in demo}
    sets["demo corpus"] = (demo, gold, {k: "B" for k in gold})
    return sets


def baseline_labels(vectors: np.ndarray, threshold: float) -> np.ndarray:
    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=int)
    distance = 1.0 - np.clip(vectors.astype(np.float64) @ vectors.astype(np.float64).T, -1, 1)
    return AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average",
        distance_threshold=1.0 - threshold,
    ).fit_predict(np.maximum(distance, 0.0))


def choose_threshold(vectors: np.ndarray, keys: Sequence[str], gold: dict[str, str]) -> float:
    """Return the baseline's threshold: best B-cubed F1 on ``gold`` over BASELINE_GRID."""

    def f1(t: float) -> float:
        return bcubed(dict(zip(keys, baseline_labels(vectors, t).tolist(), strict=True)), gold)[2]

    return float(max(BASELINE_GRID, key=lambda t: (f1(t), -t)))


def run(embedder: object, quick: bool = False) -> list[Section]:
    from briefing.events.cluster import group_events
    from briefing.events.embed import embed_articles
    from briefing.ingest import ingest

    started = time.perf_counter()
    sets = load_sets()
    everything = [f for files, _, _ in sets.values() for f in files]
    articles = {}
    for name, (files, _, _) in sets.items():  # the demo's relative dates read as in its build
        when = dt.date(2022, 12, 21) if name == "demo corpus" else None
        articles.update({a.path: a for a in ingest(files, reference_date=when).articles})
    vectors, full = {}, {}
    arts = list(articles.values())
    for a, v in zip(arts, embed_articles(arts, embedder=embedder), strict=True):
        vectors[a.path] = v
    for a, v in zip(arts, baseline_vectors(arts, embedder), strict=True):
        full[a.path] = v

    def tool(keys: Sequence[str]) -> dict[str, object]:
        chosen = [articles[k] for k in keys if k in articles]
        if not chosen:
            return {}
        events = group_events(chosen, np.stack([vectors[a.path] for a in chosen]))
        return {a.path: n for n, e in enumerate(events) for a in e.articles}

    def base(keys: Sequence[str], threshold: float) -> dict[str, object]:
        chosen = [k for k in keys if k in articles]
        if not chosen:
            return {}
        labels = baseline_labels(np.stack([full[k] for k in chosen]), threshold)
        return dict(zip(chosen, labels.tolist(), strict=True))

    ecb_gold = sets["ecbplus-dev"][1]
    ecb_keys = [k for k in ecb_gold if k in articles]
    threshold = choose_threshold(np.stack([full[k] for k in ecb_keys]), ecb_keys, ecb_gold)

    section = Section(
        "Grouping: B-cubed on each dev set (tool vs embeddings-only baseline)",
        ("set", "articles", "events", "P", "R", "F1", "F1 A", "F1 B",
         "baseline F1", "baseline F1 B", "tool - baseline (F1)"),
    )
    alone: dict[str, float] = {}
    for name, (files, gold, side) in sets.items():
        keys = [str(f) for f in files]
        p, r, f = bcubed(tool(keys), gold)
        alone[name] = f
        part = {h: [k for k in keys if side[k] == h] for h in "AB"}
        fa = bcubed(tool(part["A"]), {k: gold[k] for k in part["A"]})[2]
        fb = bcubed(tool(part["B"]), {k: gold[k] for k in part["B"]})[2]
        bf = bcubed(base(keys, threshold), gold)[2]
        bfb = bcubed(base(part["B"], threshold), {k: gold[k] for k in part["B"]})[2]
        section.rows.append((name, len(keys), len(set(gold.values())), p, r, f, fa, fb, bf, bfb,
                             f"{f - bf:+.3f}"))
    mixed_keys = [str(f) for files, _, _ in sets.values() for f in files]
    predicted, base_predicted = tool(mixed_keys), base(mixed_keys, threshold)
    for name, (files, gold, _) in sets.items():
        p, r, f = bcubed(predicted, gold)
        bf = bcubed(base_predicted, gold)[2]
        section.rows.append((f"mixed: {name}", len(files), len(set(gold.values())), p, r, f,
                             "", "", bf, "", f"{f - alone[name]:+.3f} vs alone"))
    missing = len(everything) - len(articles)
    section.notes.append(
        "baseline: all-MiniLM-L6-v2 cosine (title + lead, 256 word pieces: the model's window, "
        f"not the tool's cut), average linkage, threshold {threshold:.2f} chosen on ecbplus-dev "
        "(grid 0.30-0.90); the mixed rows give the tool's "
        "F1 change against the same set built alone"
    )
    if missing:
        section.notes.append(f"{missing} files were not read by ingest (scored as singletons)")
    section.seconds = time.perf_counter() - started
    return [section]
