"""SMTP settings and delivery: connect, secure, log in, send, retry 4xx replies.

Invariants:

- The password is never part of a message, a log line or a ``repr``.
- A 4xx reply (temporary) is retried at most ``settings.retries`` times, waiting
  ``backoff * 2**n`` seconds (``sleep`` is injectable); recipients the server
  accepted are never sent to twice. Everything else fails at once.
- Every failure is a ``SendError`` whose message is one line naming what went
  wrong and where; the caller decides what to do with the unsent message.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from ..errors import BriefingError, ConfigError

logger = logging.getLogger(__name__)

SECURITY = ("none", "starttls", "tls")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}


class MailError(BriefingError):
    """A message cannot be built, saved or sent."""


class SendError(MailError):
    """The SMTP server could not be reached or did not take the message.

    ``refused`` maps each recipient the server refused to its reply; ``delivered``
    lists those it accepted (a partial failure has both).
    """

    def __init__(self, message: str, *, delivered: tuple[str, ...] = (),
                 refused: Mapping[str, tuple[int, str]] | None = None) -> None:
        super().__init__(message)
        self.delivered = delivered
        self.refused = dict(refused or {})


@dataclass(frozen=True, slots=True)
class EmailSettings:
    """Where and how to send: SMTP server, credentials, sender and recipients."""

    host: str = "localhost"
    port: int | None = None  # None: 25, 587 or 465 by security
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str | None = None  # None: mail.DEFAULT_SENDER
    recipients: tuple[str, ...] = ()
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    ca_file: Path | None = None

    def __post_init__(self) -> None:
        if self.security not in SECURITY:
            raise ConfigError(f"unknown SMTP security {self.security!r}; "
                              f"choose from {', '.join(SECURITY)}")
        if self.port is not None and not 0 < self.port < 65536:
            raise ConfigError(f"SMTP port {self.port} is not between 1 and 65535")
        if self.timeout <= 0 or self.retries < 0 or self.backoff < 0:
            raise ConfigError("SMTP timeout must be positive, retries and backoff not negative")

    @property
    def address(self) -> str:
        """Return ``host:port`` as the settings resolve it."""
        return f"{self.host}:{self.port or DEFAULT_PORTS[self.security]}"


@dataclass(frozen=True, slots=True)
class SendReport:
    """What the server accepted, and after how many attempts."""

    delivered: tuple[str, ...]
    attempts: int


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return " ".join(f"{code} {text}".split())


def _tls_context(settings: EmailSettings) -> ssl.SSLContext:
    cafile = str(settings.ca_file) if settings.ca_file else None
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot load the CA file {settings.ca_file}: "
                          f"{getattr(exc, 'strerror', None) or exc}") from exc


def _connect(settings: EmailSettings, factory: Callable[..., smtplib.SMTP] | None,
             context: ssl.SSLContext | None) -> smtplib.SMTP:
    port = settings.port or DEFAULT_PORTS[settings.security]
    kwargs: dict[str, Any] = {"timeout": settings.timeout}
    if settings.security == "tls":
        kwargs["context"] = context
        factory = factory or smtplib.SMTP_SSL
    smtp = (factory or smtplib.SMTP)(settings.host, port, **kwargs)
    try:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.user:
            smtp.login(settings.user, settings.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _describe(exc: BaseException, settings: EmailSettings) -> str:
    """Say in one line what went wrong talking to the server."""
    where = settings.address
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (f"authentication failed for user {settings.user!r} at {where} "
                f"({_reply(exc.smtp_code, exc.smtp_error)})")
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = _reply(exc.smtp_code, exc.smtp_error)
        if isinstance(exc, smtplib.SMTPConnectError):
            return f"{where} refused the connection ({reply})"
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return f"{where} refused the sender {exc.sender} ({reply})"
        return f"{where} refused the message ({reply})"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        fix = "; use --smtp-security none or tls" if "STARTTLS" in str(exc) else ""
        return f"{where}: {str(exc).rstrip('.')}{fix}"
    if isinstance(exc, ConnectionRefusedError):
        return f"cannot connect to {where}: connection refused"
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return f"no answer from {where} within {settings.timeout:g} s"
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve the SMTP host {settings.host!r}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"TLS certificate of {where} not trusted ({exc.verify_message}); "
                "pass its CA with --smtp-ca-file")
    if isinstance(exc, ssl.SSLError):
        return f"TLS with {where} failed: {exc.reason or exc}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"{where} closed the connection unexpectedly"
    if isinstance(exc, smtplib.SMTPException):
        return f"SMTP error with {where}: {exc}"
    return f"cannot talk to {where}: {getattr(exc, 'strerror', None) or exc}"


def _temporary(exc: BaseException) -> bool:
    code = getattr(exc, "smtp_code", 0)
    return isinstance(exc, smtplib.SMTPResponseException) and 400 <= code < 500


def _attempt(message: EmailMessage, sender: str, recipients: list[str],
             settings: EmailSettings, factory: Callable[..., smtplib.SMTP] | None,
             context: ssl.SSLContext | None) -> dict[str, tuple[int, str]]:
    """Send once; return the refused recipients (raises on whole-message failure)."""
    smtp = _connect(settings, factory, context)
    try:
        refused = smtp.send_message(message, from_addr=sender, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        refused = exc.recipients
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return {addr: (code, _reply(code, text)) for addr, (code, text) in refused.items()}


def send(
    message: EmailMessage,
    settings: EmailSettings,
    *,
    sender: str,
    recipients: tuple[str, ...],
    smtp_factory: Callable[..., smtplib.SMTP] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendReport:
    """Send ``message`` over SMTP, retrying 4xx replies with exponential backoff."""
    if settings.user and settings.password is None:
        raise ConfigError(f"no password for SMTP user {settings.user!r}: set "
                          "BRIEFING_SMTP_PASSWORD or use --smtp-password-file")
    context = _tls_context(settings) if settings.security != "none" else None
    pending, delivered = list(recipients), []
    refused: dict[str, tuple[int, str]] = {}  # permanent refusals, by address
    attempt = 0
    while True:
        attempt += 1
        try:
            failed = _attempt(message, sender, pending, settings, smtp_factory, context)
        except (smtplib.SMTPException, OSError) as exc:
            if not _temporary(exc) or attempt > settings.retries:
                gave_up = f"; gave up after {attempt} attempts" if attempt > 1 else ""
                raise SendError(_describe(exc, settings) + gave_up,
                                delivered=tuple(delivered), refused=refused) from exc
            why = _describe(exc, settings)
        else:
            delivered += [r for r in pending if r not in failed]
            pending = [r for r, (code, _) in failed.items() if 400 <= code < 500]
            refused.update({r: reply for r, reply in failed.items()
                            if r not in pending or attempt > settings.retries})
            why = "; ".join(f"{r}: {failed[r][1]}" for r in pending)
            if not pending or attempt > settings.retries:
                break
        wait = settings.backoff * 2 ** (attempt - 1)
        logger.warning("temporary failure: %s; retrying in %g s (attempt %d of %d)",
                       why, wait, attempt + 1, settings.retries + 1)
        sleep(wait)
    if refused:
        listed = "; ".join(f"{r} ({reply})" for r, (_, reply) in refused.items())
        sent = f"sent to {', '.join(delivered)}, but " if delivered else ""
        temporary = any(400 <= code < 500 for code, _ in refused.values())
        gave_up = f"; gave up after {attempt} attempts" if temporary else ""
        raise SendError(f"{sent}{settings.address} refused {listed}{gave_up}",
                        delivered=tuple(delivered), refused=refused)
    return SendReport(delivered=tuple(delivered), attempts=attempt)
