"""Make deterministic N-article corpora for the scale benchmark from the real dev articles.

Recipe (``RECIPE``; the same ``n`` and ``seed`` always give the same files):

- Seeds: every article of ``../shared/data/wikinews-dev/*/articles/*.json`` and
  ``../shared/data/ecbplus-dev/corpus/*.json`` with at least ``MIN_SEED_WORDS`` words
  (234 of the 235 real articles).
- Each new article is, by draw:
  - ``EXACT_SHARE`` (5 %) an exact copy of an earlier article: same title and text,
    another outlet and URL, same date (dedup folds it by content id);
  - ``NEAR_SHARE`` (10 %) a syndicated wire copy of an earlier article: one word edit
    per 150 words (a word dropped or repeated), a dateline in front when the text has
    over 150 words, punctuation changed, another outlet and URL, dated the same day or
    the next (dedup folds most of them as near duplicates);
  - otherwise a fresh variant of a random seed: about half of its names and numbers
    swapped for names and numbers of other seed stories (the same swap in title and
    text), each sentence but the first dropped with probability 0.2, some neighbouring
    sentences swapped, paragraphs re-cut every three sentences.
- Dates are spread uniformly over ``span_days(n)`` days from 2025-01-01: 60 days up to
  6,000 articles, then ``n / 100`` days, at most 365 (so date blocking matters).
- Outlets are drawn from ``OUTLETS``; URLs are ``https://<outlet>/<date>/<seed>-<index>``,
  so the seed story of every article can be read back from its URL (``seed_key``).

Files go to ``<cache>/<n>/<index // 1000>/<index>.json`` as ``{"title", "text",
"date", "source", "url"}``; a folder holding ``.recipe`` with the same recipe line is
reused as it is. ``python bench/corpus_gen.py N [--seed S] [--cache DIR]`` writes one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CACHE = Path(__file__).resolve().parent / ".corpora"
RECIPE = "corpus-gen v1"
EXACT_SHARE = 0.05
NEAR_SHARE = 0.10
MIN_SEED_WORDS = 25
START = dt.date(2025, 1, 1)
OUTLETS = (
    "Reuters", "Associated Press", "AFP", "BBC News", "The Guardian", "Al Jazeera",
    "Deutsche Welle", "NPR", "The Hindu", "Sydney Morning Herald", "CBC News",
    "Irish Times", "Japan Times", "Straits Times", "Globe and Mail", "Euronews",
    "France 24", "Kyiv Independent", "Buenos Aires Times", "Daily Nation",
)  # fmt: skip
DATELINES = ("LONDON", "NEW YORK", "PARIS", "NAIROBI", "TOKYO", "SYDNEY", "BERLIN")

_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)", re.MULTILINE)
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9][.!?])\s+(?=[A-Z\"“])")


def load_seeds(data: Path = DATA) -> list[tuple[str, str, str]]:
    """Return the real articles as (key, title, text), sorted by key."""
    paths = sorted((data / "wikinews-dev").glob("*/articles/*.json"))
    paths += sorted((data / "ecbplus-dev" / "corpus").glob("*.json"))
    seeds = []
    for path in paths:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if len(raw.get("text", "").split()) >= MIN_SEED_WORDS:
            key = f"{path.parents[1].name}-{path.stem}" if "wikinews" in str(path) else path.stem
            seeds.append((key.replace("_", "-"), raw.get("title") or "", raw["text"]))
    if not seeds:
        raise SystemExit(f"no seed articles under {data}")
    return seeds


def span_days(n: int) -> int:
    """Return the number of days the dates of an ``n``-article corpus spread over."""
    return min(365, max(60, n // 100))


def seed_key(url: str) -> str:
    """Return the seed story of a generated article from its URL."""
    return url.rsplit("/", 1)[-1].rsplit("-", 1)[0]


def _pools(seeds: list[tuple[str, str, str]]) -> tuple[list[str], list[str]]:
    names = sorted({m for _, t, x in seeds for m in _NAME.findall(f"{t}\n{x}")})
    numbers = sorted({m for _, t, x in seeds for m in _NUMBER.findall(x)})
    return names, numbers


def _swap(title: str, text: str, rng: random.Random, pools: tuple[list, list]) -> tuple[str, str]:
    """Swap about half of the names and numbers, the same way in title and text."""
    mapping: dict[str, str] = {}
    for pattern, pool in ((_NAME, pools[0]), (_NUMBER, pools[1])):
        for found in sorted(set(pattern.findall(f"{title}\n{text}"))):
            if rng.random() < 0.5:
                mapping[found] = rng.choice(pool)
    if not mapping:
        return title, text
    alternatives = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternatives})\b")
    return tuple(pattern.sub(lambda m: mapping[m.group(0)], s) for s in (title, text))  # type: ignore[return-value]


def _reshape(text: str, rng: random.Random) -> str:
    """Drop and reorder sentences (never the first), then re-cut paragraphs."""
    sentences = [s for p in text.split("\n") for s in _SENTENCE_END.split(p.strip()) if s]
    kept = sentences[:1] + [s for s in sentences[1:] if rng.random() >= 0.2]
    for i in range(1, len(kept) - 1):
        if rng.random() < 0.15:
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
    return "\n\n".join(" ".join(kept[i : i + 3]) for i in range(0, len(kept), 3))


def _wire_copy(text: str, rng: random.Random) -> str:
    """Make a syndicated copy: a few word edits, a dateline, other punctuation."""
    tokens = text.replace(" - ", " — ").split(" ")
    for _ in range(max(1, len(tokens) // 150)):
        i = rng.randrange(len(tokens))
        if rng.random() < 0.5 and len(tokens) > 1:
            del tokens[i]
        else:
            tokens.insert(i, tokens[i])
    copy = " ".join(tokens)
    if len(tokens) > 150:
        copy = f"{rng.choice(DATELINES)} (Wire) — {copy}"
    return copy


def _url(outlet: str, date: dt.date, key: str, index: int) -> str:
    host = re.sub(r"[^a-z]+", "", outlet.lower()) + ".example"
    return f"https://{host}/{date:%Y/%m/%d}/{key}-{index:06d}"


def generate(n: int, *, seed: int = 0, data: Path = DATA) -> list[dict[str, str]]:
    """Return ``n`` article records made by the recipe of this module."""
    seeds = load_seeds(data)
    pools = _pools(seeds)
    rng = random.Random(f"{RECIPE}:{seed}:{n}")
    span = span_days(n)
    records: list[dict[str, str]] = []
    for index in range(n):
        draw = rng.random()
        if records and draw < EXACT_SHARE + NEAR_SHARE:
            base = rng.choice(records)
            date = dt.date.fromisoformat(base["date"])
            text, title = base["text"], base["title"]
            if draw >= EXACT_SHARE:
                text = _wire_copy(text, rng)
                date += dt.timedelta(days=rng.choice((0, 0, 1)))
            key = seed_key(base["url"])
            outlet = rng.choice([o for o in OUTLETS if o != base["source"]])
        else:
            key, title, text = rng.choice(seeds)
            title, text = _swap(title, text, rng, pools)
            text = _reshape(text, rng)
            date = START + dt.timedelta(days=rng.randrange(span))
            outlet = rng.choice(OUTLETS)
        records.append(
            {
                "title": title,
                "text": text,
                "date": date.isoformat(),
                "source": outlet,
                "url": _url(outlet, date, key, index),
            }
        )
    return records


def corpus_dir(n: int, *, seed: int = 0, cache: Path = CACHE, data: Path = DATA) -> Path:
    """Return the folder of the ``n``-article corpus, writing it first unless cached."""
    folder = Path(cache) / (str(n) if seed == 0 else f"{n}-s{seed}")
    line = f"{RECIPE} n={n} seed={seed}\n"
    marker = folder / ".recipe"
    if marker.is_file() and marker.read_text() == line:
        return folder
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    for index, record in enumerate(generate(n, seed=seed, data=data)):
        path = partial / f"{index // 1000:03d}" / f"{index:06d}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (partial / ".recipe").write_text(line)
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder


def main() -> None:
    """Write (or find) one corpus and print its folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    print(corpus_dir(args.n, seed=args.seed, cache=args.cache))


if __name__ == "__main__":
    main()
