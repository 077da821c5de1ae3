"""The package's version, and where the shipped templates and prompts are found.

In a source checkout they are the top-level ``templates/`` and ``prompts/``
folders; an installed wheel carries them inside the package
(``briefing/templates``, ``briefing/prompts``), see ``pyproject.toml``.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"
_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the shipped folder ``name`` (``templates`` or ``prompts``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the shipped {name}/ folder is missing from {_PACKAGE}")
