"""The configuration file (TOML): one frozen ``Config``, validated when it is read.

Invariants:

- Every key has a default; a file only overrides. An unknown key or table, or a
  value of the wrong type or out of range, is a ``ConfigError`` that names the
  file and the key (``extra="forbid"``, as llm does for its YAML templates).
- Relative paths in a file are relative to that file's folder; ``~`` is expanded.
- Precedence (flag > environment > file > default) is applied by the CLI: it
  reads flags and ``BRIEFING_*`` variables through click and passes only the
  values given; ``load_config`` never reads the environment.

Layout::

    corpus = ["corpus"]            # folders/files read by `briefing build`
    out = "outputs"                # folder for the dated briefings
    db = "briefing.db"             # SQLite store (default $BRIEFING_HOME/briefing.db)
    window = 2                     # days
    backend = "auto"               # the fastest for this CPU; or "hf", "llama", "extractive"
    model = "qwen2.5-coder-1.5b-instruct"
    max_words = 90
    max_article_chars = 200_000    # size limits (see ingest/limits.py)
    max_corpus_chars = 5_000_000
    max_input_tokens = 450         # hf: source excerpt tokens per event
    formats = ["md", "html", "json"]
    templates = ["my-templates"]   # folders overriding the shipped templates
    prompts = "my-prompts"         # folder overriding the shipped prompts
    executor = "local"             # or "ray": digests and embeddings on a Ray cluster
    ray_address = "head:6379"      # ray: the cluster (default: start a local instance)
    workers = 2                    # ray: actors, each holding a model (default: one per node)
    device = "auto"                # auto, cpu or cuda
    feeds = ["https://example.org/rss", {url = "https://example.com/atom", name = "Example"}]

    [fetch]                        # `briefing fetch`
    folder = "fetched"             # where fetched articles are written as JSON
    delay = 1.0                    # seconds between two requests to one host
    timeout = 20.0                 # seconds per request
    max_bytes = 5_000_000          # larger responses are abandoned
    max_redirects = 5
    user_agent = "briefing/0.1.0 (+mailto:you@example.org)"

    [email]                        # see publish/smtp.py / `briefing send`
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..ingest.fetch import Feed
from ..ingest.httpget import FetchSettings
from ..ingest.limits import MAX_ARTICLE_CHARS, MAX_CORPUS_CHARS
from .schema import FETCH_KEYS, FORMATS, TABLES, TOP_KEYS, check_email, check_keys


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting of a run; ``path`` is the file it was read from (None: defaults)."""

    path: Path | None = None
    corpus: tuple[Path, ...] | None = None  # None: ./corpus, or none when feeds are set
    feeds: tuple[Feed, ...] = ()
    out: Path = Path("outputs")
    db: Path | None = None  # None: $BRIEFING_HOME/briefing.db (see with_home)
    window: int = 2
    backend: str = "auto"  # resolved by summarize.registry.resolve_backend
    model: str | None = None
    max_words: int = 90
    max_article_chars: int = MAX_ARTICLE_CHARS
    max_corpus_chars: int = MAX_CORPUS_CHARS
    max_input_tokens: int | None = None  # None: the backend's own default (hf: 450)
    formats: tuple[str, ...] = FORMATS
    templates: tuple[Path, ...] = ()
    prompts: Path | None = None
    executor: str = "local"
    ray_address: str | None = None  # None: start a local Ray instance
    workers: int | None = None  # None: one Ray worker per node (per GPU on CUDA)
    device: str = "auto"
    fetch: FetchSettings = field(default_factory=FetchSettings)
    email: tuple[tuple[str, Any], ...] = ()  # the checked [email] table, as pairs

    def email_table(self) -> dict[str, Any]:
        """Return the ``[email]`` table as a dict (lists as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.email}

    def with_home(self, home: Path) -> Config:
        """Fill the paths that default to the briefing home folder."""
        fetch = self.fetch if self.fetch.folder else replace(self.fetch, folder=home / "fetched")
        return replace(self, db=self.db or home / "briefing.db", fetch=fetch)

    def corpus_paths(self) -> tuple[Path, ...]:
        """Return what `build` reads: the corpus, plus the fetched folder when feeds are set."""
        corpus = self.corpus if self.corpus is not None else (
            () if self.feeds else (Path("corpus"),))
        if self.feeds and self.fetch.folder is not None:
            return (*corpus, self.fetch.folder)
        return corpus


def load_config(path: Path) -> Config:
    """Read and check a TOML config file; raise ConfigError naming the file and key."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    check_keys(path, doc, [*TOP_KEYS, *TABLES], "")
    values: dict[str, Any] = {k: check(path, k, doc[k])
                              for k, check in TOP_KEYS.items() if k in doc}
    fetch = doc.get("fetch", {})
    if not isinstance(fetch, dict):
        raise ConfigError(f"config file {path}: [fetch] must be a table")
    check_keys(path, fetch, list(FETCH_KEYS), "[fetch] ")
    fetch_values = {k: check(path, f"[fetch] {k}", fetch[k])
                    for k, check in FETCH_KEYS.items() if k in fetch}
    email = check_email(path, doc["email"]) if "email" in doc else ()
    return Config(path=path, fetch=FetchSettings(**fetch_values), email=email, **values)


def find_config(explicit: Path | None, home: Path) -> Config:
    """Load ``explicit`` (which must exist), else ``home/config.toml`` if present, else defaults."""
    if explicit is not None:
        return load_config(explicit)
    default = home / "config.toml"
    return load_config(default) if default.is_file() else Config()


def load_email_config(path: Path) -> dict[str, Any]:
    """Read the ``[email]`` table of a TOML config file (the whole file is checked)."""
    return load_config(path).email_table()
