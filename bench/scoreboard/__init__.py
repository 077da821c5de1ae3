"""The quality scoreboard: every judgement of the tool beside a simple baseline, on every dev set.

``python -m bench.scoreboard [--quick] [--only PART]`` (or ``make scoreboard``) runs the
parts (grouping, digests, truth, history, speed; see each module), prints one table per
part and writes them to ``bench/SCOREBOARD.md`` with the date, the commit, the machine
(CPU model and AVX2 / AVX-512 / AMX flags) and each part's run time. Every figure is
recomputed in the run; only embeddings are shared between parts, in memory.
"""
