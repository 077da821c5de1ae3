"""The config file's keys: one checker per key, each raising a ``ConfigError`` that names
the file and the key. ``config.load_config`` applies them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..ingest.fetch import Feed
from ..localmodels.device import check_device

FORMATS = ("md", "html", "json")
# [email] keys and the type each must have (kept in this order: error messages list them)
EMAIL_KEYS: dict[str, tuple[type, ...]] = {
    "host": (str,), "port": (int,), "security": (str,), "user": (str,),
    "password_file": (str,), "from": (str,), "to": (str, list), "timeout": (int, float),
    "retries": (int,), "backoff": (int, float), "ca_file": (str,),
}


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
    from ..summarize.registry import available

    name = _string(path, key, value)
    if name != "auto" and name not in available():
        known = ", ".join(["auto", *available()])
        raise _fail(path, key, f"is unknown: {name!r}; known backends: {known}")
    return name


def _executor(path: Path, key: str, value: Any) -> str:
    from ..summarize.executors import EXECUTORS

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


TOP_KEYS: dict[str, Callable[[Path, str, Any], Any]] = {
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


FETCH_KEYS: dict[str, Callable[[Path, str, Any], Any]] = {
    "folder": _path, "delay": _number(0, integer=False),
    "timeout": _number(0, integer=False, strict=True),
    "max_bytes": _number(1, integer=True), "max_redirects": _number(0, integer=True),
    "user_agent": _string,
}


TABLES = ("fetch", "email")


def check_keys(path: Path, table: Mapping[str, Any], known: list[str], where: str) -> None:
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(f"config file {path}: unknown {where}key {', '.join(unknown)}; "
                          f"known: {', '.join(known)}")


def check_email(path: Path, table: Any) -> tuple[tuple[str, Any], ...]:
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
