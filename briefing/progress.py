"""The progress protocol of the slow stages (ingest, summarize, compare).

The library reports through ``Progress``; the CLI draws rich bars from it
(``cli.common.RichProgress``) and everything else passes nothing (``Silent``). It
lives here, below the stages and the pipeline, so that both sides import it.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress of the slow stages (the CLI draws bars from it)."""

    def start(self, stage: str, total: int) -> None: ...
    def advance(self, info: str = "") -> None: ...
    def finish(self) -> None: ...


class Silent:
    """Progress that shows nothing."""

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, info: str = "") -> None:
        pass

    def finish(self) -> None:
        pass
