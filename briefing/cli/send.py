"""``briefing send``: e-mail a built briefing, or a saved ``.eml``.

Settings resolve as flag > environment variable > ``[email]`` in the config
file > default. The password comes only from ``BRIEFING_SMTP_PASSWORD`` or a
file (``--smtp-password-file`` / ``[email] password_file``), never from a flag,
and is never echoed. ``smtp_options`` adds the same options to any command
(``briefing build --email``) and hands it an ``SmtpOptions``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import click

from ..errors import ConfigError
from ..publish.mail import locate_briefing, send_briefing, send_eml
from ..publish.render import make_environment
from ..publish.smtp import SECURITY, EmailSettings
from .config import Config, find_config

_PATH = click.Path(path_type=Path)
_FIELDS = {  # [email] config key -> EmailSettings field
    "host": "host", "port": "port", "security": "security", "user": "user",
    "from": "sender", "to": "recipients", "timeout": "timeout", "retries": "retries",
    "backoff": "backoff", "ca_file": "ca_file",
}
_OPTIONS = [
    click.option("--to", "to", multiple=True, metavar="ADDR",
                 help="Recipient, repeatable or comma-separated.  [env var: BRIEFING_SMTP_TO]"),
    click.option("--from", "sender", envvar="BRIEFING_SMTP_FROM", show_envvar=True,
                 metavar="ADDR", help="Sender address (default: briefing@localhost)."),
    click.option("--smtp-host", envvar="BRIEFING_SMTP_HOST", show_envvar=True,
                 help="SMTP server (default: localhost)."),
    click.option("--smtp-port", type=click.IntRange(1, 65535), envvar="BRIEFING_SMTP_PORT",
                 show_envvar=True, help="SMTP port (default: 587, 465 for tls, 25 for none)."),
    click.option("--smtp-security", type=click.Choice(SECURITY),
                 envvar="BRIEFING_SMTP_SECURITY", show_envvar=True,
                 help="Connection security (default: starttls)."),
    click.option("--smtp-user", envvar="BRIEFING_SMTP_USER", show_envvar=True,
                 help="Log in as this user (password: BRIEFING_SMTP_PASSWORD or a file)."),
    click.option("--smtp-password-file", type=_PATH, envvar="BRIEFING_SMTP_PASSWORD_FILE",
                 show_envvar=True, help="Read the SMTP password from this file."),
    click.option("--smtp-ca-file", type=_PATH, envvar="BRIEFING_SMTP_CA_FILE",
                 show_envvar=True, help="Trust this CA certificate (PEM) for TLS."),
    click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
                 envvar="BRIEFING_SMTP_TIMEOUT", show_envvar=True,
                 help="Seconds to wait for the server (default: 30)."),
    click.option("--config", "config_path", type=_PATH, envvar="BRIEFING_CONFIG", show_envvar=True,
                 help="Config file (default: $BRIEFING_HOME/config.toml if present)."),
]


def _read_password(path: Path) -> str:
    try:
        password = Path(path).expanduser().read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the SMTP password file {path}: "
                          f"{getattr(exc, 'strerror', None) or 'not UTF-8 text'}") from exc
    if not password:
        raise ConfigError(f"the SMTP password file {path} is empty")
    return password


@dataclass(frozen=True, slots=True)
class SmtpOptions:
    """The e-mail options of a command, as given by flags or their environment variables."""

    to: tuple[str, ...] = ()
    sender: str | None = None
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_security: str | None = None
    smtp_user: str | None = None
    smtp_password_file: Path | None = None
    smtp_ca_file: Path | None = None
    timeout: float | None = None
    config_path: Path | None = None

    def settings(self, environ: dict[str, str] | None = None, *,
                 config: Config | None = None) -> EmailSettings:
        """Resolve the settings: flag > environment > config file > default.

        ``config`` is the already loaded config file; without it, ``--config`` (or
        ``$BRIEFING_HOME/config.toml`` when present) is read.
        """
        from .common import home_dir  # late: cli.py imports this module to register `send`

        environ = dict(os.environ if environ is None else environ)
        if config is None:
            config = find_config(self.config_path, home_dir())
        table = config.email_table()
        values = {_FIELDS[k]: v for k, v in table.items() if k in _FIELDS}
        if isinstance(values.get("recipients"), str):
            values["recipients"] = [values["recipients"]]
        env_to = environ.get("BRIEFING_SMTP_TO", "").strip()
        flags = {
            "host": self.smtp_host, "port": self.smtp_port, "security": self.smtp_security,
            "user": self.smtp_user, "sender": self.sender, "timeout": self.timeout,
            "ca_file": self.smtp_ca_file,
            "recipients": list(self.to) or ([env_to] if env_to else None),
        }
        values.update({k: v for k, v in flags.items() if v is not None})
        values["recipients"] = tuple(values.get("recipients", ()))
        if values.get("ca_file") is not None:
            values["ca_file"] = Path(values["ca_file"])
        if self.smtp_password_file:
            values["password"] = _read_password(self.smtp_password_file)
        elif environ.get("BRIEFING_SMTP_PASSWORD"):
            values["password"] = environ["BRIEFING_SMTP_PASSWORD"]
        elif table.get("password_file"):
            values["password"] = _read_password(Path(table["password_file"]))
        return EmailSettings(**values)


def smtp_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the e-mail options to a click command; it receives them as ``smtp: SmtpOptions``."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        names = [f.name for f in fields(SmtpOptions)]
        kwargs["smtp"] = SmtpOptions(**{n: kwargs.pop(n) for n in names})
        return command(*args, **kwargs)

    for option in reversed(_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


@click.command("send")
@click.argument("briefing", required=False)
@click.option("--subject", help="Subject (default: the briefing's title, with its date).")
@smtp_options
@click.option("--out", "out_dir", default="outputs", show_default=True, type=_PATH,
              help="Folder where BRIEFING as a date is looked up.")
@click.option("--templates", "template_dirs", multiple=True, type=_PATH,
              help="A folder of templates overriding the shipped email.html.j2 (repeatable).")
@click.option("--dry-run", is_flag=True, help="Write the .eml next to the briefing; send nothing.")
@click.option("--eml", "eml", type=_PATH, help="Send this saved .eml instead of a briefing.")
def send(
    briefing: str | None,
    subject: str | None,
    smtp: SmtpOptions,
    out_dir: Path,
    template_dirs: tuple[Path, ...],
    dry_run: bool,
    eml: Path | None,
) -> None:
    """E-mail a briefing: HTML with a plain-text alternative.

    BRIEFING is a date (the briefing in --out) or the path of its .json or .html.
    A message that cannot be sent is saved as DATE.eml next to the briefing.

    \b
    Example:
        briefing send 2022-12-21 --to you@example.org \\
            --smtp-host 127.0.0.1 --smtp-port 8025 --smtp-security none
        briefing send --eml outputs/2022-12-21.eml
    """
    if (briefing is None) == (eml is None):
        raise click.UsageError("give either BRIEFING or --eml FILE")
    if eml is not None and (subject or dry_run or template_dirs):
        raise click.UsageError("--subject, --dry-run and --templates need BRIEFING, not --eml")
    settings = smtp.settings()
    if eml is not None:
        result = send_eml(eml, settings)
    else:
        result = send_briefing(
            locate_briefing(briefing or "", out_dir), settings, subject=subject,
            dry_run=dry_run, env=make_environment(template_dirs) if template_dirs else None,
        )
    if result.eml is not None:
        click.echo(f"Wrote {result.eml} (dry run: nothing sent to {', '.join(result.recipients)})")
    elif result.report is not None:
        tries = f" after {result.report.attempts} attempts" if result.report.attempts > 1 else ""
        click.echo(f"Sent {result.subject!r} to {', '.join(result.report.delivered)} "
                   f"via {settings.address}{tries}")
