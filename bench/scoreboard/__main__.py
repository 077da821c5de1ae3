"""``python -m bench.scoreboard [--quick] [--only PART[,PART]] [--no-write]``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench.scoreboard import digests, grouping, history, speed, truth  # noqa: E402
from bench.scoreboard.common import CachedEmbedder, Section, commit, machine  # noqa: E402

PARTS = {"grouping": grouping, "digests": digests, "truth": truth, "history": history,
         "speed": speed}
OUT = Path(__file__).resolve().parents[1] / "SCOREBOARD.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scoreboard",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="the model on 12 events of half B, FRANK subsampled (<= 15 min)")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts: {', '.join(PARTS)}")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the Markdown")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--digests-out", type=Path, default=None,
                        help="also write every digest and headline as JSON lines here")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part {', '.join(unknown)}; known: {', '.join(PARTS)}")

    from briefing.events.embed import get_embedder

    started = time.perf_counter()
    embedder = CachedEmbedder(get_embedder())
    head = [
        f"# Scoreboard ({'quick' if args.quick else 'full'} run)",
        "",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- commit: {commit()}",
        f"- machine: {machine()}",
        f"- parts: {', '.join(parts)}",
        "",
    ]
    print("\n".join(head), flush=True)
    sections: list[Section] = []
    for name in parts:
        kwargs = {"dump": args.digests_out} if name == "digests" else {}
        for section in PARTS[name].run(embedder, args.quick, **kwargs):
            sections.append(section)
            print(section.markdown() + "\n", flush=True)
    total = time.perf_counter() - started
    tail = f"Total run time: {total / 60:.1f} min."
    print(tail)
    if not args.no_write:
        text = "\n".join(head) + "\n" + "\n\n".join(s.markdown() for s in sections)
        args.out.write_text(text + "\n\n" + tail + "\n", encoding="utf-8")
        print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
