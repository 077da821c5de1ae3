"""The local-model backend: a chat model from ``localmodels.registry`` writes headline and digest.

Prompts and replies are ``chat.ChatSummarizer``'s; this module runs the model with
transformers and torch (``_generate``: greedy, batched, timed).

Speed depends on the CPU. With native bf16 (AVX-512 BF16 or AMX) the model runs
in bf16 with prompt lookup (the digest reuses source wording, so looked-up
tokens are often accepted: 2.7x). Without it, bf16 matmuls are emulated: the
weights stay bf16 (fast one-token steps, half the memory of fp32) but the prompt
pass runs as fp32 matmuls ("mixed", 6x faster than emulated bf16), and prompt
lookup is off, since verifying 10 guesses costs 8 single steps there. With lookup
off, ``summarize_many`` can decode ``batch_size`` events at once (left-padded; each
stops on its own): 8 on a GPU, 1 on a CPU, where a batch of 4 measured only 1.03x.
torch and transformers are imported when the class is built, so ``import
briefing`` stays fast; the model is loaded once per instance.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from ...errors import BriefingError, ModelError
from ...localmodels.registry import DEFAULT_MODEL, Progress, default_cache_dir, resolve_model
from .chat import ChatSummarizer, Prompt, messages
from .prefix import PrefixCache
from .runtime import Clock, GenerationStats, Stop, default_batch_size, pick_dtype, use_mixed_linear

__all__ = ["GenerationStats", "HFSummarizer"]


class HFSummarizer(ChatSummarizer):
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
        revise: bool = False,
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
        super().__init__(
            max_new_tokens=max_new_tokens,
            source_tokens=source_tokens,
            prompt_dir=prompt_dir,
            revise=revise,
        )
        if dtype not in {"auto", "bfloat16", "float32", "mixed"}:
            raise ModelError(f"unknown dtype {dtype!r}; choose auto, bfloat16, float32 or mixed")
        self._torch = torch
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
        self.prefix = PrefixCache()  # one prompt at a time: reuse its opening's KV cache

    def forget_prefix(self) -> None:
        """Drop the kept KV cache: the next prompt is computed from its first token."""
        self.prefix.clear()

    def count_tokens(self, text: str) -> int:
        """Count the model's tokens in a text."""
        return len(self._tokenizer(text, add_special_tokens=False)["input_ids"])

    def _generate(
        self, prompts: Sequence[Prompt], *, max_words: int, budget: int | None = None
    ) -> list[str]:
        """Decode greedily for a batch of prompts (left-padded); return each reply.

        One prompt alone reuses the KV cache of the prefix it shares with the last
        sequence (``prefix.PrefixCache``): the chat header and instructions, or a whole
        earlier turn when the guard asks for a revision. Not with prompt lookup: there
        transformers 5.24's assisted decoding made a reused cache slower than none (a
        revision turn 3.8 s with 752 cached tokens, 2.9 s from scratch, this EPYC), so
        the cache is kept only where lookup is off (emulated bf16, GPU).
        """
        torch = self._torch
        if self._tokenizer.chat_template:
            encoded = self._tokenizer.apply_chat_template(
                [messages(p) for p in prompts],
                add_generation_prompt=True,
                padding=True,
                return_tensors="pt",
                return_dict=True,
            )
        else:  # a base model: the prompt as plain text
            texts = [m["content"] + "\n\n" for p in prompts for m in messages(p)[-1:]]
            encoded = self._tokenizer(texts, padding=True, return_tensors="pt")
        encoded = encoded.to(self._model.device)
        width = int(encoded["input_ids"].shape[1])
        budget = self._budget(max_words, budget)
        pad = self._tokenizer.pad_token_id or self._tokenizer.eos_token_id
        single = len(prompts) == 1 and not self.prompt_lookup
        cache, reused = self.prefix.take(encoded["input_ids"][0].tolist()) if single else (None, 0)
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
                cache=cache,
                return_dict_in_generate=True,
            )
        sequences = output.sequences
        if single:
            self.prefix.keep(sequences[0].tolist(), output.past_key_values)
        new = sequences[:, width:]
        self.last_stats = GenerationStats(
            prompt_tokens=int(encoded["attention_mask"].sum()),
            new_tokens=int((new != pad).sum()),
            seconds=clock.elapsed(),
            prompt_seconds=clock.first_token,
            batch=len(prompts),
            cached_tokens=reused,
        )
        return [str(self._tokenizer.decode(row, skip_special_tokens=True)) for row in new]
