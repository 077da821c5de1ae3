"""Stage 4, check: sentences against their sources.

``verify`` aligns a sentence with the source sentences that support it (embeddings
and shared words) and ``facts`` finds the numbers and names a sentence states that
the sources lack; the summarize stage cites and drops with both. ``injection``
spots instructions hidden in articles. ``compare``, ``compare_io`` and
``compare_render`` make the `briefing compare` report (a summary checked against
its sources, with ``metrics``: ROUGE, novel n-grams, extractive fragments).
"""

from .compare import Comparison, EventComparison, compare_summary
from .facts import unsupported_facts
from .injection import is_instruction
from .metrics import RougeScores, rouge
from .verify import Alignment, align, source_text

__all__ = [
    "Alignment",
    "Comparison",
    "EventComparison",
    "RougeScores",
    "align",
    "compare_summary",
    "is_instruction",
    "rouge",
    "source_text",
    "unsupported_facts",
]
