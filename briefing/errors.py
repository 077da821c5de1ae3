"""Errors raised by the library, with messages written for the user.

The CLI turns any ``BriefingError`` into a one-line message and exit status 1;
any other exception is a bug and keeps its traceback.
"""


class BriefingError(Exception):
    """Base class of every error the user should see as a plain message."""


class InputError(BriefingError):
    """An input file or folder cannot be used."""


class ArticleError(InputError):
    """One article cannot be read; the briefing goes on without it."""


class ConfigError(BriefingError):
    """A configuration value is unknown or invalid."""


class UnknownBackendError(BriefingError):
    """No summarizer backend is registered under that name."""


class ModelError(BriefingError):
    """A local model is missing, corrupt or unusable."""


class TemplateNotFoundError(BriefingError):
    """A template is in none of the searched folders."""


class OutputError(BriefingError):
    """An output file cannot be written."""


class StoreError(BriefingError):
    """The database cannot be opened or is busy."""


class DatabaseLockedError(StoreError):
    """Another build holds the database's lock."""
