"""Size limits of a build: per article text, the whole corpus, and the model's input.

No limit cuts silently. Each one that is reached gives a ``Limit`` (which limit,
where, how much was kept of how much) that the briefing lists under ``limits``
and the CLI prints:

- ``max_article_chars``: an article's text is cut at the last paragraph end
  before the cap (else the last sentence end, else the last space, past half the
  cap), keeps its title and metadata, gets the content id of the kept text and
  carries the ``Limit`` as ``truncated``.
- ``max_corpus_chars``: when the articles of the window (after deduplication) hold
  more text than the cap, the newest are kept (dated before undated, then in
  reading order) up to the first that does not fit; that one and every older one
  is skipped with the reason.
- ``max_input_tokens``: the hf backend's source excerpts (``summarize/select.py``); a
  summary whose event had more source sentences than fit carries ``input_cut``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from ..records import Article, Limit, Skipped
from ..text import content_id

MAX_ARTICLE_CHARS = 200_000
MAX_CORPUS_CHARS = 5_000_000

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")


def cut_point(text: str, cap: int) -> int:
    """Return where to cut ``text`` to at most ``cap`` characters, at the best boundary."""
    if len(text) <= cap:
        return len(text)
    head = text[: cap + 1]
    floor = cap // 2
    paragraph = head.rfind("\n\n")
    if paragraph >= floor:
        return paragraph
    ends = [m.end() for m in _SENTENCE_END.finditer(head, floor)]
    if ends:
        return ends[-1] - 1
    space = head.rfind(" ", floor)
    return space if space >= floor else cap


def cap_article(article: Article, cap: int) -> Article:
    """Return the article with its text cut to ``cap`` characters, noting the cut."""
    if len(article.text) <= cap:
        return article
    text = article.text[: cut_point(article.text, cap)].rstrip()
    limit = Limit("max_article_chars", article.path, cap, len(text), len(article.text),
                  "characters")
    return dataclasses.replace(article, id=content_id(text), text=text, truncated=limit)


def _newest_first(article: Article) -> tuple[bool, int]:
    return (article.date is None, -(article.date or dt.date.min).toordinal())


def cap_corpus(
    articles: Sequence[Article], cap: int
) -> tuple[list[Article], list[Skipped], Limit | None]:
    """Keep the newest articles whose texts fit ``cap`` characters in all; skip the rest.

    Returns the kept articles (in their given order), the skipped ones and the
    ``Limit`` when it was reached.
    """
    total = sum(len(a.text) for a in articles)
    if total <= cap:
        return list(articles), [], None
    order = sorted(range(len(articles)), key=lambda i: (_newest_first(articles[i]), i))
    used = 0
    left_out: set[int] = set()
    for n, i in enumerate(order):
        if used + len(articles[i].text) > cap:
            left_out = set(order[n:])
            break
        used += len(articles[i].text)
    kept = [a for i, a in enumerate(articles) if i not in left_out]
    reason = f"left out: the corpus is over max_corpus_chars ({cap:,}); the newest are kept"
    skipped = [Skipped(a.path, reason) for i, a in enumerate(articles) if i in left_out]
    limit = Limit("max_corpus_chars", "corpus", cap, used, total, "characters")
    return kept, skipped, limit


