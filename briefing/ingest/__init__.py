"""Stage 1, ingest: files and feeds in, ``Article``s out.

Takes paths (files or folders of .txt, .md, .html, .json, .eml...) and gives a
``Corpus``: the ``Article``s read (text decoded, HTML reduced to text, title, date,
outlet and author found, id = content hash) and the files ``Skipped`` with a reason.
``fetch`` downloads RSS/Atom feeds and their pages into a folder that ``ingest``
then reads; ``limits`` caps an article's and a corpus's size.

Modules: ``readers`` (the entry point), ``decode``, ``htmltext``, ``textmeta`` and
``dates`` (metadata of plain text), ``limits``, ``fetch``, ``httpget`` (the polite
HTTP client), ``fetchlog`` (what was fetched, in the store).
"""

from .fetch import Feed, FetchReport, fetch_all
from .httpget import FetchSettings
from .limits import MAX_ARTICLE_CHARS, MAX_CORPUS_CHARS, cap_article, cap_corpus
from .readers import ingest, read_file

__all__ = [
    "Feed",
    "FetchReport",
    "FetchSettings",
    "MAX_ARTICLE_CHARS",
    "MAX_CORPUS_CHARS",
    "cap_article",
    "cap_corpus",
    "fetch_all",
    "ingest",
    "read_file",
]
