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
    backend = "hf"                 # or "extractive"
    model = "qwen2.5-coder-1.5b-instruct"
    max_words = 90
    max_article_chars = 200_000    # size limits (see limits.py)
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

    [email]                        # see smtp.py / `briefing send`
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import __version__
from .device import check_device
from .errors import ConfigError
from .limits import MAX_ARTICLE_CHARS, MAX_CORPUS_CHARS

FORMATS = ("md", "html", "json")
DEFAULT_USER_AGENT = f"briefing/{__version__} (local news briefing generator)"
# [email] keys and the type each must have (kept in this order: error messages list them)
EMAIL_KEYS: dict[str, tuple[type, ...]] = {
    "host": (str,), "port": (int,), "security": (str,), "user": (str,),
    "password_file": (str,), "from": (str,), "to": (str, list), "timeout": (int, float),
    "retries": (int,), "backoff": (int, float), "ca_file": (str,),
}


@dataclass(frozen=True, slots=True)
class Feed:
    """An RSS or Atom feed to fetch; ``name`` (optional) becomes its articles' outlet."""

    url: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How `briefing fetch` behaves on the network."""

    folder: Path | None = None  # None: $BRIEFING_HOME/fetched (see Config.with_home)
    delay: float = 1.0
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting of a run; ``path`` is the file it was read from (None: defaults)."""

    path: Path | None = None
    corpus: tuple[Path, ...] | None = None  # None: ./corpus, or none when feeds are set
    feeds: tuple[Feed, ...] = ()
    out: Path = Path("outputs")
    db: Path | None = None  # None: $BRIEFING_HOME/briefing.db (see with_home)
    window: int = 2
    backend: str = "hf"
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


def _fail(path: Path, key: str, problem: str) -> ConfigError:
    return ConfigError(f"config file {path}: {key} {problem}")


def _number(minimum: float, *, integer: bool, strict: bool = False,
            maximum: float | None = None) -> Callable[[Path, str, Any], Any]:
    def check(path: Path, key: str, value: Any) -> Any:
        types = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, types):
            raise _fail(path, key, f"must be {'an integer' if integer else 'a number'}, "
                        f"not {value!r}")
        low = value <= minimum if strict else value < minimum
        if low or (maximum is not None and value > maximum):
            bound = f"greater than {minimum:g}" if strict else f"at least {minimum:g}"
            bound += f" and at most {maximum:g}" if maximum is not None else ""
            raise _fail(path, key, f"must be {bound}, not {value!r}")
        return value if integer else float(value)
    return check


def _string(path: Path, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, key, f"must be a non-empty string, not {value!r}")
    return value


def _path(path: Path, key: str, value: Any) -> Path:
    return (path.parent / Path(_string(path, key, value)).expanduser()).resolve()


def _folders(path: Path, key: str, value: Any) -> tuple[Path, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise _fail(path, key, f"must be a string or a list of strings, not {value!r}")
    return tuple(_path(path, key, item) for item in items)


def _backend(path: Path, key: str, value: Any) -> str:
    from .summarize import available

    name = _string(path, key, value)
    if name not in available():
        raise _fail(path, key, f"is unknown: {name!r}; known backends: {', '.join(available())}")
    return name


def _executor(path: Path, key: str, value: Any) -> str:
    from .digests import EXECUTORS

    if value not in EXECUTORS:
        raise _fail(path, key, f"must be one of {', '.join(EXECUTORS)}, not {value!r}")
    return str(value)


def _device(path: Path, key: str, value: Any) -> str:
    try:
        return check_device(_string(path, key, value))
    except ConfigError:
        raise _fail(path, key, f"must be auto, cpu, cuda or cuda:N, not {value!r}") from None


def _formats(path: Path, key: str, value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise _fail(path, key, f"must be a list of formats ({', '.join(FORMATS)}), not {value!r}")
    unknown = [i for i in items if i.strip().lower() not in FORMATS]
    if unknown:
        raise _fail(path, key, f"has unknown format {', '.join(map(repr, unknown))}; "
                    f"choose from {', '.join(FORMATS)}")
    return tuple(dict.fromkeys(i.strip().lower() for i in items))


def _url(path: Path, key: str, value: Any) -> str:
    url = _string(path, key, value).strip()
    if not url.lower().startswith(("http://", "https://")):
        raise _fail(path, key, f"must be an http:// or https:// URL, not {value!r}")
    return url


def _feeds(path: Path, key: str, value: Any) -> tuple[Feed, ...]:
    if not isinstance(value, list):
        raise _fail(path, key, "must be a list of URLs or {url = ..., name = ...} tables")
    feeds = []
    for n, item in enumerate(value, start=1):
        where = f"{key}[{n}]"
        if isinstance(item, str):
            feeds.append(Feed(_url(path, where, item)))
        elif isinstance(item, dict):
            unknown = sorted(set(item) - {"url", "name"})
            if unknown or "url" not in item:
                problem = f"has unknown key {', '.join(unknown)}" if unknown else "has no url"
                raise _fail(path, where, f"{problem}; known: url, name")
            name = _string(path, f"{where}.name", item["name"]) if "name" in item else None
            feeds.append(Feed(_url(path, f"{where}.url", item["url"]), name))
        else:
            raise _fail(path, where, f"must be a URL or a table, not {item!r}")
    return tuple(feeds)


_TOP: dict[str, Callable[[Path, str, Any], Any]] = {
    "corpus": _folders, "feeds": _feeds, "out": _path, "db": _path,
    "window": _number(0, integer=True), "backend": _backend, "model": _string,
    "max_words": _number(10, integer=True, maximum=1000), "formats": _formats,
    "max_article_chars": _number(1000, integer=True),
    "max_corpus_chars": _number(1000, integer=True),
    "max_input_tokens": _number(50, integer=True),
    "templates": _folders, "prompts": _path,
    "executor": _executor, "ray_address": _string, "workers": _number(1, integer=True),
    "device": _device,
}
_FETCH: dict[str, Callable[[Path, str, Any], Any]] = {
    "folder": _path, "delay": _number(0, integer=False),
    "timeout": _number(0, integer=False, strict=True),
    "max_bytes": _number(1, integer=True), "max_redirects": _number(0, integer=True),
    "user_agent": _string,
}
_TABLES = ("fetch", "email")


def _check_keys(path: Path, table: Mapping[str, Any], known: list[str], where: str) -> None:
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(f"config file {path}: unknown {where}key {', '.join(unknown)}; "
                          f"known: {', '.join(known)}")


def _email(path: Path, table: Any) -> tuple[tuple[str, Any], ...]:
    """Check the ``[email]`` table's keys and types; resolve its file paths."""
    if not isinstance(table, dict):
        raise ConfigError(f"config file {path}: [email] must be a table")
    unknown = sorted(set(table) - set(EMAIL_KEYS))
    if unknown:
        hint = " (use password_file or BRIEFING_SMTP_PASSWORD)" if "password" in unknown else ""
        raise ConfigError(f"config file {path}: unknown [email] key {', '.join(unknown)}{hint}; "
                          f"known: {', '.join(EMAIL_KEYS)}")
    for key, value in table.items():
        types = EMAIL_KEYS[key]
        if isinstance(value, bool) or not isinstance(value, types) or (
            isinstance(value, list) and not all(isinstance(v, str) for v in value)
        ):
            want = " or ".join("list of strings" if t is list else t.__name__ for t in types)
            raise ConfigError(f"config file {path}: [email] {key} must be a {want}")
    for key in ("password_file", "ca_file"):  # relative to the config file
        if key in table:
            table[key] = str(path.parent / Path(table[key]).expanduser())
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in table.items())


def load_config(path: Path) -> Config:
    """Read and check a TOML config file; raise ConfigError naming the file and key."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    _check_keys(path, doc, [*_TOP, *_TABLES], "")
    values: dict[str, Any] = {k: check(path, k, doc[k]) for k, check in _TOP.items() if k in doc}
    fetch = doc.get("fetch", {})
    if not isinstance(fetch, dict):
        raise ConfigError(f"config file {path}: [fetch] must be a table")
    _check_keys(path, fetch, list(_FETCH), "[fetch] ")
    fetch_values = {k: check(path, f"[fetch] {k}", fetch[k])
                    for k, check in _FETCH.items() if k in fetch}
    email = _email(path, doc["email"]) if "email" in doc else ()
    return Config(path=path, fetch=FetchSettings(**fetch_values), email=email, **values)


def find_config(explicit: Path | None, home: Path) -> Config:
    """Load ``explicit`` (which must exist), else ``home/config.toml`` if present, else defaults."""
    if explicit is not None:
        return load_config(explicit)
    default = home / "config.toml"
    return load_config(default) if default.is_file() else Config()
