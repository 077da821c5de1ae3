"""Reuse the model's work on a prompt's opening: the KV cache of the last sequence.

Two prompts in a row often open alike: every event's prompt starts with the chat
header and the same instructions, and the guard's request to revise a digest repeats
the whole conversation that wrote it (prompt and reply) before its new turn. The
attention keys and values of those shared tokens are the same, so the engine keeps
the last sequence's cache and computes only what follows the longest common prefix,
as llama.cpp's ``Llama.generate`` does for the llama backend. The hf backend keeps a
``PrefixCache`` of one sequence (tens of MB for a 1.5B model and 800 tokens).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MIN_REUSE = 8  # tokens: a shorter common prefix is not worth keeping a cache for


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """Return how many leading tokens ``a`` and ``b`` share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class PrefixCache:
    """The token ids of the last sequence and its KV cache (a transformers ``Cache``)."""

    def __init__(self) -> None:
        self._tokens: list[int] = []
        self._cache: Any = None

    def take(self, tokens: Sequence[int]) -> tuple[Any, int]:
        """Return the cache cut to the prefix it shares with ``tokens`` and its length,
        or (None, 0) when they share fewer than ``MIN_REUSE`` tokens. The cache is handed
        over (generation extends it in place): ``keep`` the new one afterwards."""
        cache, self._cache = self._cache, None
        if cache is None:
            return None, 0
        length = int(cache.get_seq_length())
        # at least one token of the new prompt must be computed, to give the next logits
        reuse = min(common_prefix(self._tokens, tokens), length, len(tokens) - 1)
        if reuse < MIN_REUSE:
            return None, 0
        if reuse < length:
            cache.crop(reuse - length)  # a negative count: remove that many from the end
        return cache, reuse

    def keep(self, tokens: Sequence[int], cache: Any) -> None:
        """Remember a finished sequence (prompt and reply tokens) and its cache."""
        self._tokens, self._cache = list(tokens), cache

    def clear(self) -> None:
        """Forget the kept sequence."""
        self._tokens, self._cache = [], None
