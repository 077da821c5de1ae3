"""Show comparisons: JSON (the documented format), a rich terminal table, Markdown, HTML.

Invariants: every string that came from the summary or the sources is data. The
HTML report autoescapes it (``compare.html.j2``; ``mark_facts`` escapes each
piece it wraps), Markdown escapes it with ``md_escape``/``md_code``, and the
terminal table prints it with rich markup off. The HTML report is one
self-contained page with no script: a click on a sentence targets its evidence
panel (``:target``), so its Content-Security-Policy allows no script at all.
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Sequence
from typing import Any

import jinja2
from markupsafe import Markup, escape
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..publish.render import make_environment, md_code, md_escape
from .compare import Comparison, EventComparison
from .judge import VERDICTS
from .metrics import RougeScores

FORMATS = ("table", "md", "json", "html")
_STYLE = {"supported": "green", "contradicted": "bold red", "not found": "yellow"}


def _rouge_dict(scores: RougeScores | None) -> dict[str, Any] | None:
    if scores is None:
        return None
    return {
        name: {"precision": round(r.precision, 4), "recall": round(r.recall, 4),
               "fmeasure": round(r.fmeasure, 4)}
        for name, r in (("rouge1", scores.rouge1), ("rouge2", scores.rouge2),
                        ("rougeL", scores.rougeL))
    }


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    """Convert a comparison to its JSON document, keys in a fixed order.

    ::

        {"support_score": float, "supported_share": float,
         "verdicts": {"supported": int, "contradicted": int, "not found": int},
         "length": {"words": int, "sentences": int},
         "rouge_sources": {"rouge1"|"rouge2"|"rougeL":
                           {"precision": float, "recall": float, "fmeasure": float}},
         "rouge_reference": same | null,
         "fragments": {"coverage": float, "density": float, "compression": float},
         "novel_ngrams": {"1": float, "2": float, "3": float, "4": float},
         "sentences": [{"position": int, "text": str, "verdict": str, "support": float,
                        "alignment": float, "differences": [str],
                        "unsupported_facts": [str], "novel_words": [str],
                        "evidence": [{"source": str, "position": int,
                                      "sentence": str, "score": float}]}],
         "sources": [{"name": str, "title": str, "words": int, "sentences": int}],
         "notes": [str]}
    """
    return {
        "support_score": c.support_score,
        "supported_share": c.supported_share,
        "verdicts": {v: c.count(v) for v in VERDICTS},
        "length": {"words": c.words, "sentences": len(c.sentences)},
        "rouge_sources": _rouge_dict(c.rouge_sources),
        "rouge_reference": _rouge_dict(c.rouge_reference),
        "fragments": {
            "coverage": round(c.fragments.coverage, 4),
            "density": round(c.fragments.density, 4),
            "compression": round(c.fragments.compression, 4),
        },
        "novel_ngrams": {str(n): round(r, 4) for n, r in enumerate(c.novel_ngrams, start=1)},
        "sentences": [
            {
                "position": s.position,
                "text": s.text,
                "verdict": s.verdict,
                "support": s.support,
                "alignment": s.alignment,
                "differences": list(s.differences),
                "unsupported_facts": list(s.unsupported_facts),
                "novel_words": list(s.novel_words),
                "evidence": [
                    {"source": e.source, "position": e.position, "sentence": e.sentence,
                     "score": e.score}
                    for e in s.evidence
                ],
            }
            for s in c.sentences
        ],
        "sources": [
            {"name": s.name, "title": s.title, "words": s.words, "sentences": s.sentences}
            for s in c.sources
        ],
        "notes": list(c.notes),
    }


def report_to_dict(items: Sequence[EventComparison], *, briefing: str | None = None) -> Any:
    """Return the JSON of a report: one comparison, or ``{"briefing", "events": [...]}``.

    A briefing's events carry ``rank`` and ``headline`` before the comparison's keys.
    """
    if briefing is None and len(items) == 1:
        return comparison_to_dict(items[0].comparison)
    return {
        "briefing": briefing,
        "events": [
            {"rank": i.rank, "headline": i.headline} | comparison_to_dict(i.comparison)
            for i in items
        ],
    }


def render_json(items: Sequence[EventComparison], *, briefing: str | None = None) -> str:
    """Render a report as indented UTF-8 JSON."""
    return json.dumps(report_to_dict(items, briefing=briefing), ensure_ascii=False, indent=2) + "\n"


def _percent(value: float) -> str:
    return f"{value:.0%}"


def table_renderables(items: Sequence[EventComparison]) -> list[RenderableType]:
    """Build the terminal report: per item a summary line, a sentence table and the metrics."""
    out: list[RenderableType] = []
    for item in items:
        c = item.comparison
        title = Text(f"{item.rank}. {item.headline}\n" if item.rank else "", style="bold")
        title.append(f"support score {c.support_score:.2f}", style="bold")
        title.append(
            f" · {c.count('supported')} of {len(c.sentences)} sentences supported"
            f" · {c.words} words"
        )
        table = Table(show_lines=True, expand=True)
        for name, kwargs in (("#", {"justify": "right", "width": 3}), ("sentence", {"ratio": 3}),
                             ("verdict", {}), ("support", {"justify": "right"}),
                             ("best evidence", {"ratio": 3}),
                             ("differs / not in sources", {"ratio": 2})):
            table.add_column(name, **kwargs)
        for s in c.sentences:
            where = Text("")
            if s.evidence:
                best = s.evidence[0]
                where.append(f"{best.source} #{best.position} ({best.score:.2f})\n", style="dim")
                where.append(best.sentence)
            missing = Text("", style="red")
            if s.differences:
                missing.append("differs: " + ", ".join(s.differences) + "\n", style="bold red")
            missing.append(", ".join(s.unsupported_facts))
            if s.novel_words:
                missing.append(("; " if s.unsupported_facts else "") + ", ".join(s.novel_words))
            table.add_row(str(s.position), Text(s.text), Text(s.verdict, style=_STYLE[s.verdict]),
                          f"{s.support:.2f}", where, missing)
        out += [title, table, _metrics_table(c)]
        out += [Text(f"note: {n}", style="yellow") for n in c.notes]
    return out


def _metrics_table(c: Comparison) -> Table:
    table = Table(title="metrics", title_justify="left", show_header=True, box=None, padding=(0, 2))
    table.add_column("metric")
    table.add_column("value", justify="right")
    for label, scores in (("vs sources", c.rouge_sources), ("vs reference", c.rouge_reference)):
        if scores is not None:
            values = (scores.rouge1, scores.rouge2, scores.rougeL)
            table.add_row(f"ROUGE-1/2/L F1 {label}", "/".join(f"{v.fmeasure:.3f}" for v in values))
    f = c.fragments
    table.add_row("coverage / density / compression",
                  f"{f.coverage:.2f} / {f.density:.2f} / {f.compression:.1f}")
    table.add_row("novel 1/2/3/4-grams", " / ".join(_percent(r) for r in c.novel_ngrams))
    table.add_row("supported sentences", _percent(c.supported_share))
    return table


def render_table(items: Sequence[EventComparison], *, width: int = 120) -> str:
    """Render the terminal report as plain text (no colours), for files and tests."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    console.print(Group(*table_renderables(items)))
    return buffer.getvalue()


def md_cell(text: object) -> str:
    """Escape a string for a Markdown table cell (``md_escape`` plus the pipe)."""
    return md_escape(text).replace("|", "\\|")


def mark_facts(text: str, marked: Sequence[str]) -> Markup:
    """Escape a sentence and wrap each of the given facts or words in ``<mark>``."""
    wanted = sorted({m for m in marked if m}, key=len, reverse=True)
    if not wanted:
        return Markup(escape(text))
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(m) for m in wanted) + r")(?!\w)", re.IGNORECASE
    )
    pieces = [
        Markup("<mark>{}</mark>").format(p) if n % 2 else escape(p)
        for n, p in enumerate(pattern.split(text))
    ]
    return Markup("").join(pieces)


@functools.cache
def _environment() -> jinja2.Environment:
    env = make_environment()
    env.filters.update({"md_cell": md_cell, "mark_facts": mark_facts, "md_code": md_code,
                        "percent": _percent})
    return env


def _render(name: str, items: Sequence[EventComparison], title: str) -> str:
    template = _environment().get_template(name)
    return template.render(items=items, title=title, verdicts=VERDICTS)


def render_markdown(items: Sequence[EventComparison], *, title: str = "Summary check") -> str:
    """Render a report as Markdown: verdicts, evidence and metrics per summary."""
    return _render("compare.md.j2", items, title)


def render_html(items: Sequence[EventComparison], *, title: str = "Summary check") -> str:
    """Render a report as one self-contained HTML page (no script, strict CSP)."""
    return _render("compare.html.j2", items, title)
