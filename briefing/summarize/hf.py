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
lookup is off, since verifying 10 guesses costs 8 single steps there.
torch and transformers are imported when the class is built, so ``import
briefing`` stays fast; the model is loaded once per instance.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from ..errors import BriefingError, ModelError
from ..models import Article, Draft, Limit
from ..modelstore import DEFAULT_MODEL, Progress, default_cache_dir, resolve_model
from ..select import select_excerpts
from ..text import word_count
from .headline import HEADLINE_WORDS
from .prompting import (
    HEADLINE_PROMPT,
    build_headline_prompt,
    build_prompt,
    clean_headline,
    clean_reply,
    load_prompt,
    split_reply,
)

MIXED_MIN_ROWS = 64



@dataclass(frozen=True, slots=True)
class GenerationStats:
    """How one generation went: prompt and new token counts, and wall time."""

    prompt_tokens: int
    new_tokens: int
    seconds: float
    prompt_seconds: float = 0.0

    @property
    def tokens_per_second(self) -> float:
        """Return new tokens per second of wall time, the prompt pass included."""
        return self.new_tokens / self.seconds if self.seconds else 0.0

    @property
    def decode_tokens_per_second(self) -> float:
        """Return new tokens per second after the first: (new - 1) / (seconds - prompt_seconds)."""
        decoding = self.seconds - self.prompt_seconds
        return (self.new_tokens - 1) / decoding if decoding > 0 and self.new_tokens > 1 else 0.0


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
        self.dtype = _pick_dtype(torch, device) if dtype == "auto" else dtype
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
            _use_mixed_linear(self._model)

    def summarize(self, articles: Sequence[Article], *, max_words: int) -> Draft:
        """Write a headline and digest sentences (at most ``max_words`` words) for one event."""
        prompt, cut = self._prepare(articles, max_words=max_words)
        draft = self._clean(self._generate(prompt, max_words=max_words), max_words=max_words)
        return replace(draft, input_cut=cut)

    def summarize_many(
        self,
        events: Sequence[Sequence[Article]],
        *,
        max_words: int,
        on_event: Callable[[int, int, GenerationStats], None] | None = None,
    ) -> list[Draft]:
        """Summarize several events in turn, reporting each one's stats to ``on_event``."""
        drafts = []
        for i, articles in enumerate(events, start=1):
            drafts.append(self.summarize(articles, max_words=max_words))
            if on_event is not None and self.last_stats is not None:
                on_event(i, len(events), self.last_stats)
        return drafts

    def write_headline(
        self, articles: Sequence[Article], sentences: Sequence[str], *, avoid: Sequence[str]
    ) -> str:
        """Write a headline for checked digest sentences, unlike the outlets' own titles."""
        template = self._headline_template
        prompt = build_headline_prompt(sentences, template=template, avoid=avoid)
        reply = self._generate(prompt, max_words=HEADLINE_WORDS, budget=2 * HEADLINE_WORDS)
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

    def _generate(self, prompt: str, *, max_words: int, budget: int | None = None) -> str:
        torch = self._torch
        if self._tokenizer.chat_template:
            encoded = self._tokenizer.apply_chat_template(
                [{"role": "user", "content": prompt}],
                add_generation_prompt=True,
                return_tensors="pt",
                return_dict=True,
            )
        else:  # a base model: the prompt as plain text
            encoded = self._tokenizer(prompt + "\n\n", return_tensors="pt")
        encoded = encoded.to(self._model.device)
        prompt_tokens = int(encoded["input_ids"].shape[1])
        budget = budget or min(self.max_new_tokens, 2 * max_words + 2 * HEADLINE_WORDS)
        stop = _Stop(self._tokenizer, prompt_tokens, max_words=max_words)
        clock = _Clock()
        with torch.inference_mode():
            output = self._model.generate(
                **encoded,
                do_sample=False,
                max_new_tokens=budget,
                prompt_lookup_num_tokens=self.prompt_lookup,
                stopping_criteria=[stop],
                streamer=clock,
                pad_token_id=self._tokenizer.pad_token_id or self._tokenizer.eos_token_id,
            )
        new = output[0, prompt_tokens:]
        self.last_stats = GenerationStats(
            prompt_tokens, int(new.shape[0]), clock.elapsed(), clock.first_token
        )
        return str(self._tokenizer.decode(new, skip_special_tokens=True))

    def _clean(self, reply: str, *, max_words: int) -> Draft:
        return clean_reply(reply, max_words=max_words)


class _Clock:
    """A streamer that times generation and its prompt pass (until the first new token)."""

    def __init__(self) -> None:
        self.start, self.first_token, self._puts = time.perf_counter(), 0.0, 0

    def put(self, value: Any) -> None:
        self._puts += 1  # the first put is the prompt, the second the first new token
        if self._puts == 2:
            self.first_token = self.elapsed()

    def end(self) -> None:
        """Do nothing: the clock keeps no text."""

    def elapsed(self) -> float:
        """Return the seconds since generation started."""
        return time.perf_counter() - self.start


class _Stop:
    """Stop once the digest passes ``max_words`` or the last 12 new tokens repeat earlier ones."""

    def __init__(self, tokenizer: Any, prompt_tokens: int, *, max_words: int) -> None:
        self.tokenizer, self.start, self.max_words = tokenizer, prompt_tokens, max_words
        self.size = 12

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        new = input_ids[0, self.start :].tolist()
        tail, earlier = new[-self.size :], new[: -self.size]
        done = len(new) >= 2 * self.size and any(
            earlier[i : i + self.size] == tail for i in range(len(earlier) - self.size + 1)
        )
        if not done:
            _, body = split_reply(self.tokenizer.decode(new, skip_special_tokens=True))
            done = word_count(body) > self.max_words + 1
        return torch.full((input_ids.shape[0],), done, dtype=torch.bool, device=input_ids.device)


def _pick_dtype(torch: Any, device: str) -> str:
    if device.startswith("cuda"):
        return "bfloat16" if torch.cuda.is_bf16_supported() else "float32"
    native = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    return "bfloat16" if native else "mixed"


@cache
def _mixed_linear_class() -> type:
    import torch
    import torch.nn.functional as F  # noqa: N812

    class MixedLinear(torch.nn.Linear):
        """Keep bf16 weights; run inputs of many rows (a prompt) as a float32 matmul."""

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if x.numel() < MIXED_MIN_ROWS * x.shape[-1]:
                return F.linear(x, self.weight, self.bias)
            bias = None if self.bias is None else self.bias.float()
            return F.linear(x.float(), self.weight.float(), bias).to(x.dtype)

    return MixedLinear


def _use_mixed_linear(model: Any) -> None:
    """Make long CPU inputs use float32 matmuls: emulated bf16 is 6x slower there."""
    import torch

    mixed = _mixed_linear_class()
    for module in model.modules():
        if type(module) is torch.nn.Linear:
            module.__class__ = mixed
