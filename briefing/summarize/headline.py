"""Check an event's headline: a short news headline in the sources' words, not one outlet's.

A headline stands when it has at most ``HEADLINE_WORDS`` words (a longer one is rejected,
never cut into a fragment), does not end mid-phrase ("... to"), repeats no digest
sentence, states no number the sources lack and spells every name as a source does,
and, when the event has several articles, copies no article's title: the briefing
covers the event, not one outlet's take on it.

Title case does not make a word a name: a capitalised word that the sources write in
lower case somewhere, as written or inflected (same Porter stem: "Dies" ~ "died"), is
an ordinary word. A word the sources only write capitalised is a name, and must be
spelled exactly as some source spells it (case aside, a possessive "'s" allowed; no
prefix or fuzzy match: "Rigelio" fails when the sources say "Rogelio").

Tries, in order: the backend's headline; then, for a backend that can write headlines
(``HeadlineWriter``), up to ``REWRITES`` rewrites, each given the titles to avoid and the
rejected headlines with their reasons. If none stands, the leading clause of a
headline rejected as too long (``shortened``: cut before a clause or phrase, never at a
word count) when it passes, else the most representative title (``representative_title``):
an outlet's title, the last resort. A digest sentence never becomes the headline.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..check.facts import Vocabulary, bare_name, stem, unsupported_facts, vocabulary
from ..check.verify import source_sentences, source_text
from ..records import Article, Dropped
from ..text import joined_words, word_count, words
from .select import WEB_FURNITURE

HEADLINE_WORDS = 14
REWRITES = 2  # a HeadlineWriter's tries after the backend's own headline
COPY_RATIO = 85  # rapidfuzz token_sort_ratio at or above which a headline copies a text
# A headline ending in one of these was cut off mid-phrase ("... Visit Ukraine to").
DANGLING = frozenset(
    "a an the and or but nor of to for with by from as at into that which who whose "
    "its their his her our your my".split()
)
# Where a long headline may be shortened: before a clause or a phrase of purpose, time,
# manner or place ("... arrive in Kyiv | to engage in talks ...").
_CLAUSE = re.compile(
    r"\s*[,;:–—]\s*|\s+(?=(?:to|as|after|amid|while|with|following|for|in|on|at|over|"
    r"from|because|despite|before|during|since|until|when|where|which|who)\s)",
    re.IGNORECASE,
)
_SITE = re.compile(r"\.(?:org|net|co\.uk)\b|\s[>|»]\s", re.IGNORECASE)  # site name, breadcrumb
_TOKEN = re.compile(r"\d[\d.,]*\d|\d|[A-Z][\w’'.-]*")
_WORD = re.compile(r"\w+(?:[.,'’]\w+)*")


@runtime_checkable
class HeadlineWriter(Protocol):
    """A backend that can write a headline for given digest sentences.

    ``avoid`` are the articles' titles; ``feedback`` the rejected headlines, each
    with why (``'"Officer Dies" : headline too long (...)'``).
    """

    def write_headline(
        self,
        articles: Sequence[Article],
        sentences: Sequence[str],
        *,
        avoid: Sequence[str],
        feedback: Sequence[str] = (),
    ) -> str: ...


Sources = tuple[Vocabulary, Vocabulary, frozenset[str]]


def case_vocabularies(source_text: str) -> Sources:
    """Return the vocabulary of the words the sources write in lower case, of all words,
    and the set of words (folded, dots dropped: "U.S." is "us") they write capitalised."""
    text = unicodedata.normalize("NFKC", source_text)
    found = _WORD.findall(text)
    lower = " ".join(w for w in found if w[0].islower())
    capitalised = frozenset(bare_name(w).casefold() for w in found if w[0].isupper())
    return vocabulary(lower), vocabulary(source_text), capitalised


def unsupported_headline_words(headline: str, source_text: str | Sources) -> list[str]:
    """Return a headline's numbers and capitalised words that the sources do not support.

    Every capitalised word is checked, the first one included. One that the sources
    write in lower case somewhere, as written or with the same stem, is an ordinary
    word; any other is a name, spelled as a source spells it or reported. A word in
    capitals ("US", "WHO") is an acronym or a shouted name, never the ordinary word it
    spells ("us", "who"): a source must write it capitalised. A number counts as present
    when the same digits appear.
    """
    ordinary, known, capitalised = (
        case_vocabularies(source_text) if isinstance(source_text, str) else source_text
    )
    missing = []
    for token in _TOKEN.findall(headline):
        token = token.rstrip(".")
        if token[0].isdigit():
            missing.extend(unsupported_facts(f"so {token}", known))
        elif _acronym(token) and bare_name(token).casefold() not in capitalised:
            missing.append(token)
        elif not all(_supported(w, ordinary, known) for w in words(token)):
            missing.append(token)
    return list(dict.fromkeys(missing))


def _acronym(token: str) -> bool:
    bare = bare_name(token)
    return len(bare) > 1 and bare.isupper()


def _supported(word: str, ordinary: Vocabulary, known: Vocabulary) -> bool:
    bare = bare_name(word)
    if bare in ENGLISH_STOP_WORDS or bare in ordinary.words or stem(bare) in ordinary.stems:
        return True
    return known.has_name_word(word)


def copied_title(headline: str, articles: Sequence[Article]) -> Article | None:
    """Return the article whose title the headline copies, when the event has several articles."""
    if len(articles) < 2:
        return None
    for article in articles:
        if _copies(headline, article.title):
            return article
    return None


def _copies(headline: str, text: str) -> bool:
    mine, theirs = joined_words(headline), joined_words(text)
    return bool(mine and theirs) and fuzz.token_sort_ratio(mine, theirs) >= COPY_RATIO


def form_problem(headline: str) -> str | None:
    """Return why a headline does not have a headline's form (too long, cut off), or None."""
    count = word_count(headline)
    if count > HEADLINE_WORDS:
        return f"headline too long ({count} words, at most {HEADLINE_WORDS})"
    last = words(headline)[-1:]
    if last and last[0] in DANGLING:
        return f"headline cut off mid-phrase (ends with '{last[0]}')"
    return None


def problems(
    headline: str,
    articles: Sequence[Article],
    sources: str | Sources | None = None,
    sentences: Sequence[str] = (),
) -> str | None:
    """Return why a headline cannot stand, or None.

    ``sources`` is ``verify.source_text(articles)`` or its ``case_vocabularies``, when
    the caller has them; ``sentences`` are the digest's, which the headline must not repeat.
    """
    if not headline.strip():
        return "empty headline"
    form = form_problem(headline)
    if form is not None:
        return form
    sources = source_text(articles) if sources is None else sources
    invented = unsupported_headline_words(headline, sources)
    if invented:
        return "headline not in the sources: " + ", ".join(invented)
    if any(_copies(headline, s) for s in sentences):
        return "headline repeats a digest sentence"
    copied = copied_title(headline, articles)
    if copied is not None:
        return f"headline copies the title of {copied.source or copied.path}"
    return None


def title_furniture(title: str) -> bool:
    """Return whether a title is a web page's furniture, not a headline: an address,
    "not found", a site's name ("Pacifica.org") or a breadcrumb ("Box Office Mojo >
    People > Michael Keaton")."""
    return bool(WEB_FURNITURE.search(title) or _SITE.search(title))


def representative_title(articles: Sequence[Article]) -> str:
    """Return the title closest to the other titles (rapidfuzz token-sort ratio, summed).

    This is one outlet's title, used only when no written headline stands; titles that
    are web furniture (``title_furniture``) only when every title is. Without titles,
    the lead article's first sentence, its final period removed.
    """
    titles = [a.title.strip() for a in articles if a.title.strip()]
    titles = [t for t in titles if not title_furniture(t)] or titles
    if not titles:
        lead = [s.text for s in source_sentences(articles[:1])]
        return lead[0].rstrip(".") if lead else "Untitled event"
    plain = [joined_words(t) for t in titles]
    scores = process.cdist(plain, plain, scorer=fuzz.token_sort_ratio).sum(axis=1)
    return titles[int(scores.argmax())]  # the first of equals


def shortened(headline: str) -> list[str]:
    """Return a long headline's whole leading clauses of at most ``HEADLINE_WORDS`` words,
    longest first: it is cut before a clause or phrase, never at a word count."""
    cuts = [m.start() for m in _CLAUSE.finditer(headline)]
    heads = [tidy(headline[:cut]) for cut in reversed(cuts)]
    return [h for h in dict.fromkeys(heads) if 3 <= word_count(h) <= HEADLINE_WORDS]


def bare_infinitive(headline: str, text: str) -> bool:
    """Return whether a headline ends in "to" and a verb, cut from its object: "Blinken and
    Lammy Visit Ukraine to Engage" (the sources: "to engage in pivotal talks"). The word
    after "to" counts as a verb when the sources write it only in lower case, so that
    "Zelensky Travels to Bakhmut" stands."""
    found = re.search(r"\bto\s+([^\W\d_]+)$", headline, re.IGNORECASE)
    if not found:
        return False
    word = found.group(1).lower()
    lower = re.search(rf"\b{re.escape(word)}\b", text)
    capital = re.search(rf"\b{re.escape(word.capitalize())}\b", text)
    return bool(lower) and not capital


def tidy(headline: str) -> str:
    """Return a headline stripped of spaces, quotes and a final period ("U.S." keeps its)."""
    text = headline.strip().strip("\"'“”‘’*#").strip()
    return re.sub(r"(?<![A-Z])[.,;:]+$", "", text).strip()


def check_headline(
    headline: str,
    articles: Sequence[Article],
    sentences: Sequence[str],
    *,
    writer: object = None,
) -> tuple[str, list[Dropped]]:
    """Return a headline that passes ``problems`` and the rejected ones with their reasons.

    Order of tries: the backend's headline; up to ``REWRITES`` rewrites by ``writer`` if it
    is a ``HeadlineWriter``, each told the titles to avoid and the rejections so far;
    the leading clauses (``shortened``) of those rejected as too long, each checked;
    then ``representative_title`` (an outlet's title), kept without checks.
    """
    dropped: list[Dropped] = []
    avoid = [a.title for a in articles if a.title.strip()] if len(articles) > 1 else []
    text = source_text(articles)
    sources = case_vocabularies(text)  # built once for every try
    candidate = tidy(headline)
    for rewrite in range(REWRITES + 1):
        if rewrite:
            if not isinstance(writer, HeadlineWriter):
                break
            feedback = [f'"{d.text}": {d.reason}' for d in dropped]
            candidate = tidy(
                str(writer.write_headline(articles, sentences, avoid=avoid, feedback=feedback))
            )
        reason = problems(candidate, articles, sources, sentences)
        if reason is None:
            return candidate, dropped
        if candidate and Dropped(candidate, reason) not in dropped:
            dropped.append(Dropped(candidate, reason))
    for rejected in dropped:
        if rejected.reason.startswith("headline too long"):
            for short in shortened(rejected.text):
                if problems(short, articles, sources, sentences) is None and not (
                    bare_infinitive(short, text)
                ):
                    return short, dropped
    return representative_title(articles), dropped
