"""The ``briefing`` command line: read options, make one library call, echo.

``main`` is the group (library errors become one line, exit status 1); one module
per command group: ``build`` (build, summarize), ``run`` (fetch, run), ``send``,
``compare``, ``models``; ``options`` and ``common`` are what they share, ``config``
and ``schema`` the config file. Only this package imports click.
"""

from .config import Config, find_config, load_config
from .main import cli

__all__ = [
    "Config",
    "cli",
    "find_config",
    "load_config",
]
