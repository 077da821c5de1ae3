"""Several prompts decoded together by llama.cpp: one sequence each, in one context.

``llama_cpp.Llama`` keeps one sequence. This decoder holds a second context of the same
model with room for ``sequences`` of them in one unified KV cache, and runs llama.cpp's
own batch API (``llama_batch``, ``llama_decode``, ``llama_memory_seq_cp``):

1. the prefix all prompts share (the chat header and the instructions) is computed
   once, in sequence 0, and its cache cells are shared with the other sequences;
2. the rest of every prompt goes through in one batch (split at ``n_batch`` tokens);
3. then one step decodes the next token of every sequence still going, greedily, and
   a sequence stops on its own (end of turn, its token budget, or ``stop``) while the
   others go on.

A step costs about one read of the 4-bit weights whatever the number of sequences,
so decoding four events costs little more than one where memory bandwidth bounds it.
The greedy text can differ from one-at-a-time decoding where a near-tie token meets
another order of sums; ``bench/bench_digest_speed.py`` counts the digests that differ.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .prefix import common_prefix
from .runtime import GenerationStats

Stop = Callable[[Sequence[int]], bool]  # the reply so far (token ids): stop here?


class BatchDecoder:
    """Greedy decoding of up to ``sequences`` prompts at a time on a loaded ``Llama``."""

    def __init__(self, llm: Any, lib: Any, *, sequences: int, context: int) -> None:
        from llama_cpp._internals import LlamaContext

        params = type(llm.context_params).from_buffer_copy(llm.context_params)
        params.n_seq_max = sequences
        params.kv_unified = True  # the shared prefix's cells serve every sequence
        params.n_ctx = context
        self.sequences = sequences
        self._lib = lib
        self._ctx = LlamaContext(model=llm._model, params=params, verbose=False)
        self._n_batch = int(params.n_batch)
        self._batch = lib.llama_batch_init(self._n_batch, 0, sequences)
        self._vocab = llm._model.vocab
        self._n_vocab = llm.n_vocab()

    def close(self) -> None:
        """Free the batch and the context."""
        if self._batch is not None:
            self._lib.llama_batch_free(self._batch)
            self._batch = None
        self._ctx.close()

    def __del__(self) -> None:
        self.close()

    def generate(
        self, prompts: Sequence[Sequence[int]], *, budget: int, stop: Stop
    ) -> tuple[list[list[int]], GenerationStats]:
        """Return the new tokens of every prompt, and how the batch went."""
        if not 0 < len(prompts) <= self.sequences:
            raise ValueError(f"1 to {self.sequences} prompts at a time, not {len(prompts)}")
        needed = sum(len(p) + budget for p in prompts)
        if needed > self._ctx.n_ctx():
            raise ValueError(f"{needed} tokens do not fit the context of {self._ctx.n_ctx()}")
        lib, memory = self._lib, self._ctx.memory
        lib.llama_memory_clear(memory, True)
        start = time.perf_counter()
        shared = min(min(len(p) for p in prompts) - 1, _shared_prefix(prompts))
        self._feed([(0, i, t) for i, t in enumerate(prompts[0][:shared])], want=set())
        for seq in range(1, len(prompts)):
            lib.llama_memory_seq_cp(memory, 0, seq, 0, shared)
        rest = [(seq, pos, prompt[pos]) for seq, prompt in enumerate(prompts)
                for pos in range(shared, len(prompt))]  # fmt: skip
        last = {(seq, len(p) - 1) for seq, p in enumerate(prompts)}
        following = self._feed(rest, want=last)
        prompt_seconds = time.perf_counter() - start
        replies: list[list[int]] = [[] for _ in prompts]
        going = set(range(len(prompts)))
        while going:
            for seq in sorted(going):
                token = following[seq]
                if lib.llama_vocab_is_eog(self._vocab, token):
                    going.discard(seq)
                    continue
                replies[seq].append(token)
                if len(replies[seq]) >= budget or stop(replies[seq]):
                    going.discard(seq)
            step = [(seq, len(prompts[seq]) + len(replies[seq]) - 1, replies[seq][-1])
                    for seq in sorted(going)]  # fmt: skip
            if step:
                following = self._feed(step, want={(s, p) for s, p, _ in step})
        stats = GenerationStats(
            prompt_tokens=sum(len(p) for p in prompts),
            new_tokens=sum(len(r) for r in replies),
            seconds=time.perf_counter() - start,
            prompt_seconds=prompt_seconds,
            batch=len(prompts),
            cached_tokens=shared * (len(prompts) - 1),
        )
        return replies, stats

    def _feed(self, entries: list[tuple[int, int, int]], *, want: set[tuple[int, int]]) -> dict:
        """Decode (sequence, position, token) entries, ``n_batch`` at a time; return the
        greedy next token after each entry in ``want``, by sequence."""
        batch, found = self._batch, {}
        for first in range(0, len(entries), self._n_batch):
            chunk = entries[first : first + self._n_batch]
            batch.n_tokens = len(chunk)
            rows = {}
            for i, (seq, pos, token) in enumerate(chunk):
                batch.token[i], batch.pos[i] = token, pos
                batch.n_seq_id[i], batch.seq_id[i][0] = 1, seq
                batch.logits[i] = (seq, pos) in want
                if batch.logits[i]:
                    rows[seq] = i
            code = self._lib.llama_decode(self._ctx.ctx, batch)
            if code != 0:
                raise RuntimeError(f"llama_decode returned {code}")
            for seq, row in rows.items():
                logits = self._lib.llama_get_logits_ith(self._ctx.ctx, row)
                found[seq] = int(np.ctypeslib.as_array(logits, shape=(self._n_vocab,)).argmax())
        return found


def _shared_prefix(prompts: Sequence[Sequence[int]]) -> int:
    """Return how many first tokens all the prompts share."""
    shared = len(prompts[0])
    for prompt in prompts[1:]:
        shared = min(shared, common_prefix(prompts[0], prompt))
    return shared
