"""Digests: ROUGE of each system on wikinews-dev at the same word budget, by half.

Each of the 48 events (its articles read by the tool's ingest, made one event by
``single_event``) is summarized by: **lead** (whole first sentences, round-robin over
the articles: the first of each, then the second ...), **LexRank** (sumy, with the
tool's sentence splitter, whole sentences by rank), and the tool's backends through
``summarize_event`` (so the guard runs): ``extractive``, ``hf`` and, where its extra
is installed, ``llama``. Lead and LexRank skip a sentence that would overflow the
budget and go on filling, as the extractive backend does.

Scores: rouge-score F1 with stemming against the first 120 words of ``reference.md``;
ROUGE-Lsum over sentence lines (both sides split by the tool's splitter). Also: mean
words used, sentences per digest, the share of model sentences the guard dropped, and
invented names/numbers: a number, or a capitalised word that does not open a
sentence, found in no source exactly as written (an independent check, not the
guard's). Halves: events in sorted order alternate A (tune on it) and B (report on it).
"""

from __future__ import annotations

import importlib.util
import json
import re
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from .common import DATA, Section

REFERENCE_WORDS = 120
FIRST_DRAFT = "first draft, revised"  # summarize.summary: drops of a draft written again
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_CAPITALISED = re.compile(r"(?<![.!?\"“'‘(]\s)(?<!^)\b[A-Z][\w’'-]*")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def invented(sentences: Sequence[str], sources: Sequence[str], headline: str = "") -> list[str]:
    """Return the numbers and names found in no source as written.

    In sentences: every number, and every capitalised word that does not open a sentence.
    In the headline (title case makes every word capitalised): every number, and every
    capitalised word that no source has in any case, unless the sources write it in
    lower case with another ending (title case makes "Sours" of "soured": same Porter
    stem); a word in capitals ("US") needs a source that writes it capitalised. A
    possessive ending is not part of a name ("Castro's" is "Castro").
    """
    from briefing.check.facts import stem

    lower_stems = {stem(w.casefold()) for src in sources for w in _WORD.findall(src)
                   if w[0].islower()}
    found = []
    for sentence in [*sentences, headline]:
        s = sentence.strip().lstrip("\"“‘'(")
        names = re.findall(r"\b[A-Z][\w’'-]*", s) if sentence is headline else (
            _CAPITALISED.findall(s))
        for token in _NUMBER.findall(s) + names:
            token = re.sub(r"['’]s$", "", token.rstrip("’'-"))
            if sentence is headline and not token[0].isdigit() and (
                    _headline_word_found(token, sources, lower_stems)):
                continue
            # a number counts when a source states it, even glued to letters ("5.55pm",
            # "pad 37B"); a name must stand as a whole word
            edge = r"[\d]" if token[0].isdigit() else r"[\w]"
            pattern = re.compile(f"(?<!{edge})" + re.escape(token) + f"(?!{edge})")
            if not any(pattern.search(src) for src in sources):
                found.append(token)
    return found


def _headline_word_found(token: str, sources: Sequence[str], lower_stems: set[str]) -> bool:
    """Whether a title-case headline word is in the sources (see ``invented``)."""
    from briefing.check.facts import stem

    if len(token) > 1 and token.isupper():  # "US": capitals as a source writes them
        dotted = r"\.?".join(map(re.escape, token)) + r"\.?"
        return any(re.search(rf"(?<!\w){dotted}(?!\w)", src) for src in sources)
    pattern = re.compile(r"(?<!\w)" + re.escape(token) + r"(?!\w)", re.IGNORECASE)
    return (any(pattern.search(src) for src in sources)
            or stem(token.casefold()) in lower_stems)


def _fill(ranked: Sequence[str], max_words: int) -> list[str]:
    """Take sentences in ``ranked`` order while they fit ``max_words``; skip those that don't."""
    from briefing.text import word_count

    chosen, used = [], 0
    for sentence in ranked:
        n = word_count(sentence)
        if used + n <= max_words:
            chosen.append(sentence)
            used += n
    return chosen


def sentences_of(text: str) -> list[str]:
    """The article's sentences, headline lines (no final punctuation) and fragments left out."""
    from briefing.text import split_sentences, word_count

    return [s for s in split_sentences(text)
            if word_count(s) >= 4 and re.search(r"[.!?][\"'”’)]*$", s)]


def lead(texts: Sequence[str], max_words: int) -> list[str]:
    """First sentences round-robin over the articles (the first of each, then the second ...)."""
    per = [sentences_of(t) for t in texts]
    order = [p[i] for i in range(max(map(len, per), default=0)) for p in per if i < len(p)]
    return _fill(order, max_words)


class _Tokenizer:
    """sumy's tokenizer interface over the tool's splitter (NLTK data cannot be downloaded)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return sentences_of(paragraph)

    def to_words(self, sentence: str) -> list[str]:
        return _WORD.findall(sentence)


def lexrank(texts: Sequence[str], max_words: int) -> list[str]:
    """LexRank (sumy) over all articles; best-rated whole sentences up to the budget."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    document = PlaintextParser.from_string("\n\n".join(texts), _Tokenizer()).document
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    sentences = list(document.sentences)
    if not sentences:
        return []
    words = [summarizer._to_words_set(s) for s in sentences]
    tf = summarizer._compute_tf(words)
    idf = summarizer._compute_idf(words)
    matrix = summarizer._create_matrix(words, summarizer.threshold, tf, idf)
    scores = summarizer.power_method(matrix, summarizer.epsilon)
    ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    chosen = set(_fill([str(sentences[i]) for i in ranked], max_words))
    return [str(s) for s in sentences if str(s) in chosen]


def load_events(quick: bool) -> list[tuple[str, str, list, str]]:
    """Return (half, folder name, articles, reference) for each event to score."""
    from briefing.ingest import ingest
    from briefing.text import split_sentences

    folders = sorted(p for p in (DATA / "wikinews-dev").iterdir() if p.is_dir())
    events = []
    for n, folder in enumerate(folders):
        side = "AB"[n % 2]
        if quick and side == "A":
            continue
        articles = list(ingest([folder / "articles"]).articles)
        words = (folder / "reference.md").read_text(encoding="utf-8").split()[:REFERENCE_WORDS]
        reference = "\n".join(split_sentences(" ".join(words)))
        events.append((side, folder.name, articles, reference))
    return events[:12] if quick else events


MODELS = ("hf", "llama")  # run on half B only
LAST_SECONDS: dict[str, tuple[int, float]] = {}  # system -> (events, s/event) in this run


def systems(quick: bool) -> list[str]:
    found = ["lead", "LexRank", "extractive", "hf"]
    if not quick and importlib.util.find_spec("llama_cpp") is not None:
        found.append("llama")
    return found


def run(embedder: object, quick: bool = False, *, max_words: int = 90,
        dump: Path | None = None) -> list[Section]:
    from rouge_score import rouge_scorer

    from briefing.events.cluster import single_event
    from briefing.events.embed import embed_articles
    from briefing.summarize import get_summarizer, summarize_event
    from briefing.text import word_count

    started = time.perf_counter()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    events = load_events(quick)
    prepared = []
    for side, name, articles, reference in events:
        vectors = embed_articles(articles, embedder=embedder)
        prepared.append((side, name, single_event(articles, vectors).articles, reference))
    results: dict[tuple[str, str], list[dict]] = {}
    seconds: dict[str, float] = {}
    out = dump.open("w", encoding="utf-8") if dump else None
    for system in systems(quick):
        summarizer = None
        if system not in ("lead", "LexRank"):
            summarizer = get_summarizer(system)
        # the model backends on half B only, the half reported (the run stays within the
        # hour); bench/tune_prompts.py measures them on half A, where prompts are chosen
        chosen = [p for p in prepared if system not in MODELS or p[0] == "B"]
        begin = time.perf_counter()
        for side, name, articles, reference in chosen:
            texts = [a.text for a in articles]
            titles = [a.title for a in articles]  # a headline may take an outlet's words
            headline, dropped, first = "", 0, 0
            if system == "lead":
                sentences = lead(texts, max_words)
            elif system == "LexRank":
                sentences = lexrank(texts, max_words)
            else:
                summary = summarize_event(articles, summarizer, max_words=max_words,
                                          embedder=embedder)
                sentences = [s.text for s in summary.sentences]
                headline = summary.headline
                reasons = [d.reason for d in summary.dropped if not d.reason.startswith("headline")]
                first = sum(r.startswith(FIRST_DRAFT) for r in reasons)
                dropped = len(reasons) - first
            score = scorer.score(reference, "\n".join(sentences))
            row = {
                "event": name, "system": system, "half": side, "headline": headline,
                "digest": sentences, "r1": score["rouge1"].fmeasure,
                "r2": score["rouge2"].fmeasure, "rl": score["rougeLsum"].fmeasure,
                "words": sum(word_count(s) for s in sentences), "sentences": len(sentences),
                "dropped": dropped, "revised": first,
                "invented": invented(sentences, [*texts, *titles], headline),
            }
            results.setdefault((side, system), []).append(row)
            if out:
                out.write(json.dumps(row) + "\n")
                out.flush()
        seconds[system] = (time.perf_counter() - begin) / max(len(chosen), 1)
        LAST_SECONDS[system] = (len(chosen), seconds[system])
        del summarizer
    if out:
        out.close()

    section = Section(
        f"Digests: wikinews-dev, {max_words} words, ROUGE F1 x 100 vs the first "
        f"{REFERENCE_WORDS} reference words",
        ("half", "system", "events", "R-1", "R-2", "R-Lsum", "words", "sentences",
         "dropped", "revised", "invented", "s/event"),
    )
    for (side, system), rows in sorted(results.items(), key=lambda kv: kv[0][0]):
        kept = sum(r["sentences"] for r in rows)
        drops = sum(r["dropped"] for r in rows)
        section.rows.append((
            side, system, len(rows),
            f"{100 * statistics.mean(r['r1'] for r in rows):.1f}",
            f"{100 * statistics.mean(r['r2'] for r in rows):.1f}",
            f"{100 * statistics.mean(r['rl'] for r in rows):.1f}",
            f"{statistics.mean(r['words'] for r in rows):.0f}",
            f"{statistics.mean(r['sentences'] for r in rows):.1f}",
            f"{drops / (kept + drops):.1%}" if system not in ("lead", "LexRank") and kept + drops
            else "-",
            f"{sum(r.get('revised', 0) > 0 for r in rows)}/{len(rows)}"
            if system in MODELS else "-",
            sum(len(r["invented"]) for r in rows),
            f"{seconds[system]:.1f}",
        ))
    section.notes.append(
        "dropped: sentences of the shipped digest removed by the guard (headline replacements "
        "not counted); revised: events whose first draft lost a sentence, so that the model "
        "wrote it again told why (summarize.summary.check_draft); "
        "invented: numbers and names in digest or headline that no source contains as written "
        "(headline words compared in any case or inflected, capitals as written; a possessive "
        "ending aside); "
        "s/event includes the guard, not the model's load; the model backends (hf, llama where "
        "installed) run on half B only (bench/tune_prompts.py measures half A)"
    )
    if quick:
        section.notes.append("--quick: the first 12 events of half B only; llama left out")
    section.seconds = time.perf_counter() - started
    return [section]
