import datetime as dt
import itertools
import re

import pytest

from briefing.events.dedup import deduplicate
from briefing.ingest.readers import read_file
from briefing.records import Source
from briefing.text import content_id
from tests.conftest import DEMO, make_article


def demo(prefix: str):
    (path,) = DEMO.glob(f"{prefix}_*.txt")
    (article,) = read_file(path)
    return article


@pytest.mark.parametrize(
    "a,b",
    [
        ("Storm hits the coast.", "storm hits the coast."),
        ("Storm hits the coast.", "  STORM   hits\nthe\tcoast. "),
        ("Storm hits the coast.", "Storm\n\nhits the coast."),
    ],
)
def test_content_id_ignores_whitespace_and_case(a, b):
    assert content_id(a) == content_id(b)
    assert content_id(a).startswith("b2:")


@pytest.mark.parametrize(
    "a,b",
    [
        ("Storm hits the coast.", "Storm hits the coast!"),
        ("Storm hits the coast.", "Storm hit the coast."),
        ("Storm hits the coast.", "Stormhits the coast."),
    ],
)
def test_content_id_differs_for_different_text(a, b):
    assert content_id(a) != content_id(b)


# Re-punctuated wire copies: the words are the same, the punctuation is not.
REPUNCTUATE = [
    pytest.param(lambda t: re.sub(r"[,\"“”]", "", t), id="no-commas-or-quotes"),
    pytest.param(lambda t: re.sub(r"[,\"“”’']", "", t).replace(". ", "; "), id="semicolons"),
    pytest.param(lambda t: re.sub(r"[^\w\s]", " ", t), id="all-punctuation-stripped"),
]


@pytest.mark.parametrize("repunctuate", REPUNCTUATE)
def test_repunctuated_copy_keeps_every_path_outlet_and_url(repunctuate):
    original = demo("001")
    copy = make_article(
        repunctuate(original.text),
        path="wire/copy.txt",
        source="Wire",
        url="https://wire.example/1",
    )

    result = deduplicate([original, copy])

    assert content_id(copy.text) != original.id  # not an exact duplicate
    assert result.duplicates == 1
    (folded,) = result.articles
    # The copy carries more metadata (source and url), so it is the canonical one
    # and the demo file is kept as a duplicate.
    assert (folded.path, folded.source, folded.url) == (
        "wire/copy.txt",
        "Wire",
        "https://wire.example/1",
    )
    assert folded.duplicates == (Source(original.path, None, None),)


def test_near_pairs_record_the_copy_against_the_canonical():
    original = demo("001")
    copy = make_article(re.sub(r"[^\w\s]", " ", original.text), path="wire/copy.txt")

    result = deduplicate([original, copy])

    # Neither copy has metadata; the longer text (the original, with its punctuation) wins.
    (folded,) = result.articles
    assert folded.id == original.id
    assert folded.duplicates == (Source("wire/copy.txt", None, None),)
    ((copy_id, canonical_id, jaccard),) = result.near_pairs
    assert (copy_id, canonical_id) == (copy.id, original.id)
    assert 0.8 <= jaccard < 1.0


def test_canonical_is_the_copy_with_most_metadata():
    text = "The city council approved the new budget on Monday after a long debate."
    bare = make_article(text, path="a.txt")
    dated = make_article(text, path="b.txt", date=dt.date(2022, 12, 20))
    full = make_article(
        text, path="c.txt", date=dt.date(2022, 12, 20), source="Times", url="https://t.example/b"
    )

    result = deduplicate([bare, full, dated])

    (folded,) = result.articles
    assert folded.path == "c.txt"
    assert folded.duplicates == (Source("b.txt"), Source("a.txt"))
    assert result.duplicates == 2
    assert result.near_pairs == ()  # exact copies share an id: no near pair


def test_exact_copies_differing_in_whitespace_and_case_are_folded():
    a = make_article("Storm hits the coast. Thousands lost power.", path="a.txt", source="Wire")
    b = make_article("STORM hits the coast.\n\nThousands  lost power.", path="b.txt")

    result = deduplicate([a, b])

    assert result.duplicates == 1
    (folded,) = result.articles
    assert folded.path == "a.txt"
    assert folded.duplicates == (Source("b.txt"),)


def test_unrelated_articles_are_not_merged():
    a, b = demo("000"), demo("004")

    result = deduplicate([a, b])

    assert result.duplicates == 0
    assert result.near_pairs == ()
    assert {x.id for x in result.articles} == {a.id, b.id}
    assert all(x.duplicates == () for x in result.articles)


@pytest.mark.parametrize(
    "paragraphs,folded",
    [
        (8, False),  # two thirds of the text: shingle Jaccard 0.67, below 0.8
        (11, True),  # all but the last paragraph: Jaccard 0.89
    ],
)
def test_truncated_copy_is_folded_only_when_it_keeps_most_of_the_text(paragraphs, folded):
    original = demo("001")
    assert original.text.count("\n\n") == 11  # 12 paragraphs
    cut = make_article("\n\n".join(original.text.split("\n\n")[:paragraphs]), path="cut.txt")

    result = deduplicate([original, cut])

    assert result.duplicates == (1 if folded else 0)
    assert len(result.articles) == (1 if folded else 2)


def test_duplicates_counts_every_folded_copy():
    original = demo("001")
    other = demo("004")
    exact = make_article(original.text.upper(), path="upper.txt")
    near = make_article(re.sub(r"[,\"“”]", "", original.text), path="near.txt")

    result = deduplicate([original, other, exact, near])

    assert result.duplicates == 2
    assert len(result.articles) == 2
    folded = next(a for a in result.articles if a.id != other.id)
    assert {d.path for d in folded.duplicates} | {folded.path} == {
        original.path,
        "upper.txt",
        "near.txt",
    }


def test_result_does_not_depend_on_input_order():
    original = demo("001")
    articles = [
        original,
        demo("004"),
        make_article(original.text.lower(), path="lower.txt", source="Echo"),
        make_article(re.sub(r"[^\w\s]", " ", original.text), path="bare.txt", source="Wire"),
    ]
    expected = deduplicate(articles)

    for perm in itertools.permutations(articles):
        assert deduplicate(list(perm)) == expected
    assert expected.duplicates == 2
