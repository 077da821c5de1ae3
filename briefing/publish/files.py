"""Write a set of files all or nothing.

Invariants: a target file is only ever replaced by ``os.replace`` of a complete,
fsynced temp file in the same folder, so it holds either its old bytes or its new
ones; and no target is replaced until every temp file of the set has been written,
so a full or read-only disk (or any other write error) leaves all of them as they
were. Temp files are removed on failure, and errors removing them never hide the
first error.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from ..errors import OutputError


def write_files(files: Mapping[Path, bytes]) -> None:
    """Write every file or none; raise OutputError naming the file and the reason."""
    staged: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            staged[path] = _stage(Path(path), data)
        for path, tmp in staged.items():
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        for tmp in staged.values():
            _discard(tmp)


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` in full to a new temp file beside ``path`` (fsynced); return it."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        _discard(tmp)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return tmp


def _discard(tmp: Path) -> None:
    """Remove a temp file if it is still there."""
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)
