"""The llama.cpp backend: the same prompts as ``hf``, run on the Q4_K_M GGUF weights.

llama-cpp-python is an optional extra (``pip install 'briefing[llama]'``, compiled on
install). It reads the GGUF file the model parts form (assembled and checked once into
the cache by ``localmodels.registry.gguf_path``) with no conversion, and runs 4-bit weights
where ``hf`` runs bf16 ones: decoding reads a quarter of the bytes per token, which
is what bounds it on a CPU. Prompts, reply cleaning and the word-limit stop are
``chat.ChatSummarizer``'s, so a digest differs from ``hf``'s only where 4-bit weights
pick another greedy token; the guard checks it the same way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...errors import BriefingError, ModelError
from ...localmodels.registry import (
    DEFAULT_MODEL,
    KNOWN_MODELS,
    Progress,
    default_cache_dir,
    gguf_path,
)
from .chat import ChatSummarizer, Prompt, messages
from .llama_batch import BatchDecoder
from .prefix import common_prefix
from .prompting import reply_done
from .runtime import GenerationStats

CONTEXT = 4096  # tokens at least: a 450-token selection, the template and the reply fit well


def find_gguf(spec: str, *, cache_dir: Path, progress: Progress | None = None) -> Path:
    """Return the GGUF file for a known model name or a ``.gguf`` path."""
    if spec in KNOWN_MODELS:
        return gguf_path(spec, cache_dir=cache_dir, progress=progress)
    path = Path(spec).expanduser()
    if path.is_file() and path.suffix.lower() == ".gguf":
        return path
    known = ", ".join(sorted(KNOWN_MODELS))
    raise ModelError(
        f"not a GGUF model: {spec}; the llama backend takes a known model name ({known}) "
        "or a .gguf file"
    )


def default_threads() -> int:
    """Return ``OMP_NUM_THREADS`` when set (Ray sets it to an actor's CPUs), else the
    cores this process may use: torch follows the same rule."""
    value = os.environ.get("OMP_NUM_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else len(os.sched_getaffinity(0))


class LlamaSummarizer(ChatSummarizer):
    """Summarize an event with llama.cpp on a GGUF model (default: Qwen2.5-Coder-1.5B)."""

    name = "llama"

    def __init__(
        self,
        *,
        model: str | None = None,
        cache_dir: Path | None = None,
        max_new_tokens: int = 160,
        prompt_dir: Path | None = None,
        progress: Progress | None = None,
        source_tokens: int = 450,
        revise: bool = False,
        threads: int | None = None,
        batch_size: int = 1,
    ) -> None:
        try:
            import llama_cpp
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter
        except ImportError as e:
            raise BriefingError(
                "the llama backend needs llama-cpp-python: pip install 'briefing[llama]' "
                '(it compiles; on x86 set CMAKE_ARGS="-DGGML_NATIVE=OFF", see the README)'
            ) from e
        super().__init__(
            max_new_tokens=max_new_tokens,
            source_tokens=source_tokens,
            prompt_dir=prompt_dir,
            revise=revise,
        )
        path = find_gguf(
            model or DEFAULT_MODEL,
            cache_dir=cache_dir if cache_dir is not None else default_cache_dir(),
            progress=progress,
        )
        threads = threads or default_threads()
        try:
            self._llm = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=max(CONTEXT, source_tokens + max_new_tokens + 1024),
                n_threads=threads,
                n_threads_batch=threads,
                verbose=False,
            )
        except (ValueError, RuntimeError) as e:
            raise ModelError(f"llama.cpp cannot load {path}: {e}") from e
        self._lib = llama_cpp
        self.batch_size = max(1, batch_size)
        self._batch: BatchDecoder | None = None
        template = self._llm.metadata.get("tokenizer.chat_template")
        self._format = (
            Jinja2ChatFormatter(
                template=template, eos_token=self._special(self._llm.token_eos()), bos_token=""
            )
            if template
            else None
        )

    def forget_prefix(self) -> None:
        """Drop the kept KV cache: the next prompt is computed from its first token."""
        self._llm.reset()

    def count_tokens(self, text: str) -> int:
        """Count the model's tokens in a text."""
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False))

    def _special(self, token: int) -> str:
        return self._llm.detokenize([token], special=True).decode("utf-8", "replace")

    def _decode(self, tokens: Sequence[int]) -> str:
        return self._llm.detokenize(list(tokens)).decode("utf-8", "replace")

    def _generate(
        self, prompts: Sequence[Prompt], *, max_words: int, budget: int | None = None
    ) -> list[str]:
        """Decode greedily: several prompts together in the batch context
        (``llama_batch.py``), a single one in ``Llama``'s own, which keeps its cache
        for the next prompt (a revision repeats the whole conversation)."""
        budget = self._budget(max_words, budget)
        if len(prompts) > 1:
            tokens = [self._tokens(p, budget) for p in prompts]
            replies, self.last_stats = self._decoder(len(prompts)).generate(
                tokens, budget=budget, stop=lambda new: reply_done(new, self._decode, max_words)
            )
            return [self._decode(r) for r in replies]
        done = [self._one(p, max_words=max_words, budget=budget) for p in prompts]
        stats = [s for _, s in done]
        self.last_stats = GenerationStats(
            prompt_tokens=sum(s.prompt_tokens for s in stats),
            new_tokens=sum(s.new_tokens for s in stats),
            seconds=sum(s.seconds for s in stats),
            prompt_seconds=sum(s.prompt_seconds for s in stats),
            batch=len(prompts),
            cached_tokens=sum(s.cached_tokens for s in stats),
        )
        return [reply for reply, _ in done]

    def _decoder(self, sequences: int) -> BatchDecoder:
        """Return the batch context, made on first use: one sequence per event."""
        if self._batch is None or self._batch.sequences < sequences:
            if self._batch is not None:
                self._batch.close()
            per_event = self.source_tokens + self.max_new_tokens + 1024
            self._batch = BatchDecoder(
                self._llm, self._lib, sequences=sequences, context=sequences * per_event
            )
        return self._batch

    def _tokens(self, prompt: Prompt, budget: int) -> list[int]:
        """Return a prompt's tokens, in the model's chat template."""
        chat = messages(prompt)
        if self._format is not None:
            text = self._format(messages=chat).prompt
        else:  # a base model: the prompt as plain text
            text = chat[-1]["content"] + "\n\n"
        tokens = self._llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)
        if len(tokens) + budget > self._llm.n_ctx():
            raise ModelError(
                f"the prompt has {len(tokens)} tokens: with {budget} new ones it passes the "
                f"context of {self._llm.n_ctx()}; lower --max-input-tokens"
            )
        return tokens

    def _one(self, prompt: Prompt, *, max_words: int, budget: int) -> tuple[str, GenerationStats]:
        """Return the reply to one prompt, and how its generation went.

        llama.cpp keeps the last sequence's KV cache and computes only what follows
        the prefix the new prompt shares with it (``Llama.generate`` with
        ``reset=True``): the chat header and instructions, or a whole earlier turn.
        """
        tokens = self._tokens(prompt, budget)
        vocab: Any = self._llm._model.vocab  # what Llama itself asks whether a token ends
        cached = min(common_prefix(self._llm._input_ids.tolist(), tokens), len(tokens) - 1)
        new: list[int] = []
        start, first = time.perf_counter(), 0.0
        for token in self._llm.generate(
            tokens, temp=0.0, top_k=1, top_p=1.0, min_p=0.0, repeat_penalty=1.0, reset=True
        ):
            first = first or time.perf_counter() - start
            if self._lib.llama_vocab_is_eog(vocab, token):
                break
            new.append(token)
            if len(new) >= budget or reply_done(new, self._decode, max_words):
                break
        seconds = time.perf_counter() - start
        stats = GenerationStats(len(tokens), len(new), seconds, first, cached_tokens=cached)
        return self._decode(new), stats
