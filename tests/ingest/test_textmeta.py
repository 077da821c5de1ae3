import datetime as dt

import pytest

from briefing.ingest.dates import parse_date
from briefing.ingest.textmeta import find_date, read_text
from tests.conftest import ROOT

CORPUS = ROOT / "corpus"
REF = dt.date(2022, 12, 21)


def demo(prefix: str) -> str:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "prefix,reference,title,date,source,author",
    [
        (
            "000",
            None,
            "Ukrainian President Volodymyr Zelenskyy has confirmed today that he is "
            "visiting the United States",
            dt.date(2022, 12, 21),
            None,
            None,
        ),
        (
            "001",
            REF,
            "Volodymyr Zelenskyy heads to US for first overseas visit since Russia invaded Ukraine",
            None,
            None,
            "Kit Heren",
        ),
        (
            "002",
            REF,
            "Volodymyr Zelensky travels to Bakhmut, a front-line city in the Ukraine war",
            None,
            None,
            None,
        ),
        (
            "003",
            REF,
            "Recently, Russia launched an unprecedented drone attack on Kiev",
            dt.date(2022, 12, 19),
            "Dhaka Times",
            None,
        ),
        ("003", None, None, None, "Dhaka Times", None),
        ("004", REF, None, None, None, None),
    ],
)
def test_demo_corpus_metadata(prefix, reference, title, date, source, author):
    meta = read_text(demo(prefix), reference_date=reference)
    if title is not None:
        assert meta.title == title
    assert (meta.date, meta.source, meta.author) == (date, source, author)


def test_demo_bodies_drop_header_and_credit_lines():
    bodies = {p: read_text(demo(p), reference_date=REF).text for p in ("000", "001", "002", "003")}
    assert bodies["000"].startswith("Ukrainian President Volodymyr Zelenskyy has confirmed today")
    assert "date 2022" not in bodies["000"] and "Also read" not in bodies["000"]
    assert bodies["001"].startswith("Ukrainian president Volodymyr Zelenskyy is on his way")
    assert "By Kit Heren" not in bodies["001"] and "Picture: Getty" not in bodies["001"]
    assert not bodies["002"].startswith("Volodymyr Zelensky travels to Bakhmut")
    assert bodies["003"].endswith("could not independently verify the battlefield account.")
    assert all("\n\n\n" not in b and not b.startswith((" ", "\n")) for b in bodies.values())


def test_one_paragraph_per_line_text_keeps_paragraphs():
    meta = read_text(demo("004"))
    assert meta.text.count("\n\n") == 7
    assert (
        meta.title
        == "US Secretary of State Antony Blinken and British Foreign Minister David Lammy…"
    )


@pytest.mark.parametrize(
    "header,expected",
    [
        ("2022-12-21", dt.date(2022, 12, 21)),
        ("2013 - 09 - 26", dt.date(2013, 9, 26)),
        ("21 July 2013", dt.date(2013, 7, 21)),
        ("July 21, 2013, 2: 21 pm BST", dt.date(2013, 7, 21)),
        ("December 15th, 2008, 7: 35 am", dt.date(2008, 12, 15)),
        ("DECEMBER 16, 2008", dt.date(2008, 12, 16)),
        ("on Tuesday, 16 December 2008 13: 45.", dt.date(2008, 12, 16)),
        ("27 / 09 / 2013 - Turkmenistan to hold elections", dt.date(2013, 9, 27)),
        ("11 / 28 / 05", dt.date(2005, 11, 28)),
        ("12 / 16 / 08 1: 30 AM EST", dt.date(2008, 12, 16)),
        ("Last Updated: Monday, 28 November 2005, 02: 24 GMT", dt.date(2005, 11, 28)),
        ("Posted: Nov 27, 2005 8: 20 AM ET Last Updated: Nov 28, 2005", dt.date(2005, 11, 27)),
        ("9: 53 AM, MON 22 JUL 2013", dt.date(2013, 7, 22)),
        ("Sunday, November 27 - 2005 at 16: 12", dt.date(2005, 11, 27)),
        ("27 NOVEMBER, 2005", dt.date(2005, 11, 27)),
        ("26 September 2013, 10: 00 (GMT+05: 00)", dt.date(2013, 9, 26)),
        ("date 2022-12-21 The body starts here.", dt.date(2022, 12, 21)),
        ("05 / 06 / 2013", None),  # ambiguous: 5 June or May 6
        ("31 February 2013", None),  # impossible
        ("30 / 02 / 2013", None),  # impossible
        ("Novemer 27, 2005", None),  # misspelt month: no guessing
    ],
)
def test_find_date_in_header(header, expected):
    assert find_date(f"Headline of the story\n{header}\nThe story goes on.") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Leaders met on Wednesday\n\nThe summit opened on Wednesday morning in Brussels.",
        "Vote called\nThe elections are planned for December 15, 2013, officials said.",
        "On 21 July 2013, fire crews were called to the supermarket.\nMore follows.",
        "Headline\nSecond line\nThird line\nFourth line\n21 July 2013\nBody.",
        "Headline\n\nA quote from the minister.\n\nHe left on 19 December.",
    ],
)
def test_find_date_ignores_prose_and_late_lines(text):
    assert find_date(text, reference_date=REF) is None


@pytest.mark.parametrize(
    "text,reference,expected",
    [
        ("Body text.\n\n(Dhaka Times / 19 December / SAT)", REF, dt.date(2022, 12, 19)),
        (
            "Body text.\n\n(Dhaka Times / 19 December / SAT)",
            dt.date(2022, 12, 18),
            dt.date(2021, 12, 19),
        ),
        ("Body text.\n\n(Dhaka Times / 19 December / SAT)", None, None),
        ("Headline\nMonday, 19 December\nBody text.", REF, dt.date(2022, 12, 19)),
        ("Headline\n29 February\nBody text.", REF, dt.date(2020, 2, 29)),
        (
            "Headline\n19 December 2021\nBody.\n\n(Dhaka Times / 19 December)",
            REF,
            dt.date(2021, 12, 19),
        ),
    ],
)
def test_year_less_dates_use_reference_date(text, reference, expected):
    assert find_date(text, reference_date=reference) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2022-12-21", dt.date(2022, 12, 21)),
        ("2022-12-21T23:30:00-05:00", dt.date(2022, 12, 21)),
        ("2022-12-21T10:00:00Z", dt.date(2022, 12, 21)),
        ("Tue, 20 Dec 2022 23:30:00 -0500", dt.date(2022, 12, 20)),
        ("21 July 2013", dt.date(2013, 7, 21)),
        ("July 21, 2013", dt.date(2013, 7, 21)),
        (dt.date(2020, 1, 2), dt.date(2020, 1, 2)),
        (dt.datetime(2020, 1, 2, 3, 4), dt.date(2020, 1, 2)),
        ("yesterday", None),
        ("2022-13-45", None),
        ("", None),
        (12345, None),
        (None, None),
    ],
)
def test_parse_date_is_lenient(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "text,title,body_start",
    [
        ("Short headline\n\nBody sentence one. Body two.", "Short headline", "Body sentence one."),
        ("Is this a question?\n\nBody sentence.", "Is this a question?", "Body sentence."),
        ("Headline\nFirst line of body.\nSecond line.", "Headline", "First line of body."),
        (
            "A sentence that ends with a period.\n\nMore text.",
            "A sentence that ends with a period",
            "A sentence",
        ),
        (
            "Headline\nno blank line here\n\nNext paragraph.",
            "Headline no blank line here",
            "Headline",
        ),
        ("Only one line without title", "Only one line without title", "Only one line"),
    ],
)
def test_title_rules(text, title, body_start):
    meta = read_text(text)
    assert meta.title == title
    assert meta.text.startswith(body_start)


def test_derived_title_is_cut_at_a_word_boundary():
    sentence = (
        "The regional government of Valencia opened shelters in schools and sports halls "
        "for the families whose homes had been flooded overnight."
    )
    meta = read_text(sentence + " A second sentence follows.")
    assert (
        meta.title
        == "The regional government of Valencia opened shelters in schools and sports halls…"
    )


def test_given_title_is_not_repeated_in_body():
    meta = read_text(
        "Flood waters rise\nFlash floods swept through Valencia.", title="Flood waters rise"
    )
    assert (meta.title, meta.text) == ("Flood waters rise", "Flash floods swept through Valencia.")


@pytest.mark.parametrize(
    "line,author",
    [
        ("By Kit Heren", "Kit Heren"),
        ("BY Jane Doe, Political Correspondent", "Jane Doe"),
        ("By Ana de la Cruz and Tom Lee", "Ana de la Cruz and Tom Lee"),
        ("By the time this is over, win or lose", None),
        ("by car to the border", None),
    ],
)
def test_byline(line, author):
    assert read_text(f"Headline\n\n{line}\n\nBody text here.").author == author


def test_captions_are_conservative():
    text = "Headline\n\nTroops on the front. Photo: Reuters\n\nHe described the photo: it was old."
    assert read_text(text).text == "He described the photo: it was old."
