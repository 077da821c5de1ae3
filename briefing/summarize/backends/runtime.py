"""The torch side of the hf backend: dtype choice, timing, stopping, batch sizes.

Kept apart from ``hf.py`` (prompts in, drafts out) so that each stays short. torch is
imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from .prompting import reply_done

MIXED_MIN_ROWS = 64
# Events decoded together when prompt lookup is off. On the 2-core AVX2 CPU here a batch
# of 4 decoded 1.8x the tokens per CPU second of one sequence (bench/bench_batching.py),
# but whole events went only 1.03x faster over eight wikinews-dev events (the prompt
# pass does not shrink, a batch waits for its longest digest), one of eight digests
# changed, and peak RSS passed 4 GB (4.19): so one event at a time on a CPU.
CPU_BATCH = 1
CUDA_BATCH = 8


@dataclass(frozen=True, slots=True)
class GenerationStats:
    """How one generation went: prompt and new token counts, and wall time.

    For a batch, the counts are summed over its sequences and ``batch`` says how many
    there were; the seconds are the batch's wall time. ``cached_tokens`` of the prompt
    tokens came from the prefix cache (``prefix.py``) and were not computed again.
    """

    prompt_tokens: int
    new_tokens: int
    seconds: float
    prompt_seconds: float = 0.0
    batch: int = 1
    cached_tokens: int = 0

    @property
    def tokens_per_second(self) -> float:
        """Return new tokens per second of wall time, the prompt pass included."""
        return self.new_tokens / self.seconds if self.seconds else 0.0

    @property
    def prefill_tokens_per_second(self) -> float:
        """Return computed prompt tokens (not those from the prefix cache) per second of
        the prompt pass."""
        computed = self.prompt_tokens - self.cached_tokens
        return computed / self.prompt_seconds if self.prompt_seconds > 0 else 0.0

    @property
    def decode_tokens_per_second(self) -> float:
        """Return new tokens per second after the first step of each sequence."""
        decoding = self.seconds - self.prompt_seconds
        after_first = self.new_tokens - self.batch
        return after_first / decoding if decoding > 0 and after_first > 0 else 0.0


def default_batch_size(device: str, prompt_lookup: int | None) -> int:
    """Return how many events to decode at once: 1 with prompt lookup (batch 1 only)."""
    if prompt_lookup:
        return 1
    return CUDA_BATCH if device.startswith("cuda") else CPU_BATCH


class Clock:
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


class Stop:
    """Stop a sequence once its digest passes ``max_words`` or its last 12 new tokens
    repeat earlier ones. Answers per row, so that each event of a batch stops on its own."""

    def __init__(self, tokenizer: Any, prompt_tokens: int, *, max_words: int) -> None:
        self.tokenizer, self.start, self.max_words = tokenizer, prompt_tokens, max_words

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        done = [self._done(row) for row in input_ids[:, self.start :].tolist()]
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)

    def _done(self, new: list[int]) -> bool:
        return reply_done(new, self._decode, self.max_words)

    def _decode(self, new: Sequence[int]) -> str:
        return str(self.tokenizer.decode(new, skip_special_tokens=True))


def pick_dtype(torch: Any, device: str) -> str:
    """Return bfloat16 where it is native (CUDA, AVX-512 BF16, AMX), else "mixed"."""
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


def use_mixed_linear(model: Any) -> None:
    """Make long CPU inputs use float32 matmuls: emulated bf16 is 6x slower there."""
    import torch

    mixed = _mixed_linear_class()
    for module in model.modules():
        if type(module) is torch.nn.Linear:
            module.__class__ = mixed
