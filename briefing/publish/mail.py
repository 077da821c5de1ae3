"""E-mail a briefing: build the message (pure), send it, save what could not be sent.

Invariants:

- ``build_message`` is pure: the same briefing and arguments give the same
  message. Date and Message-ID are passed in (``send_briefing`` makes them).
- The message is ``multipart/alternative``: the Markdown briefing as UTF-8 plain
  text, then ``email.html.j2`` with its CSS inlined into ``style`` attributes.
  Both parts are quoted-printable, so no line exceeds the SMTP limit.
- A subject or address containing CR or LF is refused, never folded or stripped.
- Sending never touches the briefing files. A message that could not be sent,
  and a dry run, are written to ``<date>.eml`` next to them (atomically);
  ``send_eml`` sends such a file later.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path

import css_inline
import jinja2

from ..errors import InputError, OutputError
from ..records import Briefing
from .files import write_files
from .jsonio import load_briefing
from .render import _render, render_markdown
from .smtp import EmailSettings, MailError, SendError, SendReport, send

DEFAULT_SENDER = "briefing@localhost"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ADDR_SPEC = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+$")
_MD_ESCAPE = re.compile(r"\\([\\`*_\[\]#!.)+-])")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass(frozen=True, slots=True)
class SendResult:
    """The outcome of ``send_briefing``: the server's report, or the .eml of a dry run."""

    subject: str
    recipients: tuple[str, ...]
    report: SendReport | None = None
    eml: Path | None = None


def check_header(value: str, what: str) -> str:
    """Return ``value``, refusing a line break (header injection)."""
    if "\r" in value or "\n" in value:
        raise MailError(f"{what} contains a line break (CR/LF); refusing to build the message")
    return value


def parse_addresses(values: Iterable[str], what: str = "recipient") -> tuple[Address, ...]:
    """Parse addresses (each value may list several, comma-separated)."""
    found: list[Address] = []
    for value in values:
        check_header(value, f"{what} {value!r}")
        pairs = getaddresses([value])
        if not pairs or not all(_ADDR_SPEC.match(addr) for _, addr in pairs):
            raise MailError(f"invalid {what} address {value!r}")
        try:
            found += [Address(display_name=name, addr_spec=addr) for name, addr in pairs]
        except (ValueError, IndexError) as exc:
            raise MailError(f"invalid {what} address {value!r}: {exc}") from exc
    return tuple(found)


def _one_sender(value: str) -> Address:
    senders = parse_addresses([value], "sender")
    if len(senders) != 1:
        raise MailError(f"the sender must be one address, not {value!r}")
    return senders[0]


def plain_text(markdown: str) -> str:
    """Turn the Markdown briefing into plain text: drop backslash and entity escapes."""
    def unescape(text: str) -> str:
        text = _MD_ESCAPE.sub(r"\1", text)
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    out, last = [], 0
    for span in _CODE_SPAN.finditer(markdown):  # code spans are already literal
        out += [unescape(markdown[last:span.start()]), span.group()]
        last = span.end()
    return "".join([*out, unescape(markdown[last:])])


def render_email_html(briefing: Briefing, *, env: jinja2.Environment | None = None) -> str:
    """Render ``email.html.j2`` and inline its CSS into ``style`` attributes."""
    html = _render(env, "email.html.j2", briefing=briefing)
    try:
        return _INLINER.inline(html)
    except (css_inline.InlineError, ValueError) as exc:
        raise MailError(f"cannot inline the e-mail's CSS: {exc}") from exc


def build_message(
    briefing: Briefing,
    *,
    sender: str,
    recipients: Iterable[str],
    subject: str | None = None,
    date: dt.datetime | None = None,
    message_id: str | None = None,
    env: jinja2.Environment | None = None,
) -> EmailMessage:
    """Build the briefing's e-mail: plain text and HTML alternatives, UTF-8."""
    subject = check_header(subject if subject is not None else briefing.title, "subject")
    from_ = _one_sender(sender)
    to = parse_addresses(recipients)
    if not to:
        raise MailError("no recipient: pass --to ADDR, set BRIEFING_SMTP_TO or [email] to")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = from_
    message["To"] = to
    if date is not None:
        message["Date"] = format_datetime(date)
    if message_id is not None:
        message["Message-ID"] = check_header(message_id, "Message-ID")
    message["Auto-Submitted"] = "auto-generated"
    message["X-Mailer"] = "briefing"
    text = plain_text(render_markdown(briefing, env=env))
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(render_email_html(briefing, env=env), subtype="html",
                            charset="utf-8", cte="quoted-printable")
    return message


def save_eml(message: EmailMessage, path: Path) -> Path:
    """Write ``message`` to ``path`` (CRLF line ends), atomically; return the path."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_files({path: message.as_bytes(policy=policy.SMTP)})
    except OSError as exc:
        raise MailError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except OutputError as exc:
        raise MailError(str(exc)) from exc
    return path


def load_eml(path: Path) -> EmailMessage:
    """Read a message saved by ``save_eml``."""
    try:
        with open(path, "rb") as fh:
            message = BytesParser(policy=policy.default).parse(fh)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not message["From"] or not message.get_body():
        raise InputError(f"{path} is not an e-mail message")
    return message  # type: ignore[return-value]


def locate_briefing(briefing: str | Path, out_dir: Path) -> Path:
    """Find a briefing's JSON: a date (``out_dir/DATE.json``) or a .json/.html/.md path."""
    text = str(briefing)
    if _DATE.match(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(f"invalid date {text!r}: expected an existing day") from None
        path = Path(out_dir) / f"{day.isoformat()}.json"
        if not path.is_file():
            raise InputError(f"no briefing for {day} in {out_dir}: {path} not found "
                             f"(run: briefing build --date {day} --out {out_dir})")
        return path
    path = Path(briefing)
    if path.suffix.lower() not in (".json", ".html", ".htm", ".md"):
        raise InputError(f"{text!r} is not a date (YYYY-MM-DD) or a briefing .json/.html file")
    json_path = path.with_suffix(".json")
    if not json_path.is_file():
        need = "" if path == json_path else f" (the JSON written next to {path.name})"
        raise InputError(f"briefing not found: {json_path}{need}")
    return json_path


def _envelope(settings: EmailSettings, message: EmailMessage) -> tuple[str, tuple[str, ...]]:
    from_ = _one_sender(settings.sender or str(message["From"] or DEFAULT_SENDER))
    to = [str(a) for a in message.get_all("To", []) + message.get_all("Cc", [])]
    return from_.addr_spec, tuple(a.addr_spec for a in parse_addresses(to))


def send_briefing(
    source: Briefing | str | Path,
    settings: EmailSettings,
    *,
    subject: str | None = None,
    out_dir: Path | None = None,
    dry_run: bool = False,
    env: jinja2.Environment | None = None,
    smtp_factory: Callable[..., object] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendResult:
    """E-mail a briefing (or its JSON file); on failure save ``<date>.eml`` and raise.

    :param out_dir: where the ``.eml`` goes; default the JSON file's folder
        (or the current folder for a ``Briefing``).
    """
    if isinstance(source, Briefing):
        briefing, folder = source, Path(out_dir or ".")
    else:
        briefing, folder = load_briefing(Path(source)), Path(out_dir or Path(source).parent)
    sender = settings.sender or DEFAULT_SENDER
    message = build_message(
        briefing, sender=sender, recipients=settings.recipients, subject=subject, env=env,
        date=dt.datetime.now(dt.UTC).astimezone(),
        message_id=make_msgid("briefing", domain=_one_sender(sender).domain or None),
    )
    eml = folder / f"{briefing.date.isoformat()}.eml"
    from_, to = _envelope(settings, message)
    if dry_run:
        return SendResult(str(message["Subject"]), to, eml=save_eml(message, eml))
    try:
        report = send(message, settings, sender=from_, recipients=to,
                      smtp_factory=smtp_factory, sleep=sleep)  # type: ignore[arg-type]
    except SendError as exc:
        try:
            save_eml(message, eml)
        except MailError as not_saved:
            raise SendError(f"{exc}; and the message is lost: {not_saved}",
                            delivered=exc.delivered, refused=exc.refused) from exc
        raise SendError(f"{exc}; the unsent message is saved in {eml} ({_later(eml, exc)})",
                        delivered=exc.delivered, refused=exc.refused) from exc
    return SendResult(str(message["Subject"]), to, report=report)


def _later(eml: Path, exc: SendError) -> str:
    """Say how to send a saved message later (to the refused recipients only, if some got it)."""
    only = "".join(f" --to {shlex.quote(r)}" for r in exc.refused) if exc.delivered else ""
    return f"send it later: briefing send --eml {shlex.quote(str(eml))}{only}"


def send_eml(
    path: Path,
    settings: EmailSettings,
    *,
    smtp_factory: Callable[..., object] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendResult:
    """Send a saved ``.eml``; ``settings.recipients`` (if any) replace its To header."""
    message = load_eml(path)
    if settings.sender:
        del message["From"]
        message["From"] = _one_sender(settings.sender)
    if settings.recipients:
        del message["To"], message["Cc"]
        message["To"] = parse_addresses(settings.recipients)
    from_, to = _envelope(settings, message)
    if not to:
        raise MailError(f"{path} has no recipient: pass --to ADDR")
    try:
        report = send(message, settings, sender=from_, recipients=to,
                      smtp_factory=smtp_factory, sleep=sleep)  # type: ignore[arg-type]
    except SendError as exc:
        raise SendError(f"{exc}; the message stays in {path} ({_later(path, exc)})",
                        delivered=exc.delivered, refused=exc.refused) from exc
    return SendResult(subject=str(message["Subject"]), recipients=to, report=report)
