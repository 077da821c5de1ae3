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
from bench.scoreboard.common import CachedEmbedder, commit, machine  # noqa: E402

PARTS = {"grouping": grouping, "digests": digests, "truth": truth, "history": history,
         "speed": speed}
OUT = Path(__file__).resolve().parents[1] / "SCOREBOARD.md"


TITLES = {"Grouping": "grouping", "Digests": "digests", "Truth": "truth", "History": "history",
          "Speed": "speed"}


def read_blocks(path: Path) -> dict[str, list[str]]:
    """Return the sections of an earlier scoreboard file by part (a section runs from its
    ``### `` title to the next), so that a run of some parts keeps the others."""
    found: dict[str, list[str]] = {}
    text = path.read_text(encoding="utf-8")
    for chunk in text.split("\n### ")[1:]:
        part = next((p for t, p in TITLES.items() if chunk.startswith(t)), None)
        if part:
            body = chunk.split("\n\nThis run took")[0].split("\n\nTotal run time")[0]
            found.setdefault(part, []).append("### " + body.rstrip())
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scoreboard",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="the model on 12 events of half B, FRANK subsampled (<= 15 min)")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts: {', '.join(PARTS)}")
    parser.add_argument("--out", type=Path, default=OUT,
                        help="where to write the Markdown; with --only, the other parts' "
                             "sections already there are kept, each with its own stamp")
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
    stamp = (f"{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}, commit {commit()}, "
             f"{'quick' if args.quick else 'full'} run")
    head = ["# Scoreboard", "", f"- machine: {machine()}", f"- this run: {stamp}; parts: "
            f"{', '.join(parts)}", ""]
    print("\n".join(head), flush=True)
    blocks: dict[str, list[str]] = {}
    for name in parts:
        kwargs = {"dump": args.digests_out} if name == "digests" else {}
        for section in PARTS[name].run(embedder, args.quick, **kwargs):
            section.notes.append(f"run: {stamp}")
            blocks.setdefault(name, []).append(section.markdown())
            print(section.markdown() + "\n", flush=True)
    total = time.perf_counter() - started
    tail = f"This run took {total / 60:.1f} min."
    print(tail)
    if not args.no_write:
        kept = read_blocks(args.out) if args.out.exists() else {}
        merged = [b for name in PARTS for b in (blocks.get(name) or kept.get(name, []))]
        head[3] += f" ({tail[:-1].lower()})"
        args.out.write_text("\n".join(head) + "\n" + "\n\n".join(merged) + "\n",
                            encoding="utf-8")
        print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
