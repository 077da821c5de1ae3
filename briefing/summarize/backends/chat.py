"""What the local-model backends share: prompts in, drafts out, around a ``_generate``.

A chat backend (``hf``: transformers and torch; ``llama``: llama.cpp) works in three
stages, as a transformers pipeline does: ``_prepare`` selects the salient sentences
of the event's articles (``summarize/select.py``) to a token budget and renders the prompt
template; ``_generate`` decodes greedily (the engine's part, in the subclass);
``clean_reply`` strips chat formatting and trims the digest to ``max_words`` at a
sentence boundary. The subclass gives ``count_tokens`` and ``_generate``.

A draft keeps the conversation that wrote it, so that the guard can send the sentences
it removed back to the model as the next turn (``revise``): the engines reuse the
conversation's KV cache (``prefix.py``), so the revision costs its new tokens only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from ...records import Article, Draft, Dropped, Limit
from ..headline import HEADLINE_WORDS
from ..select import select_excerpts
from .prompting import (
    HEADLINE_PROMPT,
    REVISE_PROMPT,
    build_headline_prompt,
    build_prompt,
    build_revise_prompt,
    clean_headline,
    clean_reply,
    load_prompt,
)
from .runtime import GenerationStats

Chat = tuple[tuple[str, str], ...]  # (role, text) turns: "user" and "assistant"
Prompt = str | Chat  # a text is one user turn


def messages(prompt: Prompt) -> list[dict[str, str]]:
    """Return a prompt as chat messages (``{"role", "content"}``)."""
    turns = (("user", prompt),) if isinstance(prompt, str) else prompt
    return [{"role": role, "content": text} for role, text in turns]


class ChatSummarizer:
    """A backend that prompts a local chat model; subclasses run the model."""

    name = "chat"
    batch_size = 1
    refill = True  # a short digest is filled with source sentences (summarize/refill.py)
    # the guard asks for the digest again when it drops a sentence (``revise``): off by
    # default, since on wikinews-dev half B it cost +50% s/event for no ROUGE gain
    revise_drops = False
    last_stats: GenerationStats | None = None

    def __init__(
        self,
        *,
        max_new_tokens: int,
        source_tokens: int,
        prompt_dir: Path | None,
        revise: bool = False,
    ) -> None:
        self.revise_drops = revise
        self.max_new_tokens = max_new_tokens
        self.source_tokens = source_tokens
        self.last_stats = None
        self._template = load_prompt(prompt_dir)
        self._headline_template = load_prompt(prompt_dir, HEADLINE_PROMPT)
        self._revise_template = load_prompt(prompt_dir, REVISE_PROMPT)

    def count_tokens(self, text: str) -> int:
        """Count the model's tokens in a text."""
        raise NotImplementedError

    def _generate(
        self, prompts: Sequence[Prompt], *, max_words: int, budget: int | None = None
    ) -> list[str]:
        """Decode greedily for the prompts (at most ``batch_size``); return each reply."""
        raise NotImplementedError

    def forget_prefix(self) -> None:
        """Drop the kept KV cache: the next prompt is computed from its first token."""

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        """Write a headline and digest sentences (at most ``max_words`` words) for one event."""
        prompt, cut = self._prepare(articles, max_words=max_words)
        [reply] = self._generate([prompt], max_words=max_words)
        return _draft(reply, (("user", prompt),), max_words=max_words, cut=cut)

    def revise(self, draft: Draft, removed: Sequence[Dropped], *, max_words: int) -> Draft | None:
        """Ask for the draft again, told which sentences the guard removed and why.

        The request is the next turn of the draft's conversation, so the model still
        sees its sources and its reply; None when the draft has no conversation.
        """
        if not draft.chat or not removed:
            return None
        turn = build_revise_prompt(removed, template=self._revise_template, max_words=max_words)
        chat = (*draft.chat, ("user", turn))
        [reply] = self._generate([chat], max_words=max_words)
        return _draft(reply, chat, max_words=max_words, cut=draft.input_cut)

    def summarize_many(
        self,
        events: Sequence[Sequence[Article]],
        *,
        max_words: int,
        on_event: Callable[[int, int, GenerationStats], None] | None = None,
    ) -> list[Draft]:
        """Summarize several events, ``batch_size`` at a time in one generation.

        ``on_event(i, n, stats)`` is called for every event as its batch finishes, with
        the batch's stats (summed over its sequences).
        """
        prepared = [self._prepare(articles, max_words=max_words) for articles in events]
        drafts: list[Draft] = []
        for first in range(0, len(prepared), self.batch_size):
            chunk = prepared[first : first + self.batch_size]
            replies = self._generate([prompt for prompt, _ in chunk], max_words=max_words)
            for reply, (prompt, cut) in zip(replies, chunk, strict=True):
                drafts.append(_draft(reply, (("user", prompt),), max_words=max_words, cut=cut))
                if on_event is not None and self.last_stats is not None:
                    on_event(len(drafts), len(events), self.last_stats)
        return drafts

    def write_headline(
        self,
        articles: Sequence[Article],
        sentences: Sequence[str],
        *,
        avoid: Sequence[str],
        feedback: Sequence[str] = (),
    ) -> str:
        """Write a headline for checked digest sentences, unlike the outlets' own titles.

        ``feedback`` lists earlier headlines and why they were rejected. The token budget
        leaves room for a headline over the limit, so that it is rejected whole rather
        than cut into a fragment.
        """
        template = self._headline_template
        prompt = build_headline_prompt(sentences, template=template, avoid=avoid, feedback=feedback)
        [reply] = self._generate([prompt], max_words=HEADLINE_WORDS, budget=3 * HEADLINE_WORDS)
        return clean_headline(reply)

    def _budget(self, max_words: int, budget: int | None) -> int:
        """Return the new-token limit: enough for the digest and a headline."""
        return budget or min(self.max_new_tokens, 2 * max_words + 2 * HEADLINE_WORDS)

    def _prepare(self, articles: Sequence[Article], *, max_words: int) -> tuple[str, Limit | None]:
        """Render the prompt; return it and the input limit when source text was left out."""
        selection = select_excerpts(
            articles, budget_tokens=self.source_tokens, count_tokens=self.count_tokens
        )
        prompt = build_prompt(
            articles,
            template=self._template,
            max_words=max_words,
            budget_tokens=self.source_tokens,
            count_tokens=self.count_tokens,
            picked=selection.picked,
        )
        cut = selection.input_cut
        if not selection.picked:  # build_prompt gave the start of each article instead
            total = sum(len(a.text.strip()) for a in articles)
            kept = sum(min(len(a.text.strip()), 4 * self.source_tokens) for a in articles)
            cut = Limit("max_input_tokens", "", self.source_tokens, kept, total, "characters")
            cut = cut if kept < total else None
        return prompt, cut


def _draft(reply: str, chat: Chat, *, max_words: int, cut: Limit | None) -> Draft:
    """Return the draft of a reply, with the conversation that led to it."""
    draft = clean_reply(reply, max_words=max_words)
    return replace(draft, input_cut=cut, chat=(*chat, ("assistant", reply)))
