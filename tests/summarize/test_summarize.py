import pytest

from briefing.errors import UnknownBackendError
from briefing.records import Draft, Dropped
from briefing.summarize.backends.extractive import ExtractiveSummarizer
from briefing.summarize.registry import Summarizer, available, get_summarizer
from briefing.summarize.summary import summarize_event
from tests.conftest import FakeSummarizer, make_article

VISIT = make_article(
    "Ukrainian President Volodymyr Zelensky met Joe Biden at the White House on Wednesday. "
    "The president announced 1.85 billion dollars in new aid for Ukraine, including a "
    "Patriot missile battery. Zelensky thanked Congress for its support in a speech on "
    "Wednesday evening.",
    title="Zelensky visits Washington",
)
TRIP = make_article(
    "Zelensky travelled to Washington on his first trip abroad since the invasion began. "
    "He met President Biden and then addressed both houses of Congress.",
    title="Zelensky makes first trip abroad",
)
ARTICLES = [VISIT, TRIP]

SUPPORTED = "Zelensky met Joe Biden at the White House on Wednesday."
FIGURE = "The aid package is worth 99 billion dollars."
NAME = "Former president Donald Trump met Zelensky."


def test_registry_lists_extractive():
    assert "extractive" in available()
    assert available() == sorted(available())


def test_get_summarizer_builds_the_extractive_backend():
    summarizer = get_summarizer("extractive")

    assert isinstance(summarizer, ExtractiveSummarizer)
    assert isinstance(summarizer, Summarizer)
    assert summarizer.name == "extractive"


def test_unknown_backend_names_the_known_ones():
    with pytest.raises(UnknownBackendError) as e:
        get_summarizer("nope")

    message = str(e.value)
    assert message.startswith("unknown backend 'nope'; known backends: ")
    assert message.endswith(", ".join(available()))


def test_supported_sentence_is_kept_and_unsupported_ones_are_dropped(fake_summarizer):
    fake_summarizer.enqueue("Zelensky meets Biden", SUPPORTED, FIGURE, NAME)

    summary = summarize_event(ARTICLES, fake_summarizer, max_words=60)

    assert fake_summarizer.history == [ARTICLES]
    assert (summary.headline, summary.backend) == ("Zelensky meets Biden", "fake")
    (kept,) = summary.sentences
    assert kept.text == SUPPORTED
    assert kept.citations[0] == VISIT.id
    assert kept.evidence[0].sentence == (
        "Ukrainian President Volodymyr Zelensky met Joe Biden at the White House on Wednesday."
    )
    assert summary.dropped == (
        Dropped(FIGURE, "contradicted by the sources: number; not in the sources: 99"),
        Dropped(NAME, "not in the sources: Donald Trump"),
    )


def test_weakly_supported_sentence_is_dropped_with_its_score(fake_summarizer):
    fake_summarizer.enqueue("Zelensky meets Biden", SUPPORTED, "Cats like to sleep in the sun.")

    summary = summarize_event(ARTICLES, fake_summarizer, max_words=60)

    assert [s.text for s in summary.sentences] == [SUPPORTED]
    ((text, reason),) = [(d.text, d.reason) for d in summary.dropped]
    assert text == "Cats like to sleep in the sun."
    assert reason.startswith("weak support (score 0.")


def test_all_unsupported_falls_back_to_the_extractive_digest(fake_summarizer):
    fake_summarizer.enqueue("Zelensky meets Biden", FIGURE, NAME)

    summary = summarize_event(ARTICLES, fake_summarizer, max_words=60)

    extractive = ExtractiveSummarizer().summarize(ARTICLES, max_words=60)
    assert summary.backend == "extractive-fallback"
    # the model's headline still stands when it passes the checks
    assert summary.headline == "Zelensky meets Biden"
    assert summary.sentences
    assert [s.text for s in summary.sentences] == list(extractive.sentences)
    assert all(s.citations for s in summary.sentences)
    assert [d.text for d in summary.dropped] == [FIGURE, NAME]


def test_empty_draft_falls_back_too(fake_summarizer):
    fake_summarizer.enqueue("Zelensky meets Biden")

    summary = summarize_event(ARTICLES, fake_summarizer, max_words=60)

    assert summary.backend == "extractive-fallback"
    assert summary.sentences
    assert summary.dropped == ()


def test_extractive_backend_cites_every_sentence_and_never_falls_back():
    summary = summarize_event(ARTICLES, ExtractiveSummarizer(), max_words=60)

    assert summary.backend == "extractive"
    assert summary.headline in {VISIT.title, TRIP.title}  # the title stating most of it
    assert summary.sentences
    for sentence in summary.sentences:
        assert sentence.evidence[0].score == 1.0  # copied verbatim from a source
        assert sentence.citations[0] == sentence.evidence[0].article_id
    assert summary.dropped == ()


def test_headline_with_an_invented_name_is_replaced_and_listed(fake_summarizer):
    fake_summarizer.enqueue("Trump hosts Zelensky in Washington", SUPPORTED)

    summary = summarize_event(ARTICLES, fake_summarizer, max_words=60)

    assert summary.headline == VISIT.title  # no writer: the most representative title
    assert summary.headline != SUPPORTED.rstrip(".")  # never a digest sentence
    assert summary.dropped == (
        Dropped("Trump hosts Zelensky in Washington", "headline not in the sources: Trump"),
    )
    assert [s.text for s in summary.sentences] == [SUPPORTED]


def test_a_lone_articles_title_may_be_the_headline(fake_summarizer):
    fake_summarizer.enqueue("Zelensky visits Washington", SUPPORTED)

    summary = summarize_event([VISIT], fake_summarizer, max_words=60)

    assert (summary.headline, summary.dropped) == ("Zelensky visits Washington", ())


class RewritingSummarizer(FakeSummarizer):
    """A fake backend that can also rewrite headlines, recording what it was told."""

    def __init__(self, rewrites: list[str]) -> None:
        super().__init__()
        self.rewrites, self.avoided, self.told = rewrites, [], []

    def write_headline(self, articles, sentences, *, avoid, feedback=()):
        self.avoided.append(list(avoid))
        self.told.append(list(feedback))
        return self.rewrites.pop(0)


def test_a_headline_writer_gets_another_try_with_the_titles_to_avoid():
    summarizer = RewritingSummarizer(["Biden and Zelensky meet at the White House"])
    summarizer.enqueue("Zelensky makes first trip abroad", SUPPORTED)

    summary = summarize_event(ARTICLES, summarizer, max_words=60)

    assert summary.headline == "Biden and Zelensky meet at the White House"
    assert summarizer.avoided == [[VISIT.title, TRIP.title]]
    assert summarizer.told == [
        [f'"Zelensky makes first trip abroad": headline copies the title of {TRIP.path}']
    ]
    assert [d.text for d in summary.dropped] == ["Zelensky makes first trip abroad"]


def test_failed_rewrites_are_listed_and_the_representative_title_is_the_last_resort():
    summarizer = RewritingSummarizer(["Trump meets Zelensky", "Zelensky meets Putin"])
    summarizer.enqueue("Zelensky makes first trip abroad", SUPPORTED)

    summary = summarize_event(ARTICLES, summarizer, max_words=60)

    assert summary.headline == VISIT.title
    assert summary.dropped[:3] == (
        Dropped("Zelensky makes first trip abroad", f"headline copies the title of {TRIP.path}"),
        Dropped("Trump meets Zelensky", "headline not in the sources: Trump"),
        Dropped("Zelensky meets Putin", "headline not in the sources: Putin"),
    )
    assert len(summarizer.told[1]) == 2  # the third try hears both earlier reasons


# -- what's new ---------------------------------------------------------------


def test_whats_new_is_the_first_sentence_of_a_digest_of_the_new_articles(fake_summarizer):
    from briefing.summarize.summary import summarize_update

    fake_summarizer.enqueue("Zelensky meets Biden", SUPPORTED, "He thanked Congress.")

    sentence, dropped = summarize_update([VISIT], fake_summarizer)

    assert fake_summarizer.history == [[VISIT]]  # the new articles only
    assert sentence.text == SUPPORTED and sentence.citations == (VISIT.id,)
    assert dropped == []


@pytest.mark.parametrize(
    "reply, reason",
    [(FIGURE, "what's new: contradicted by the sources: number; not in the sources: 99"),
     (NAME, "what's new: not in the sources: Donald Trump")],
)
def test_unsupported_whats_new_is_dropped(fake_summarizer, reply, reason):
    from briefing.summarize.summary import summarize_update

    fake_summarizer.enqueue("Headline", reply)

    sentence, dropped = summarize_update([VISIT], fake_summarizer)

    assert sentence is None
    assert dropped == [Dropped(reply, reason)]


def test_extractive_whats_new_is_the_most_salient_sentence():
    from briefing.summarize.summary import summarize_update

    sentence, _ = summarize_update([VISIT, TRIP], ExtractiveSummarizer())
    top = ExtractiveSummarizer().summarize_update([VISIT, TRIP], max_words=40)

    assert sentence.text == top
    assert any(top in a.text for a in (VISIT, TRIP))
    assert sentence.citations


def test_a_sentence_its_sources_contradict_is_dropped_with_what_differs(fake_summarizer):
    negated = "Zelensky did not meet Joe Biden at the White House on Wednesday."
    swapped = "Biden thanked Congress for its support in a speech on Wednesday evening."
    fake_summarizer.enqueue("Zelensky meets Biden", SUPPORTED, negated, swapped)

    summary = summarize_event(ARTICLES, fake_summarizer, max_words=60)

    assert [s.text for s in summary.sentences] == [SUPPORTED]
    reasons = {d.text: d.reason for d in summary.dropped}
    assert reasons[negated] == "contradicted by the sources: negation"
    assert reasons[swapped].startswith("contradicted by the sources:")


class RefillingSummarizer(FakeSummarizer):
    refill = True  # as the model backends


LONG = make_article(
    "Flood waters forced hundreds of families from their homes in Riverton on Sunday. "
    "Rescue crews in boats reached 40 people trapped on rooftops in the east of the town. "
    "The river rose to its highest level since 1998 after three days of heavy rain. "
    "Officials opened two schools as shelters for the families who lost their homes. "
    "Power was cut to 2,000 homes as water reached the substation near the river.",
    title="Riverton floods",
)


def test_a_short_model_digest_is_filled_with_source_sentences_up_to_its_budget():
    summarizer = RefillingSummarizer()
    first = "Flood waters forced hundreds of families from their homes in Riverton on Sunday."
    summarizer.enqueue("Floods force families from Riverton homes", first)

    summary = summarize_event([LONG], summarizer, max_words=60)

    texts = [s.text for s in summary.sentences]
    used = sum(len(t.split()) for t in texts)
    assert texts[0] == first  # the model's sentence first, then whole source sentences
    assert 0.8 * 60 <= used <= 60
    assert all(t in LONG.text for t in texts[1:]) and len(texts) >= 3
    assert texts.count(first) == 1  # nothing the digest said is added again
    assert all(s.citations == (LONG.id,) for s in summary.sentences)


def test_a_digest_that_uses_its_budget_is_not_filled():
    summarizer = RefillingSummarizer()
    sentences = LONG.text.split(". ")[:4]
    sentences = [s if s.endswith(".") else s + "." for s in sentences]
    summarizer.enqueue("Floods force families from Riverton homes", *sentences)

    summary = summarize_event([LONG], summarizer, max_words=60)

    assert [s.text for s in summary.sentences] == sentences


def test_backends_without_refill_keep_their_short_digest(fake_summarizer):
    fake_summarizer.enqueue("Zelensky meets Biden", SUPPORTED)

    summary = summarize_event(ARTICLES, fake_summarizer, max_words=90)

    assert [s.text for s in summary.sentences] == [SUPPORTED]


class RevisingSummarizer(FakeSummarizer):
    """A fake backend that can be asked again, as the model backends are (``revise``)."""

    def __init__(self) -> None:
        super().__init__()
        self.revisions: list[tuple[Draft, list[Dropped]]] = []

    def revise(self, draft: Draft, removed: list[Dropped], *, max_words: int) -> Draft | None:
        self.revisions.append((draft, list(removed)))
        return self.queue.pop(0) if self.queue else None


def test_a_draft_that_loses_a_sentence_is_written_again_told_what_and_why():
    summarizer = RevisingSummarizer()
    negated = "Zelensky did not meet Joe Biden at the White House on Wednesday."
    summarizer.enqueue("Zelensky meets Biden", negated, FIGURE)
    summarizer.enqueue("Zelensky meets Biden in Washington", SUPPORTED, "He met President Biden "
                       "and then addressed both houses of Congress.")

    summary = summarize_event(ARTICLES, summarizer, max_words=60)

    ((first, removed),) = summarizer.revisions
    assert first.sentences == (negated, FIGURE)
    assert [(d.text, d.reason) for d in removed] == [
        (negated, "contradicted by the sources: negation"),
        (FIGURE, "contradicted by the sources: number; not in the sources: 99"),
    ]
    assert [s.text for s in summary.sentences][:2] == [
        SUPPORTED, "He met President Biden and then addressed both houses of Congress."]
    assert summary.headline == "Zelensky meets Biden in Washington"
    assert [d.text for d in summary.dropped] == [negated, FIGURE]  # listed, marked revised
    assert all(d.reason.startswith("first draft, revised: ") for d in summary.dropped)


def test_a_revision_that_keeps_less_is_not_used():
    summarizer = RevisingSummarizer()
    summarizer.enqueue("Zelensky meets Biden", SUPPORTED, FIGURE)
    summarizer.enqueue("Biden resigns", NAME)  # worse: nothing of it stands

    summary = summarize_event(ARTICLES, summarizer, max_words=60)

    assert len(summarizer.revisions) == 1
    assert [s.text for s in summary.sentences] == [SUPPORTED]
    assert summary.headline == "Zelensky meets Biden"
    assert summary.dropped == (
        Dropped(FIGURE, "contradicted by the sources: number; not in the sources: 99"),
    )


def test_a_draft_the_guard_keeps_whole_is_not_revised():
    summarizer = RevisingSummarizer()
    summarizer.enqueue("Zelensky meets Biden", SUPPORTED)

    summarize_event(ARTICLES, summarizer, max_words=60)

    assert summarizer.revisions == []
