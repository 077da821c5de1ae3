import pytest

from briefing.check.facts import facts, unsupported_facts
from briefing.check.verify import CITE_MIN, align, lexical_support
from tests.conftest import make_article

STORM = make_article(
    "A storm hit the coast of Maine on Tuesday. Thousands of homes lost power overnight. "
    "The governor declared a state of emergency.",
    title="Storm hits Maine",
)
BRIDGE = make_article(
    "The bridge in Portland reopened after repairs. Buses resumed their routes on Monday.",
    title="Bridge reopens",
)


def test_copied_sentence_scores_one_and_cites_its_article():
    (alignment,) = align(["Thousands of homes lost power overnight."], [BRIDGE, STORM])

    assert alignment.score == 1.0
    assert alignment.citations == (STORM.id,)
    best = alignment.evidence[0]
    assert (best.article_id, best.sentence, best.score) == (
        STORM.id,
        "Thousands of homes lost power overnight.",
        1.0,
    )


def test_a_title_is_a_source_sentence_too():
    (alignment,) = align(["Bridge reopens"], [STORM, BRIDGE])

    assert alignment.score == 1.0
    assert alignment.citations == (BRIDGE.id,)


def test_sentence_found_verbatim_in_two_articles_cites_both():
    wire = make_article("Thousands of homes lost power overnight. Crews worked through the night.")

    (alignment,) = align(["Thousands of homes lost power overnight."], [STORM, BRIDGE, wire])

    assert set(alignment.citations) == {STORM.id, wire.id}
    assert BRIDGE.id not in alignment.citations
    full = [e for e in alignment.evidence if e.score == 1.0]
    assert {e.article_id for e in full} == {STORM.id, wire.id}


@pytest.mark.parametrize(
    "paraphrase,source",
    [
        (
            "The Maine governor declared an emergency.",
            "The governor declared a state of emergency.",
        ),
        (
            "Overnight, thousands of households were left without electricity.",
            "Thousands of homes lost power overnight.",
        ),
        ("Buses are running their routes again.", "Buses resumed their routes on Monday."),
    ],
)
def test_paraphrase_aligns_to_the_right_sentence(paraphrase, source):
    (alignment,) = align([paraphrase], [STORM, BRIDGE])

    assert alignment.evidence[0].sentence == source
    assert 0.4 < alignment.score < 1.0


def test_close_paraphrase_is_cited_and_unrelated_sentence_is_not():
    close, unrelated = align(
        ["The Maine governor declared an emergency.", "Cats like to sleep in the sun all day."],
        [STORM, BRIDGE],
    )

    assert close.score >= CITE_MIN
    assert close.citations == (STORM.id,)
    assert unrelated.score < CITE_MIN
    assert unrelated.citations == ()


def test_align_with_no_sentences_or_no_sources():
    assert align([], [STORM]) == []
    (alignment,) = align(["Thousands of homes lost power."], [make_article("")])
    assert (alignment.score, alignment.evidence, alignment.citations) == (0.0, (), ())


@pytest.mark.parametrize(
    "sentence,source,share",
    [
        ("Homes lost power.", "Thousands of homes lost power overnight.", 1.0),
        ("Homes lost power in Maine.", "Thousands of homes lost power overnight.", 0.75),
        ("The storm was here.", "Buses resumed.", 0.0),
        ("It was the one.", "It was the one.", 0.0),  # only stop words: no support
    ],
)
def test_lexical_support(sentence, source, share):
    assert lexical_support(sentence, source) == share


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("The U.S. will send 45,000 rounds and 1.5 billion dollars.", ["U.S.", "45,000", "1.5"]),
        ("Officials met Joe Biden in Washington.", ["Joe Biden", "Washington"]),
        ("Biden met officials.", []),  # sentence-initial: not a name
        ("The talks ended. Putin left.", []),  # initial in its sentence too
        ("They met on Monday in March.", []),  # days and months are not facts
        ("So I said no.", []),
        ("Then Putin met Lukashenko, and Putin left.", ["Putin", "Lukashenko"]),
        ("The EU and NATO met in 2022.", ["EU", "NATO", "2022"]),
    ],
)
def test_facts(sentence, expected):
    assert facts(sentence) == expected


SOURCE = (
    "Ukrainian President Volodymyr Zelenskyy met Joe Biden at the White House on Wednesday. "
    "The president announced 1.85 billion dollars in aid, including 45,000 rounds and a "
    "Patriot battery, and said the US would stand with Ukraine."
)


@pytest.mark.parametrize(
    "sentence,missing",
    [
        ("The aid package is worth 99 billion dollars.", ["99"]),
        ("Former president Donald Trump met Zelenskyy.", ["Donald Trump"]),
        ("Zelenskyy met Joe Biden in Paris.", ["Paris"]),
        ("The U.S. will send 1.85 billion dollars.", []),
        ("Officials said the US will send a Patriot battery.", []),
        ("Zelenskyy met President Biden.", []),
        ("The aid includes 45000 rounds.", []),
        ("The aid includes 45,000 rounds and 46,000 shells.", ["46,000"]),
        ("Zelenskyy met Biden on Wednesday.", []),
    ],
)
def test_unsupported_facts(sentence, missing):
    assert unsupported_facts(sentence, SOURCE) == missing


@pytest.mark.parametrize(
    "sentence,source",
    [
        ("Zelenskyy flew to the U.S. on Wednesday.", "Zelenskyy flew to the US on Wednesday."),
        ("Zelenskyy flew to the US on Wednesday.", "Zelenskyy flew to the U.S. on Wednesday."),
        ("He met President Biden.", "He met Joe Biden. Later the president spoke."),
        # a number written inside a word still states that number
        ("The video airs at 6.28 tonight.", "Band Aid 20 video shown across UK 6.28PM."),
        ("The rocket stands on pad 37.", "The rocket is fully assembled atop pad 37B."),
    ],
)
def test_equivalent_spellings_are_supported(sentence, source):
    assert unsupported_facts(sentence, source) == []


def test_a_number_written_inside_a_word_of_the_source_is_known():
    from briefing.check.facts import unsupported_facts, vocabulary

    source = "He resigned as the 65th Secretary of State; it would save £30bn in the 1950s."
    assert unsupported_facts("He was the 65th Secretary of State.", vocabulary(source)) == []
    assert unsupported_facts("It would save £30bn.", vocabulary(source)) == []
    assert unsupported_facts("He was the 64th Secretary.", vocabulary(source)) == ["64"]
