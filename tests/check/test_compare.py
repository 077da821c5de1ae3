"""Tests for check.compare, its renderers and ``briefing compare``, on hand-made sources."""

from __future__ import annotations

import datetime as dt
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.check.compare import EventComparison, compare_summary
from briefing.check.compare_io import (
    compare_briefing,
    compare_pairs,
    read_sources,
    summary_from_bytes,
)
from briefing.check.compare_render import (
    comparison_to_dict,
    mark_facts,
    md_cell,
    render_html,
    render_json,
    render_markdown,
    render_table,
)
from briefing.check.facts import novel_words, unsupported_facts, vocabulary
from briefing.check.judge import SUPPORTED_MIN, sentence_support
from briefing.cli.compare import compare
from briefing.cli.main import cli
from briefing.errors import InputError
from briefing.pipeline import BuildOptions, build_briefing
from tests.conftest import DEMO

cli.add_command(compare)  # what briefing/cli.py does; adding it twice is harmless

STORM = (
    "A storm hit the coast of Maine on Tuesday. Thousands of homes lost power overnight. "
    "The governor declared a state of emergency. Winds reached 90 miles an hour."
)
BRIDGE = "The bridge in Portland reopened after repairs. Buses resumed their routes on Monday."


# -- verify: names spelled as a source spells them, and novel words ------------------------


@pytest.mark.parametrize(
    ("sentence", "missing"),
    [
        ("Officials met Zelenskyy in Kyiv.", []),  # as the source spells it
        ("Officials met ZELENSKYY in Kyiv.", []),  # case does not matter
        ("Officials met Zelenskyy's aides in Kyiv.", []),
        ("Officials met Zelensky in Kyiv.", ["Zelensky"]),  # a variant no source uses
        ("Officials met Zelenskyy in Australia.", ["Australia"]),
        ("Officials met Zelenskyy and Putin.", ["Putin"]),
    ],
)
def test_names_must_be_spelled_as_some_source_spells_them(sentence, missing):
    source = "Volodymyr Zelenskyy went to Austria, then to Kyiv. His aides stayed."
    assert unsupported_facts(sentence, source) == missing
    assert unsupported_facts(sentence, vocabulary(source)) == missing


def test_a_variant_is_allowed_when_a_source_uses_it():
    sources = "Zelenskyy went to Kyiv.\nPresident Zelensky met the troops."
    assert unsupported_facts("Zelensky and Zelenskyy are one man.", sources) == []


@pytest.mark.parametrize(
    ("sentence", "novel"),
    [
        ("The storms hit homes.", []),  # inflections share a stem
        ("The governor's declaration came.", ["came"]),  # possessive; declared ~ declaration
        ("The world watched.", ["world", "watched"]),  # not "would" (one letter off, too short)
        ("Officials criticized the governor.", ["officials"]),  # criticised ~ criticized
        ("a storm hit edinburgh on tuesday.", ["edinburgh"]),  # lower-cased names show up too
        ("Winds reached 95 miles.", []),  # numbers are facts, not novel words
    ],
)
def test_novel_words(sentence, novel):
    source = STORM + " The governor was criticised. It would rain."
    assert novel_words(sentence, source) == novel


# -- compare_summary -----------------------------------------------------------------------


def test_copied_sentence_is_supported_with_file_and_position():
    c = compare_summary("Thousands of homes lost power overnight.", [BRIDGE, STORM])

    (s,) = c.sentences
    assert (s.position, s.verdict, s.support, s.alignment) == (1, "supported", 1.0, 1.0)
    best = s.evidence[0]
    assert (best.source, best.position, best.score) == ("source 2", 2, 1.0)
    assert best.sentence == "Thousands of homes lost power overnight."
    assert c.support_score == 1.0 and c.supported_share == 1.0
    assert c.fragments.coverage == 1.0 and c.novel_ngrams == (0.0, 0.0, 0.0, 0.0)
    assert (c.words, len(c.sentences)) == (6, 1)
    assert [(i.name, i.sentences) for i in c.sources] == [("source 1", 2), ("source 2", 4)]


def test_a_changed_number_is_contradicted_and_an_invented_name_not_found():
    c = compare_summary(
        "A storm hit the coast of Maine on Tuesday. Winds reached 140 miles an hour.",
        [STORM],
    )
    first, second = c.sentences
    assert first.verdict == "supported"
    assert (second.verdict, second.differences) == ("contradicted", ("number",))
    assert second.unsupported_facts == ("140",)
    assert second.support < min(first.support, SUPPORTED_MIN)
    assert c.support_score == second.support  # the weakest sentence
    assert c.supported_share == 0.5 and c.count("contradicted") == 1

    c = compare_summary("Winds reached 90 miles an hour in Boston.", [STORM])
    only = c.sentences[0]
    assert only.verdict == "not found" and only.unsupported_facts == ("Boston",)
    plain = compare_summary("Winds reached 90 miles an hour.", [STORM]).sentences[0]
    assert plain.verdict == "supported" and only.support < plain.support
    assert c.support_score == only.support


def test_unrelated_sentence_is_not_supported():
    c = compare_summary("Cats like to sleep in the sun all day.", [STORM, BRIDGE])
    assert c.sentences[0].verdict != "supported"
    assert c.support_score < SUPPORTED_MIN


def test_sentence_support_formula():
    assert sentence_support(0.8, 0, 0) == 0.8
    assert sentence_support(0.8, 1, 2) == pytest.approx(0.8 * 0.5 * 0.8 * 0.8)


def test_reference_rouge_only_when_given():
    summary = "A storm hit the coast."
    assert compare_summary(summary, [STORM]).rouge_reference is None
    c = compare_summary(summary, [STORM], reference="A storm hit the coast.")
    assert c.rouge_reference is not None and c.rouge_reference.rouge1.fmeasure == 1.0
    assert c.rouge_sources.rouge1.precision == 1.0 and c.rouge_sources.rouge1.recall < 0.3


def test_summary_given_as_sentences():
    c = compare_summary(["Buses resumed their routes on Monday.", " "], [BRIDGE])
    assert [s.text for s in c.sentences] == ["Buses resumed their routes on Monday."]


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("summary", ["", "   \n\n", []])
def test_empty_summary_is_a_clear_error(summary):
    with pytest.raises(InputError, match="the summary is empty"):
        compare_summary(summary, [STORM])


def test_empty_sources_are_noted_or_refused():
    c = compare_summary("Buses resumed their routes.", ["", BRIDGE])
    assert c.notes == ("source source 1 is empty",)
    with pytest.raises(InputError, match="every source is empty"):
        compare_summary("Buses resumed.", ["", "  "])


def test_unreadable_sources_are_skipped_with_a_note(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(STORM)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    paths = [tmp_path / "empty.txt", tmp_path / "missing.txt", tmp_path / "binary.txt", good]

    articles, notes = read_sources(paths)

    assert [a.path for a in articles] == [str(good)]
    assert len(notes) == 3 and "empty file" in notes[0] and "binary" in notes[2]
    with pytest.raises(InputError, match="no readable source"):
        read_sources(paths[:3])


FRENCH = (
    "Le café de Zürich a rouvert lundi après des mois de travaux. Les habitants étaient ravis "
    "de retrouver leur café préféré. Le propriétaire a déclaré que la réouverture était un "
    "succès. Des centaines de clients sont venus dès l'ouverture."
)


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-8-sig"])
def test_sources_in_other_encodings(tmp_path, encoding):
    path = tmp_path / "source.txt"
    path.write_bytes(FRENCH.encode(encoding))
    articles, notes = read_sources([path])
    c = compare_summary("Le café de Zürich a rouvert lundi après des mois de travaux.", articles)
    assert notes == [] and c.sentences[0].verdict == "supported"
    assert c.sentences[0].evidence[0].score == 1.0
    assert c.sentences[0].evidence[0].position == 1  # the derived title is not repeated


@pytest.mark.parametrize(
    ("data", "markdown", "text"),
    [
        (b"\xef\xbb\xbfCaf\xc3\xa9 news.", False, "Café news."),
        ("Café news.".encode("utf-16"), False, "Café news."),
        (b"Caf\xe9 news.", False, "Café news."),
        (b"# Title\n\n- **Bold** claim with [a link](http://x).\n- `code` too", True,
         "Title\n\nBold claim with a link.\ncode too"),
    ],
)
def test_summary_from_bytes(data, markdown, text):
    assert summary_from_bytes(data, markdown=markdown) == text


def _filler(count: int) -> str:
    return " ".join(f"Filler sentence number {n} says nothing at all." for n in range(count))


def test_a_ten_megabyte_source_file(tmp_path):
    filler = "\n\n".join(_filler(20) for _ in range(10_000))  # 10,000 paragraphs
    path = tmp_path / "big.txt"
    path.write_text(f"{filler}\n\n{STORM}\n\n{filler}")
    assert path.stat().st_size > 10_000_000
    articles, _ = read_sources([path])
    summary = "Thousands of homes lost power overnight. Winds reached 90 miles."
    c = compare_summary(summary, articles)  # finishes: no quadratic step (timed in bench/)
    first, second = c.sentences
    assert first.verdict == "supported" and first.evidence[0].score == 1.0
    assert first.evidence[0].sentence == "Thousands of homes lost power overnight."
    assert first.evidence[0].position == 200_002  # after 200,000 filler sentences and the title
    assert second.unsupported_facts == ()
    assert c.fragments.compression > 100_000


def test_a_ten_megabyte_paragraph():
    filler = _filler(100_000)
    c = compare_summary("Winds reached 90 miles an hour.", [f"{filler} {STORM} {filler}"])
    assert c.sentences[0].verdict == "supported" and c.sentences[0].evidence[0].score == 1.0
    assert c.sources[0].sentences == 200_004


# -- renderers ------------------------------------------------------------------------------


HOSTILE = "<script>alert(1)</script> | *x* {{ 7*7 }}"


def _items(summary: str = "Thousands of homes lost power. Winds hit Boston.") -> list:
    return [EventComparison(0, "summary.txt", compare_summary(summary, [STORM, HOSTILE]))]


def test_json_format():
    doc = json.loads(render_json(_items()))
    assert list(doc) == [
        "support_score", "supported_share", "verdicts", "length", "rouge_sources",
        "rouge_reference", "fragments", "novel_ngrams", "sentences", "sources", "notes",
    ]
    assert doc["length"] == {"words": 8, "sentences": 2}
    assert list(doc["rouge_sources"]) == ["rouge1", "rouge2", "rougeL"]
    assert list(doc["rouge_sources"]["rouge1"]) == ["precision", "recall", "fmeasure"]
    assert doc["rouge_reference"] is None
    assert list(doc["novel_ngrams"]) == ["1", "2", "3", "4"]
    second = doc["sentences"][1]
    assert list(second) == [
        "position", "text", "verdict", "support", "alignment", "differences",
        "unsupported_facts", "novel_words", "evidence",
    ]
    assert second["unsupported_facts"] == ["Boston"] and second["verdict"] == "not found"
    assert list(second["evidence"][0]) == ["source", "position", "sentence", "score"]
    assert doc == comparison_to_dict(_items()[0].comparison)


def test_html_report_escapes_everything_and_runs_no_script():
    items = _items(HOSTILE + " Homes lost power.")
    html = render_html(items, title="<b>t</b>")
    page = _Page()
    page.feed(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;t&lt;/b&gt;" in html and "49" not in "".join(page.text)
    assert "default-src 'none'" in html and "script-src" not in html
    ids = set(page.values("id"))
    links = [h for h in page.values("href") if h.startswith("#")]
    assert links and all(h[1:] in ids for h in links)


def test_mark_facts_escapes_and_marks():
    assert str(mark_facts("<b>Boston</b> & 90", ["Boston", "90"])) == (
        "&lt;b&gt;<mark>Boston</mark>&lt;/b&gt; &amp; <mark>90</mark>"
    )
    assert str(mark_facts("Bostonian", ["Boston"])) == "Bostonian"


def test_markdown_and_table_reports():
    md = render_markdown(_items(), title="Check")
    assert md.startswith("# Check\n\n## summary.txt\n")
    assert "| 2 | Winds hit Boston. | not found |" in md and "Boston |" in md
    assert md_cell("a | b *c*") == r"a \| b \*c\*"
    table = render_table(_items())
    assert "support score" in table and "not found" in table and "Boston" in table


# -- briefing JSON and pairs ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_briefing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    options = BuildOptions(paths=(DEMO,), date=dt.date(2022, 12, 21), out_dir=out,
                           db_path=out / "b.db", backend="extractive")
    return next(p for p in build_briefing(options).outputs if p.suffix == ".json")


def test_compare_briefing_checks_every_event(demo_briefing):
    doc = json.loads(demo_briefing.read_text())
    items = compare_briefing(demo_briefing)
    assert [i.headline for i in items] == [e["headline"] for e in doc["events"]]
    for item in items:
        assert item.comparison.support_score == 1.0  # extractive digests copy sentences
        assert all(s.verdict == "supported" for s in item.comparison.sentences)


def test_compare_briefing_bad_json(tmp_path):
    (tmp_path / "x.json").write_text('{"title": 1}')
    with pytest.raises(InputError, match="not a briefing JSON"):
        compare_briefing(tmp_path / "x.json")


def test_pairs_keep_order_and_report_bad_lines(tmp_path):
    lines = [
        {"id": "a", "summary": "Buses resumed their routes.", "sources": [BRIDGE]},
        "not json",
        {"summary": "Winds hit Boston.", "source": STORM, "reference": "Winds hit."},
        {"summary": "", "source": STORM},
        {"summary": "x", "sources": [1]},
    ]
    jsonl = tmp_path / "pairs.jsonl"
    jsonl.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n\n")
    out = io.StringIO()

    assert compare_pairs(jsonl, out) == 5

    results = [json.loads(x) for x in out.getvalue().splitlines()]
    assert results[0]["id"] == "a" and results[0]["verdicts"]["supported"] == 1
    assert results[1]["line"] == 2 and "error" in results[1]
    assert results[2]["sentences"][0]["unsupported_facts"] == ["Boston"]
    assert results[2]["rouge_reference"]["rouge1"]["recall"] == 1.0
    assert results[3] == {"line": 4, "error": "the summary is empty"}
    assert results[4]["line"] == 5


# -- CLI ------------------------------------------------------------------------------------


def _run(args, stdin=None):
    return CliRunner().invoke(cli, ["compare", *args], input=stdin, catch_exceptions=False)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "storm.txt").write_text(STORM)
    (tmp_path / "bridge.md").write_text(BRIDGE)
    (tmp_path / "summary.md").write_text("- **Thousands** of homes lost power overnight.\n")
    return tmp_path


def test_cli_json_from_a_markdown_summary(files):
    result = _run([str(files / "summary.md"), "--source", str(files / "storm.txt"),
                   "--source", str(files / "bridge.md"), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["sentences"][0]["text"] == "Thousands of homes lost power overnight."
    assert doc["sentences"][0]["evidence"][0]["source"] == str(files / "storm.txt")


def test_cli_reads_standard_input_and_writes_files(files):
    out = files / "report.html"
    result = _run(["-", "--source", str(files / "storm.txt"), "--format", "html",
                   "--out", str(out)], stdin="Winds hit Boston.")
    assert result.exit_code == 0 and "Wrote" in result.output
    assert "<mark>Boston</mark>" in out.read_text()
    result = _run(["-", "--source", str(files / "storm.txt"), "--format", "md"], stdin="Winds.")
    assert result.stdout.startswith("# Summary check: standard input\n")


def test_cli_table(files):
    result = _run([str(files / "summary.md"), "--source", str(files / "storm.txt")])
    assert result.exit_code == 0 and "support score 1.00" in result.output


def test_cli_briefing_json(demo_briefing):
    result = _run([str(demo_briefing), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["briefing"] == str(demo_briefing) and len(doc["events"]) == 4
    assert list(doc["events"][0])[:3] == ["rank", "headline", "support_score"]


def test_cli_pairs(files):
    (files / "p.jsonl").write_text(json.dumps({"summary": "Buses resumed.", "source": BRIDGE}))
    result = _run(["--pairs", str(files / "p.jsonl"), "--out", str(files / "r.jsonl")])
    assert result.exit_code == 0, result.output
    assert json.loads((files / "r.jsonl").read_text())["verdicts"]["supported"] == 1


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["-", "--source", "{d}/storm.txt"], "", "Error: the summary is empty"),
        (["{d}/nope.txt", "--source", "{d}/storm.txt"], None, "Error: cannot read {d}/nope.txt"),
        (["-", "--source", "{d}/nope.txt"], "Hi.", "Error: no readable source: skipped source"),
        (["-"], "Hi.", "Error: give at least one --source FILE"),
        ([], None, "Error: give a SUMMARY file"),
        (["--pairs", "{d}/nope.jsonl"], None, "Error: pairs file not found"),
    ],
)
def test_cli_errors(files, args, stdin, message):
    result = _run([a.format(d=files) for a in args], stdin=stdin)
    assert result.exit_code in (1, 2)
    assert message.format(d=files) in result.output


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)

    def values(self, name: str) -> list[str]:
        return [v or "" for k, v in self.attrs if k == name]
