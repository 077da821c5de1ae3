"""Text out of HTML: a whole page's article (trafilatura), or a fragment's paragraphs.

Both return plain text only: markup, scripts and styles never reach an Article.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


def extract_html(html: str, *, url: str | None = None) -> dict[str, str | None] | None:
    """Extract an HTML page's main text and metadata with trafilatura (None: no text)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        return None
    return {"title": doc.title, "text": doc.text, "date": doc.date, "source": doc.sitename,
            "author": doc.author, "url": doc.url}


class _TextParser(HTMLParser):
    """Collect an HTML fragment's text, a paragraph break around each block element."""

    _BLOCKS = frozenset("p div br h1 h2 h3 h4 h5 h6 li blockquote pre tr section article".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # depth inside script and style elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_endtag(tag, step=1)

    def handle_endtag(self, tag: str, step: int = -1) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden + step)
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Return the text of an HTML fragment, paragraphs separated by blank lines."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return re.sub(r"[ \t]*\n\s*\n\s*", "\n\n", "".join(parser.parts)).strip()
