"""The local-model backend: a chat model from ``modelstore`` writes headline and digest.

Three stages, as in a transformers pipeline: ``_prepare`` selects the salient
sentences of the event's articles (``select.py``) to a token budget and renders
the prompt template; ``_generate`` decodes greedily; ``_clean`` strips chat
formatting and trims the digest to ``max_words`` at a sentence boundary.

Speed depends on the CPU. With native bf16 (AVX-512 BF16 or AMX) the model runs
in bf16 with prompt lookup (the digest reuses source wording, so looked-up
tokens are often accepted: 2.7x). Without it, bf16 matmuls are emulated: the
weights stay bf16 (fast one-token steps, half the memory of fp32) but the prompt
pass runs as fp32 matmuls ("mixed", 6x faster than emulated bf16), and prompt
lookup is off, since verifying 10 guesses costs 8 single steps there. With lookup
off, ``summarize_many`` decodes ``batch_size`` events at once (left-padded; each
stops on its own): one decoding step reads the weights once for all of them.
torch and transformers are imported when the class is built, so ``import
briefing`` stays fast; the model is loaded once per instance.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

from ..errors import BriefingError, ModelError
from ..models import Article, Draft, Limit
from ..modelstore import DEFAULT_MODEL, Progress, default_cache_dir, resolve_model
from ..select import select_excerpts
from .headline import HEADLINE_WORDS
from .prompting import (
    HEADLINE_PROMPT,
    build_headline_prompt,
    build_prompt,
    clean_headline,
    clean_reply,
    load_prompt,
)
from .runtime import (
    Clock,
    GenerationStats,
    Stop,
    default_batch_size,
    pick_dtype,
    use_mixed_linear,
)

__all__ = ["GenerationStats", "HFSummarizer"]


class HFSummarizer:
    """Summarize an event with a local chat model (default: Qwen2.5-Coder-1.5B-Instruct)."""

    name = "hf"

    def __init__(
        self,
        *,
        model: str | None = None,
        device: str = "cpu",
        cache_dir: Path | None = None,
        max_new_tokens: int = 160,
        prompt_dir: Path | None = None,
        progress: Progress | None = None,
        source_tokens: int = 450,
        prompt_lookup: int | Literal["auto"] | None = "auto",
        dtype: str = "auto",
        batch_size: int | None = None,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as e:
            raise BriefingError("the hf backend needs: pip install 'briefing[hf]'") from e
        self.max_new_tokens = max_new_tokens
        self.source_tokens = source_tokens
        self.last_stats: GenerationStats | None = None
        if dtype not in {"auto", "bfloat16", "float32", "mixed"}:
            raise ModelError(f"unknown dtype {dtype!r}; choose auto, bfloat16, float32 or mixed")
        self._torch = torch
        self._template = load_prompt(prompt_dir)
        self._headline_template = load_prompt(prompt_dir, HEADLINE_PROMPT)
        path = resolve_model(
            model or DEFAULT_MODEL,
            cache_dir=cache_dir if cache_dir is not None else default_cache_dir(),
            progress=progress,
        )
        self.dtype = pick_dtype(torch, device) if dtype == "auto" else dtype
        # Prompt lookup verifies 10 guessed tokens in one pass: 2.7x faster where bf16 (or
        # fp32) matmuls are native, 2.5x slower where bf16 is emulated ("mixed").
        auto_lookup = None if self.dtype == "mixed" else 10
        self.prompt_lookup = auto_lookup if prompt_lookup == "auto" else prompt_lookup or None
        bars = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(str(path))
            weights = torch.float32 if self.dtype == "float32" else torch.bfloat16
            self._model = AutoModelForCausalLM.from_pretrained(str(path), dtype=weights)
        except (OSError, ValueError) as e:
            raise ModelError(f"cannot load the model in {path}: {e}") from e
        finally:
            if bars:
                hf_logging.enable_progress_bar()
        self._model.to(device).eval()
        if self.dtype == "mixed":
            use_mixed_linear(self._model)
        self._tokenizer.padding_side = "left"  # a batch's new tokens all start at one column
        self.batch_size = batch_size or default_batch_size(device, self.prompt_lookup)
        if self.batch_size > 1 and self.prompt_lookup:
            raise ModelError("prompt lookup decodes one event at a time: use batch_size 1")

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        """Write a headline and digest sentences (at most ``max_words`` words) for one event."""
        prompt, cut = self._prepare(articles, max_words=max_words)
        [reply] = self._generate([prompt], max_words=max_words)
        return replace(self._clean(reply, max_words=max_words), input_cut=cut)

    def summarize_many(
        self,
        events: Sequence[Sequence[Article]],
        *,
        max_words: int,
        on_event: Callable[[int, int, GenerationStats], None] | None = None,
    ) -> list[Draft]:
        """Summarize several events, ``batch_size`` at a time in one batched generation.

        ``on_event(i, n, stats)`` is called for every event as its batch finishes, with
        the batch's stats (summed over its sequences).
        """
        prepared = [self._prepare(articles, max_words=max_words) for articles in events]
        drafts: list[Draft] = []
        for first in range(0, len(prepared), self.batch_size):
            chunk = prepared[first : first + self.batch_size]
            replies = self._generate([prompt for prompt, _ in chunk], max_words=max_words)
            for reply, (_, cut) in zip(replies, chunk, strict=True):
                drafts.append(replace(self._clean(reply, max_words=max_words), input_cut=cut))
                if on_event is not None and self.last_stats is not None:
                    on_event(len(drafts), len(events), self.last_stats)
        return drafts

    def write_headline(
        self, articles: Sequence[Article], sentences: Sequence[str], *, avoid: Sequence[str]
    ) -> str:
        """Write a headline for checked digest sentences, unlike the outlets' own titles."""
        template = self._headline_template
        prompt = build_headline_prompt(sentences, template=template, avoid=avoid)
        [reply] = self._generate([prompt], max_words=HEADLINE_WORDS, budget=2 * HEADLINE_WORDS)
        return clean_headline(reply)

    def count_tokens(self, text: str) -> int:
        """Count the model's tokens in a text."""
        return len(self._tokenizer(text, add_special_tokens=False)["input_ids"])

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

    def _generate(
        self, prompts: Sequence[str], *, max_words: int, budget: int | None = None
    ) -> list[str]:
        """Decode greedily for a batch of prompts (left-padded); return each reply."""
        torch = self._torch
        if self._tokenizer.chat_template:
            encoded = self._tokenizer.apply_chat_template(
                [[{"role": "user", "content": p}] for p in prompts],
                add_generation_prompt=True,
                padding=True,
                return_tensors="pt",
                return_dict=True,
            )
        else:  # a base model: the prompt as plain text
            texts = [p + "\n\n" for p in prompts]
            encoded = self._tokenizer(texts, padding=True, return_tensors="pt")
        encoded = encoded.to(self._model.device)
        width = int(encoded["input_ids"].shape[1])
        budget = budget or min(self.max_new_tokens, 2 * max_words + 2 * HEADLINE_WORDS)
        pad = self._tokenizer.pad_token_id or self._tokenizer.eos_token_id
        clock = Clock()
        with torch.inference_mode():
            output = self._model.generate(
                **encoded,
                do_sample=False,
                max_new_tokens=budget,
                prompt_lookup_num_tokens=self.prompt_lookup,
                stopping_criteria=[Stop(self._tokenizer, width, max_words=max_words)],
                streamer=clock,
                pad_token_id=pad,
            )
        new = output[:, width:]
        self.last_stats = GenerationStats(
            prompt_tokens=int(encoded["attention_mask"].sum()),
            new_tokens=int((new != pad).sum()),
            seconds=clock.elapsed(),
            prompt_seconds=clock.first_token,
            batch=len(prompts),
        )
        return [str(self._tokenizer.decode(row, skip_special_tokens=True)) for row in new]

    def _clean(self, reply: str, *, max_words: int) -> Draft:
        return clean_reply(reply, max_words=max_words)
