import datetime as dt
import itertools
import random

import numpy as np
import pytest

from briefing.events.cluster import event_id, group_events
from briefing.events.embed import embed_articles
from briefing.ingest.readers import ingest
from tests.conftest import DEMO, make_article

QUAKE = (
    "A magnitude 6.4 earthquake struck near Ferndale in northern California early on "
    "Tuesday, shaking residents awake."
)
POWER = (
    "The Ferndale earthquake knocked out power to 70,000 homes in Humboldt County, "
    "the utility said."
)
BOTH = (
    "A magnitude 6.4 earthquake struck near Ferndale in northern California on Tuesday "
    "and knocked out power to 70,000 homes in Humboldt County."
)


@pytest.fixture(scope="module")
def demo():
    """The demo corpus and one embedding row per article."""
    articles = ingest([DEMO], reference_date=dt.date(2022, 12, 21)).articles
    return articles, embed_articles(articles)


def by_file(events):
    """Return each event as the sorted demo file numbers of its articles."""
    return sorted(sorted(a.path.rsplit("/", 1)[-1][:3] for a in e.articles) for e in events)


def test_demo_corpus_groups_the_us_visit_and_leaves_the_blinken_visit_alone(demo):
    articles, vectors = demo

    groups = by_file(group_events(articles, vectors))

    assert ["000", "001"] in groups
    assert ["004"] in groups
    assert sum(len(g) for g in groups) == len(articles)


def test_grouping_does_not_depend_on_input_order(demo):
    articles, vectors = demo
    expected = group_events(articles, vectors)

    for seed in range(3):
        order = list(range(len(articles)))
        random.Random(seed).shuffle(order)
        shuffled = group_events([articles[i] for i in order], vectors[order])
        assert shuffled == expected


def test_event_order_does_not_depend_on_input_order_when_nothing_is_related():
    # Dated 30 days apart, no two articles are related: four singleton events,
    # which must come out in the same order whatever order they went in.
    articles = [
        make_article(
            f"A {word} story from the town.", date=dt.date(2022, 1, 1) + dt.timedelta(30 * i)
        )
        for i, word in enumerate(["storm", "bridge", "library", "market"])
    ]
    vectors = np.eye(4, 384, dtype=np.float32)
    expected = group_events(articles, vectors)

    assert len(expected) == 4
    for perm in itertools.permutations(range(4)):
        order = list(perm)
        assert group_events([articles[i] for i in order], vectors[order]) == expected


def pair(days_apart: int):
    first = make_article(QUAKE + " Two people died.", date=dt.date(2022, 12, 20))
    second = make_article(
        QUAKE + " Two people were killed.", date=dt.date(2022, 12, 20) + dt.timedelta(days_apart)
    )
    return [first, second]


@pytest.mark.parametrize(
    "days_apart,events", [(0, 1), (1, 1), (10, 1), (30, 1), (120, 1), (121, 2), (365, 2)]
)
def test_near_identical_articles_are_grouped_only_when_close_in_time(days_apart, events):
    articles = pair(days_apart)

    result = group_events(articles, embed_articles(articles))

    assert len(result) == events


def test_undated_articles_are_grouped_on_content_alone():
    articles = [make_article(QUAKE + " Two people died."), make_article(QUAKE + " Two were hurt.")]

    assert len(group_events(articles, embed_articles(articles))) == 1


def test_event_id_depends_on_the_set_of_articles_not_their_order():
    a, b, c = (make_article(t) for t in (QUAKE, POWER, BOTH))

    assert event_id([a, b]) == event_id([b, a])
    assert event_id([a, b, c]) == event_id([c, a, b])
    assert event_id([a, b]) != event_id([a, c])
    assert event_id([a]) != event_id([a, b])
    assert event_id([a]).startswith("ev:")


def test_most_central_article_comes_first():
    # BOTH states what QUAKE and POWER each state half of: it is the centre;
    # POWER shares more with BOTH than QUAKE does, so it comes next.
    articles = [make_article(t, date=dt.date(2022, 12, 20)) for t in (QUAKE, POWER, BOTH)]

    (event,) = group_events(articles, embed_articles(articles))

    assert [a.text for a in event.articles] == [BOTH, POWER, QUAKE]
    assert event.id == event_id(articles)


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_inputs(n):
    articles = [make_article(QUAKE)][:n]
    vectors = embed_articles(articles)

    events = group_events(articles, vectors)

    assert len(events) == n
    assert all(e.articles == tuple(articles) for e in events)
