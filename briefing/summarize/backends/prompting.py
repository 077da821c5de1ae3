"""Prompts in and drafts out: render the prompt templates, clean the model's reply.

The templates live in ``prompts/`` (``digest.j2`` for headline and digest,
``headline.j2`` for another try at a headline) and run in a Jinja sandbox:
article text arrives as data in variables, never as template code. A
``prompt_dir`` given to the backend is searched first, so a prompt can be
edited without touching code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, Template, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from ...errors import TemplateNotFoundError
from ...records import Article, Draft, Dropped
from ...resources import data_dir
from ...text import split_sentences, word_count, words
from ..headline import HEADLINE_WORDS
from ..select import select_excerpts

PROMPT = "digest.j2"
REPEAT_TOKENS = 12  # a reply loops when its last this many tokens repeat earlier ones
HEADLINE_PROMPT = "headline.j2"
REVISE_PROMPT = "revise.j2"
MIN_SHARE = 0.7  # a digest is asked for at least this share of max_words
_TAG = re.compile(r"<(/?\s*source)", re.IGNORECASE)
_LABEL = re.compile(r"^\s*(headline|title|summary|digest)\s*:\s*", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]+|\d+[.)]|#+)\s+")
_PREAMBLE = re.compile(
    r"^(?:sure|certainly|okay|ok)\b[^.]*[.!:]\s*|^here(?: is|'s)\b[^:]*:\s*", re.I
)


def build_prompt(
    articles: Sequence[Article],
    *,
    template: Template,
    max_words: int,
    budget_tokens: int,
    count_tokens: Callable[[str], int],
    picked: Sequence[tuple[int, str]] | None = None,
) -> str:
    """Render the prompt with numbered excerpts: the event's salient sentences, as data.

    :param picked: the excerpts, when already selected (``select.select_excerpts``).
    """
    if picked is None:
        selection = select_excerpts(
            articles, budget_tokens=budget_tokens, count_tokens=count_tokens
        )
        picked = selection.picked
    picked = list(picked)
    if not picked:  # no article has one full sentence: give the model the start of each
        picked = [(i, a.text.strip()[: 4 * budget_tokens]) for i, a in enumerate(articles, 1)]
    sources = [
        {"id": n, "text": " ".join(_TAG.sub(r"‹\1", s) for i, s in picked if i == n)}
        for n in sorted({i for i, _ in picked})
    ]
    return template.render(
        sources=sources,
        max_words=max_words,
        min_words=round(MIN_SHARE * max_words),
        sentences=4 if max_words >= 80 else 3 if max_words >= 45 else 2,
        headline_words=HEADLINE_WORDS - 2,
    ).strip()


def clean_reply(reply: str, *, max_words: int) -> Draft:
    """Split a model reply into a headline and whole digest sentences within ``max_words``."""
    headline, body = split_reply(reply)
    sentences: list[str] = []
    total = 0
    for sentence in split_sentences(body):
        sentence = _PREAMBLE.sub("", sentence).strip()
        complete = re.search(r"[.!?][\"'”’)]*$", sentence)
        if not sentence or not complete or _repeats(sentence, sentences):
            continue
        if total + word_count(sentence) > max_words:
            break
        sentences.append(sentence)
        total += word_count(sentence)
    # No headline line: the headline stays empty (``headline.check_headline`` asks for
    # one), never the first digest sentence.
    return Draft(headline=_headline(headline), sentences=tuple(sentences))


def build_headline_prompt(
    sentences: Sequence[str],
    *,
    template: Template,
    avoid: Sequence[str],
    feedback: Sequence[str] = (),
) -> str:
    """Render the headline prompt: the checked digest, the outlets' titles to avoid and
    the rejected headlines with their reasons (``feedback``)."""
    return template.render(
        digest=[_TAG.sub(r"‹\1", s) for s in sentences],
        avoid=[_TAG.sub(r"‹\1", t) for t in avoid],
        rejected=[_TAG.sub(r"‹\1", f) for f in feedback],
        headline_words=HEADLINE_WORDS - 2,
    ).strip()


def build_revise_prompt(removed: Sequence[Dropped], *, template: Template, max_words: int) -> str:
    """Render the guard's feedback: each removed sentence with why, in plain words."""
    problems = [
        {"text": _TAG.sub(r"‹\1", d.text), "reason": _plain_reason(d.reason)} for d in removed
    ]
    return template.render(
        problems=problems, max_words=max_words, min_words=round(MIN_SHARE * max_words)
    ).strip()


def _plain_reason(reason: str) -> str:
    """Say a guard's reason without its scores: "not found in the sources (support 0.41)"
    becomes "not found in the sources"."""
    if reason.startswith("weak support"):
        return "not found in the sources"
    return re.sub(r"\s*\((?:support|score) [0-9.]+\)", "", reason).strip()


def clean_headline(reply: str) -> str:
    """Return the first headline-like line of a reply, labels and quotes removed."""
    headline, body = split_reply(reply)
    return _headline(headline or body)


def reply_done(new: Sequence[int], decode: Callable[[Sequence[int]], str], max_words: int) -> bool:
    """Return whether a reply should stop: past ``max_words`` words, or looping.

    ``new`` are the reply's token ids so far; it loops when its last 12 tokens repeat
    an earlier run of them.
    """
    size = REPEAT_TOKENS
    tail, earlier = list(new[-size:]), list(new[:-size])
    if len(new) >= 2 * size and any(
        earlier[i : i + size] == tail for i in range(len(earlier) - size + 1)
    ):
        return True
    _, body = split_reply(decode(new))
    return word_count(body) > max_words + 1


def split_reply(reply: str) -> tuple[str, str]:
    """Return a reply's headline and its body text, without labels, bullets and preambles."""
    headline, body = "", []
    for raw in reply.replace("**", "").replace("__", "").splitlines():
        line = _PREAMBLE.sub("", _BULLET.sub("", raw)).strip()
        label = _LABEL.match(line)
        if label and label.group(1).lower() in {"headline", "title"} and not headline:
            headline = line[label.end() :].strip()
        elif line:
            body.append(_LABEL.sub("", line))
    if not headline and len(body) > 1 and word_count(body[0]) <= HEADLINE_WORDS + 4:
        headline = body.pop(0)
    return headline, " ".join(body)


def _headline(text: str) -> str:
    """Strip quotes and final punctuation; a long headline stays whole, to be rejected
    (``headline.form_problem``) rather than cut into a fragment."""
    text = text.strip().strip("\"'“”‘’*#").strip()
    return " ".join(text.split()).rstrip(" .,;:-–—")


def _repeats(sentence: str, previous: Sequence[str], threshold: float = 0.6) -> bool:
    mine = set(words(sentence))
    for other in previous:
        theirs = set(words(other))
        if mine and theirs and len(mine & theirs) / len(mine | theirs) > threshold:
            return True
    return False


def load_prompt(prompt_dir: Path | None, name: str = PROMPT) -> Template:
    """Load the prompt ``name`` from ``prompt_dir``, else the shipped prompts, in a sandbox."""
    folders = ([str(prompt_dir)] if prompt_dir else []) + [str(data_dir("prompts"))]
    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(f) for f in folders]),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    try:
        return env.get_template(name)
    except TemplateNotFound:
        raise TemplateNotFoundError(
            f"prompt template {name} is in none of: {', '.join(folders)}"
        ) from None
