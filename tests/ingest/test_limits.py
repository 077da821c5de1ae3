"""Size limits: per article, per corpus, per model input; each noted, none silent."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli.main import cli
from briefing.ingest.decode import decode_text
from briefing.ingest.limits import cap_article, cap_corpus, cut_point
from briefing.ingest.textmeta import read_text
from briefing.pipeline import BuildOptions, build_briefing
from briefing.publish.jsonio import briefing_from_dict
from briefing.publish.render import briefing_to_dict
from briefing.records import Article, Draft, Limit
from briefing.store.store import summary_from_dict, summary_to_dict
from briefing.summarize import registry
from briefing.summarize.backends.extractive import ExtractiveSummarizer
from briefing.summarize.select import select_excerpts
from briefing.text import CHUNK_CHARS, split_sentences
from tests.conftest import DEMO, make_article


def count_words(sentence: str) -> int:
    return len(sentence.split())


# -- cutting one article -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cap", "kept"),
    [
        ("Short text.", 100, "Short text."),
        ("First para here.\n\nSecond paragraph is longer.", 30, "First para here."),
        ("One sentence here. Another sentence there. And more", 45,
         "One sentence here. Another sentence there."),
        ("words without any end at all in sight", 20, "words without any"),
        ("x" * 50, 20, "x" * 20),
    ],
)
def test_cut_point_prefers_paragraph_then_sentence_then_word(text, cap, kept):
    assert text[: cut_point(text, cap)].rstrip() == kept


def test_cap_article_notes_the_cut_and_rehashes():
    article = make_article("A long sentence about the port. " * 10, path="c/long.txt")
    assert cap_article(article, 1000) is article
    cut = cap_article(article, 100)
    assert cut.text == ("A long sentence about the port. " * 3).rstrip()
    assert cut.id != article.id and cut.title == article.title
    assert cut.truncated == Limit("max_article_chars", "c/long.txt", 100, 95, 320, "characters")
    assert cut.truncated.message == (
        "c/long.txt: max_article_chars 100 reached: kept 95 of 320 characters"
    )


# -- the corpus cap ----------------------------------------------------------


def test_cap_corpus_keeps_the_newest_and_skips_the_rest_with_a_reason():
    day = dt.date(2022, 12, 1)
    arts = [
        make_article("a" * 40, path="old.txt", date=day),
        make_article("b" * 40, path="undated.txt"),
        make_article("c" * 40, path="new.txt", date=day + dt.timedelta(days=2)),
        make_article("d" * 40, path="mid.txt", date=day + dt.timedelta(days=1)),
        make_article("e" * 5, path="tiny-old.txt", date=day - dt.timedelta(days=1)),
    ]
    kept, skipped, limit = cap_corpus(arts, 100)
    assert [a.path for a in kept] == ["new.txt", "mid.txt"]  # in their given order
    # old.txt does not fit; it and everything older is left out, even a tiny article
    assert [s.path for s in skipped] == ["old.txt", "undated.txt", "tiny-old.txt"]
    assert all("max_corpus_chars (100)" in s.reason for s in skipped)
    assert limit == Limit("max_corpus_chars", "corpus", 100, 80, 165, "characters")
    assert cap_corpus(arts, 1000) == (arts, [], None)


# -- the model input cap -----------------------------------------------------


def test_selection_reports_an_input_cut_only_when_sentences_did_not_fit():
    article = make_article(
        "The mayor opened the new river bridge on Monday. "
        "The bridge cost ten million dollars to build. "
        "Local birds enjoyed the sunny weather today."
    )
    whole = select_excerpts([article], budget_tokens=100, count_tokens=count_words)
    assert whole.input_cut is None and len(whole.picked) == 3
    cut = select_excerpts([article], budget_tokens=10, count_tokens=count_words)
    assert cut.input_cut == Limit("max_input_tokens", "", 10, len(cut.picked), 3,
                                  "source sentences")
    assert 1 <= len(cut.picked) < 3


class _Budgeted:
    """A backend with an input budget: extractive sentences, reporting its input cut."""

    name = "budgeted"
    seen: list[int] = []

    def __init__(self, source_tokens: int = 450) -> None:
        self.source_tokens = source_tokens
        _Budgeted.seen.append(source_tokens)

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        selection = select_excerpts(articles, budget_tokens=self.source_tokens)
        draft = ExtractiveSummarizer().summarize(articles, max_words=max_words)
        return dataclasses.replace(draft, input_cut=selection.input_cut)


def test_build_notes_each_event_whose_model_input_was_cut(tmp_path, monkeypatch):
    monkeypatch.setitem(registry._REGISTRY, "budgeted", _Budgeted)
    options = BuildOptions(paths=(DEMO,), date=dt.date(2022, 12, 21), out_dir=tmp_path,
                           db_path=tmp_path / "b.db", backend="budgeted", formats=("json", "md"),
                           max_input_tokens=60)
    result = build_briefing(options)
    assert _Budgeted.seen == [60]
    doc = json.loads((tmp_path / "2022-12-21.json").read_text())
    cuts = [e["input_cut"] for e in doc["events"]]
    assert cuts and all(c is not None for c in cuts)  # every demo event has > 60 tokens
    for event, cut in zip(doc["events"], cuts, strict=True):
        assert cut["where"] == event["id"] and cut["name"] == "max_input_tokens"
        assert cut["cap"] == 60 and cut["kept"] < cut["total"]
    assert doc["limits"] == cuts
    page = (tmp_path / "2022-12-21.md").read_text()
    for cut in cuts:
        assert f"*Based on {cut['kept']} of {cut['total']} source sentences.*" in page
        assert cut["where"] not in page
    # a cached digest keeps its note
    again = build_briefing(options)
    assert again.briefing.limits == result.briefing.limits


# -- the CLI flags -------------------------------------------------------------


def test_cli_caps_articles_and_corpus_and_says_so(tmp_path: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["build", str(DEMO), "--date", "2022-12-21", "--backend", "extractive", "--out",
         str(out), "--db", str(tmp_path / "b.db"), "--max-article-chars", "2000",
         "--max-corpus-chars", "6000"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "2022-12-21.json").read_text())
    articles = [a for e in doc["events"] for a in e["articles"]]
    cut = [a["truncated"] for a in articles if a["truncated"]]
    assert cut and all(c["kept"] <= 2000 < c["total"] for c in cut)
    corpus = [lim for lim in doc["limits"] if lim["name"] == "max_corpus_chars"]
    assert len(corpus) == 1 and corpus[0]["kept"] <= 6000 < corpus[0]["total"]
    left_out = [s for s in doc["skipped"] if "max_corpus_chars (6,000)" in s["reason"]]
    assert left_out and len(articles) + len(left_out) == 5
    assert doc["limits"] == cut + corpus
    lines = result.output.splitlines()
    assert all(f"limit: {lim['message']}" in lines for lim in doc["limits"])
    assert f"{len(left_out)} skipped." in result.output
    html = (out / "2022-12-21.html").read_text()
    # the reader sees short notes; the limit names and counts stay in the JSON
    assert "Limits reached" in html and "Some older articles were left out" in html
    assert "reached: kept" not in html and "max_article_chars" not in html
    assert "characters were read." in html  # beside the event of a cut article


# -- round trips ---------------------------------------------------------------


def test_limits_survive_the_store_and_the_json(tmp_path):
    cut = Limit("max_input_tokens", "ev:1", 450, 12, 80, "source sentences")
    options = BuildOptions(paths=(DEMO,), date=dt.date(2022, 12, 21), out_dir=tmp_path,
                           db_path=None, formats=("json",), max_article_chars=2500)
    briefing = build_briefing(options).briefing
    item = briefing.events[0]
    summary = dataclasses.replace(item.summary, input_cut=cut)
    assert summary_from_dict(json.loads(json.dumps(summary_to_dict(summary)))) == summary
    briefing = dataclasses.replace(
        briefing, events=(dataclasses.replace(item, summary=summary), *briefing.events[1:]),
        limits=(*briefing.limits, cut),
    )
    doc = json.loads(json.dumps(briefing_to_dict(briefing)))
    assert any(a["truncated"] for e in doc["events"] for a in e["articles"])
    assert briefing_to_dict(briefing_from_dict(doc)) == doc


# -- linear-time text handling -------------------------------------------------


def test_a_huge_paragraph_is_split_into_all_its_sentences():
    sentence = "Mr. Smith said the budget of 3.5 million was spent. "
    text = sentence * 4000  # 208,000 characters, one paragraph
    found = split_sentences(text)
    assert len(found) == 4000 and set(found) == {sentence.strip()}


def test_a_run_without_sentence_ends_is_cut_at_spaces():
    text = "word " * 3000
    found = split_sentences(text)
    assert all(len(s) <= CHUNK_CHARS for s in found)
    assert " ".join(found).split() == text.split()


def test_a_one_line_article_gets_a_short_derived_title():
    meta = read_text("The council met on Tuesday to discuss the budget. " * 20_000)
    assert meta.title == "The council met on Tuesday to discuss the budget"
    assert len(meta.text) >= 999_999


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Café in Zürich closes\n\nThe café near the Bürkliplatz closed on Friday.", "latin-1"),
        ("Café Zürich. À bientôt, señor.", "latin-1"),
        ("Die Straße in München – „gesperrt“, teilte die Stadt mit.", "cp1252"),
        ("Президент заявил, что переговоры продолжатся в понедельник.", "cp1251"),
        ("Prezydent powiedział, że rozmowy będą kontynuowane. Łódź, źródło.", "cp1250"),
    ],
)
def test_non_utf8_text_is_decoded_in_its_encoding(text, encoding):
    assert decode_text(text.encode(encoding), Path("x.txt")) == text
