"""Does batching events help the hf backend on this CPU? Time one decoding step at batch 1, 2, 4.

Batching pays when a decoding step is bound by reading the weights (memory), so that
two sequences cost little more than one. This script loads the tool's model as the
backend does, fills a KV cache with 600 prompt tokens per sequence, then times
STEPS single-token decoding steps at each batch size. It prints CPU seconds per step
(less disturbed by other processes than wall time) and per sequence-token; batching
helps only if the per-sequence-token cost falls well below batch 1's. Usage:

    .venv/bin/python bench/bench_batching.py [--steps 12] [--context 600]
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    """Time decoding steps at batch sizes 1, 2, 4 and 1 again (a drift check)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--context", type=int, default=600)
    args = parser.parse_args()
    import torch

    from briefing.summarize.backends.hf import HFSummarizer

    hf = HFSummarizer()
    model = hf._model  # the loaded model, dtype chosen as in a build
    torch.manual_seed(0)
    print(f"dtype {hf.dtype}, {torch.get_num_threads()} threads, load {os.getloadavg()[0]:.1f}")
    base = None
    for batch in (1, 2, 4, 1):
        ids = torch.randint(100, 20000, (batch, args.context))
        with torch.inference_mode():
            out = model(input_ids=ids, use_cache=True)
            past, token = out.past_key_values, out.logits[:, -1:].argmax(-1)
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(args.steps):
                out = model(input_ids=token, past_key_values=past, use_cache=True)
                past, token = out.past_key_values, out.logits[:, -1:].argmax(-1)
            cpu = (time.process_time() - cpu) / args.steps
            wall = (time.perf_counter() - wall) / args.steps
        base = base or cpu
        print(
            f"batch {batch}: {cpu:.3f} CPU s/step, {cpu / batch:.3f} per sequence-token "
            f"({base / (cpu / batch):.2f}x batch 1's throughput), wall {wall:.3f} s/step",
            flush=True,
        )


if __name__ == "__main__":
    main()
