"""E-mail: the message, and sending it to a real SMTP server (aiosmtpd) on 127.0.0.1.

Every fault comes from a real server: handlers that answer 421, 451, 550, 554;
an authenticator that answers 535; a closed port; a listener that never answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from briefing.cli.config import load_email_config
from briefing.cli.main import cli
from briefing.cli.send import send as send_command
from briefing.errors import ConfigError
from briefing.pipeline import BuildOptions, build_briefing
from briefing.publish.jsonio import briefing_from_dict, load_briefing
from briefing.publish.mail import build_message, load_eml, plain_text, send_briefing, send_eml
from briefing.publish.render import briefing_to_dict, http_url
from briefing.publish.smtp import EmailSettings, MailError, SendError
from tests.conftest import DEMO

if "send" not in cli.commands:
    cli.add_command(send_command)

DAY = dt.date(2022, 12, 21)
NON_ASCII = "Zelenskyy — Київ"
LINKED = {
    "001_9e0c29070c79a376.txt": (
        f"title: '{NON_ASCII} <b>visit</b> & aid'\nsource: LBC\n"
        "url: https://www.lbc.co.uk/news/zelenskyy-heads-to-us/\n"
    ),
    "002_a75420020a94f3f2.txt": (
        "source: The New York Times\nurl: https://www.nytimes.com/2022/12/20/world/europe/"
        "zelensky-bakhmut-ukraine-front-line-visit-with-a-very-long-slug-that-never-breaks.html\n"
    ),
    "003_5f5ed081773a5e03.txt": "url: javascript:alert(1)\n",
}
PASSWORD = "s3cret-pass"


# --- the briefing -------------------------------------------------------------------------


def make_corpus(folder: Path) -> Path:
    """Copy the demo corpus, adding front matter: URLs, an outlet, a non-ASCII title."""
    folder.mkdir(parents=True)
    for path in sorted(DEMO.iterdir()):
        text = path.read_text(encoding="utf-8")
        front = LINKED.get(path.name)
        (folder / path.name).write_text(f"---\n{front}---\n{text}" if front else text,
                                        encoding="utf-8")
    return folder


def build_demo(folder: Path) -> Path:
    """Build the 2022-12-21 briefing of the annotated demo corpus; return its JSON path."""
    corpus = make_corpus(folder / "corpus")
    build_briefing(BuildOptions(paths=(corpus,), date=DAY, out_dir=folder / "out",
                                db_path=folder / "b.db", backend="extractive"))
    return folder / "out" / f"{DAY}.json"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("mail"))


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    """A private copy of the briefing's files (md, html, json)."""
    folder = tmp_path / "out"
    shutil.copytree(built.parent, folder)
    return folder


@pytest.fixture
def briefing(built: Path):
    return load_briefing(built)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def links(briefing) -> list[str]:
    articles = [a for item in briefing.events for a in item.event.articles]
    urls = [a.url for a in articles] + [d.url for a in articles for d in a.duplicates]
    return [u for u in urls if http_url(u)]


# --- real SMTP servers --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """An aiosmtpd handler that records messages and answers queued replies."""

    def __init__(self, *, mail: list[str] | None = None, data: list[str] | None = None,
                 rcpt: dict[str, list[str]] | None = None) -> None:
        self.mail, self.data, self.rcpt = mail or [], data or [], rcpt or {}
        self.received: list[tuple[str, list[str], EmailMessage]] = []
        self.tls: list[bool] = []

    async def handle_MAIL(self, server, session, envelope, address, options):
        if self.mail:
            return self.mail.pop(0)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.rcpt.get(address):
            return self.rcpt[address].pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data:
            return self.data.pop(0)
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        ssl_object = server.transport.get_extra_info("ssl_object")
        self.tls.append(session.ssl is not None or ssl_object is not None)
        return "250 Message accepted"


class Authenticator:
    """Accept one user and password; record the mechanisms used."""

    def __init__(self) -> None:
        self.mechanisms: list[str] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.mechanisms.append(mechanism)
        ok = isinstance(auth_data, LoginPassword) and auth_data == (b"ann", PASSWORD.encode())
        return AuthResult(success=ok, handled=False)  # let aiosmtpd answer 535


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., tuple[Recorder, int]]]:
    """Start aiosmtpd servers on free ports; stop them afterwards."""
    started: list[Controller] = []

    def start(handler: Recorder | None = None, **kwargs) -> tuple[Recorder, int]:
        handler = handler or Recorder()
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
        controller.start()
        started.append(controller)
        return handler, controller.port

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port whose listener accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.1)
    stop, held = threading.Event(), []

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A throwaway CA and a certificate for 127.0.0.1/localhost signed by it."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("tls")
    now = dt.datetime.now(dt.UTC)

    def cert(subject, key, issuer, issuer_key, *, ca: bool, san=None):
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - dt.timedelta(hours=1))
             .not_valid_after(now + dt.timedelta(days=1))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if san:
            b = b.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return b.sign(issuer_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "briefing test CA")])
    ca = cert(ca_name, ca_key, ca_name, ca_key, ca=True)
    leaf = cert(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]), key,
                ca_name, ca_key, ca=False,
                san=[x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    pem = serialization.Encoding.PEM
    paths = {"ca": folder / "ca.pem", "cert": folder / "cert.pem", "key": folder / "key.pem"}
    paths["ca"].write_bytes(ca.public_bytes(pem))
    paths["cert"].write_bytes(leaf.public_bytes(pem))
    paths["key"].write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    return paths


def server_tls(certs: dict[str, Path]):
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs["cert"], certs["key"])
    return context


def settings(port: int, **kw) -> EmailSettings:
    base = {"host": "127.0.0.1", "port": port, "security": "none", "timeout": 5.0,
            "recipients": ("you@example.org",), "retries": 2, "backoff": 0.01}
    return EmailSettings(**(base | kw))


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


# --- the message (pure) -------------------------------------------------------------------


def test_json_round_trip(built: Path) -> None:
    doc = json.loads(built.read_text(encoding="utf-8"))
    assert briefing_to_dict(briefing_from_dict(doc)) == doc


def test_message_is_multipart_alternative_utf8(briefing) -> None:
    message = build_message(briefing, sender="b@example.org", recipients=["you@example.org"])
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    assert message["Subject"] == "Briefing for Wednesday, 21 December 2022"
    assert max(len(line) for line in message.as_bytes().splitlines()) <= 78


def test_message_is_pure(briefing) -> None:
    moment = dt.datetime(2022, 12, 21, 7, 0, tzinfo=dt.UTC)

    def make() -> EmailMessage:
        return build_message(briefing, sender="b@example.org", recipients=["you@example.org"],
                             date=moment, message_id="<1@example.org>")

    first, second = make(), make()
    assert first.items() == second.items()
    assert [p.get_content() for p in first.iter_parts()] == [
        p.get_content() for p in second.iter_parts()
    ]
    assert first["Date"] == "Wed, 21 Dec 2022 07:00:00 +0000"


def test_html_part_is_inlined_and_safe(briefing) -> None:
    message = build_message(briefing, sender="b@example.org", recipients=["you@example.org"])
    html = message.get_body(("html",)).get_content()
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "<link" not in html.lower() and "url(" not in html
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert all(s.strip().startswith("@media") for s in styles)  # only what cannot be inlined
    outside_comments = re.sub(r"<!--.*?-->", "", html, flags=re.S)  # Outlook's ghost table
    for tag in ("body", "table", "td", "h1", "h2", "p", "a"):
        for element in re.findall(rf"<{tag}\b[^>]*>", outside_comments):
            assert 'style="' in element, element
    assert html.count('class="headline"') == len(briefing.events) == 4
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert sorted(hrefs) == sorted(links(briefing)) and len(hrefs) == 2
    assert all(h.startswith("https://") for h in hrefs)
    assert "javascript:" not in " ".join(hrefs) and "javascript:alert(1)" in html  # as text
    assert f"{NON_ASCII} &lt;b&gt;visit&lt;/b&gt; &amp; aid" in html


def test_plain_text_comes_from_the_markdown(briefing) -> None:
    message = build_message(briefing, sender="b@example.org", recipients=["you@example.org"])
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("# Briefing for Wednesday, 21 December 2022\n")
    assert f'"{NON_ASCII} <b>visit</b> & aid"' in text
    for item in briefing.events:
        assert f"## {item.rank}. " in text
    assert "<https://www.lbc.co.uk/news/zelenskyy-heads-to-us/>" in text


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        (r"a \[1\] \*b\* \_c\_ &lt;x&gt; &amp;amp;", "a [1] *b* _c_ <x> &amp;"),
        (r"`C:\_dir` \_x", r"`C:\_dir` _x"),
        ("1\\. item", "1. item"),
    ],
)
def test_plain_text_drops_markdown_escapes(markdown: str, text: str) -> None:
    assert plain_text(markdown) == text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Briefing\r\nBcc: victim@example.org"),
        ("subject", "Briefing\nX-Evil: 1"),
        ("recipients", ["you@example.org\r\nBcc: victim@example.org"]),
        ("sender", "b@example.org\nBcc: victim@example.org"),
    ],
)
def test_line_breaks_in_headers_are_refused(briefing, field: str, value) -> None:
    kwargs = {"sender": "b@example.org", "recipients": ["you@example.org"], field: value}
    with pytest.raises(MailError, match="contains a line break"):
        build_message(briefing, **kwargs)


@pytest.mark.parametrize("bad", ["not an address", "a@", "a@b@c", "you@example.org, nobody"])
def test_invalid_addresses_are_refused(briefing, bad: str) -> None:
    with pytest.raises(MailError, match="invalid recipient address"):
        build_message(briefing, sender="b@example.org", recipients=[bad])


def test_no_recipient_is_an_error(briefing) -> None:
    with pytest.raises(MailError, match="no recipient"):
        build_message(briefing, sender="b@example.org", recipients=[])


class FakeSMTP:
    """Records what ``send`` asks of an SMTP connection."""

    calls: list[tuple] = []

    def __init__(self, host: str, port: int, *, timeout: float, context=None) -> None:
        self.calls.append(("connect", host, port, timeout, context is not None))

    def starttls(self, *, context) -> None:
        self.calls.append(("starttls",))

    def login(self, user: str, password: str) -> None:
        self.calls.append(("login", user, password))

    def send_message(self, message, *, from_addr: str, to_addrs: list[str]) -> dict:
        self.calls.append(("send", from_addr, to_addrs))
        return {}

    def quit(self) -> None:
        self.calls.append(("quit",))


@pytest.mark.parametrize(
    ("security", "port", "expected"),
    [("starttls", 587, [("starttls",)]), ("tls", 465, []), ("none", 25, [])],
)
def test_send_with_a_fake_factory(briefing, security: str, port: int, expected) -> None:
    FakeSMTP.calls = []
    config = EmailSettings(host="mx.example.org", security=security, user="ann",
                           password=PASSWORD, recipients=("you@example.org",))
    result = send_briefing(briefing, config, smtp_factory=FakeSMTP)
    assert result.report is not None and result.report.delivered == ("you@example.org",)
    assert config.address == f"mx.example.org:{port}"
    assert FakeSMTP.calls == [
        ("connect", "mx.example.org", port, 30.0, security == "tls"), *expected,
        ("login", "ann", PASSWORD), ("send", "briefing@localhost", ["you@example.org"]),
        ("quit",),
    ]


def test_send_a_briefing_object_dry_run(briefing, tmp_path: Path) -> None:
    result = send_briefing(briefing, settings(25), out_dir=tmp_path, dry_run=True,
                           subject="Morning")
    assert result.eml == tmp_path / f"{DAY}.eml" and result.subject == "Morning"
    assert load_eml(result.eml)["Subject"] == "Morning"


# --- delivery to a real server ------------------------------------------------------------


def test_send_delivers_both_parts(out: Path, smtp_server) -> None:
    server, port = smtp_server()
    before = digest(out)
    result = send_briefing(out / f"{DAY}.json", settings(port, sender="Desk <desk@example.org>"))
    assert result.report is not None and result.report.delivered == ("you@example.org",)
    ((mail_from, rcpt, message),) = server.received
    assert (mail_from, rcpt) == ("desk@example.org", ["you@example.org"])
    assert message["Subject"] == "Briefing for Wednesday, 21 December 2022"
    assert message["From"] == "Desk <desk@example.org>" and message["Message-ID"]
    assert message["Date"]
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    assert NON_ASCII in text.get_content() and NON_ASCII in html.get_content()
    html = html.get_content()
    assert html.count('class="headline"') == 4
    assert len(re.findall(r'<a [^>]*href="https://', html)) == 2
    assert "<script" not in html and "<img" not in html and 'style="' in html
    assert digest(out) == before  # nothing written next to the briefing


def test_non_ascii_subject_survives(out: Path, smtp_server) -> None:
    server, port = smtp_server()
    send_briefing(out / f"{DAY}.json", settings(port), subject=f"Briefing — {NON_ASCII}")
    assert server.received[0][2]["Subject"] == f"Briefing — {NON_ASCII}"


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_starttls_and_auth(out: Path, smtp_server, certs, mechanism: str) -> None:
    auth = Authenticator()
    other = {"LOGIN": "PLAIN", "PLAIN": "LOGIN"}[mechanism]
    server, port = smtp_server(
        tls_context=server_tls(certs), require_starttls=True, authenticator=auth,
        auth_require_tls=True, auth_exclude_mechanism=[other],
    )
    result = send_briefing(out / f"{DAY}.json", settings(
        port, security="starttls", ca_file=certs["ca"], user="ann", password=PASSWORD))
    assert result.report is not None and result.report.attempts == 1
    assert auth.mechanisms == [mechanism]
    assert server.tls == [True] and len(server.received) == 1


def test_implicit_tls(out: Path, smtp_server, certs) -> None:
    server, port = smtp_server(ssl_context=server_tls(certs))
    send_briefing(out / f"{DAY}.json", settings(port, security="tls", ca_file=certs["ca"]))
    assert server.tls == [True]


def test_untrusted_certificate_is_refused(out: Path, smtp_server, certs) -> None:
    server, port = smtp_server(tls_context=server_tls(certs), require_starttls=True)
    with pytest.raises(SendError, match="certificate of 127.0.0.1:.* not trusted"):
        send_briefing(out / f"{DAY}.json", settings(port, security="starttls"))
    assert not server.received and (out / f"{DAY}.eml").is_file()


def test_starttls_not_offered(out: Path, smtp_server) -> None:
    _, port = smtp_server()
    with pytest.raises(SendError, match="STARTTLS extension not supported.*--smtp-security"):
        send_briefing(out / f"{DAY}.json", settings(port, security="starttls"))


# --- faults, each from a real server ------------------------------------------------------


def fails(out: Path, config: EmailSettings, match: str, **kwargs) -> SendError:
    """Send, expect a SendError matching ``match``; check the .eml and the briefing files."""
    before = digest(out)
    with pytest.raises(SendError, match=match) as info:
        send_briefing(out / f"{DAY}.json", config, **kwargs)
    eml = out / f"{DAY}.eml"
    assert str(info.value).count("\n") == 0
    assert f"the unsent message is saved in {eml}" in str(info.value)
    saved = load_eml(eml)
    assert saved["Subject"] == "Briefing for Wednesday, 21 December 2022"
    assert [p.get_content_type() for p in saved.iter_parts()] == ["text/plain", "text/html"]
    assert {k: v for k, v in digest(out).items() if k != eml.name} == before
    return info.value


def test_421_is_retried_then_given_up(out: Path, smtp_server, caplog) -> None:
    server, port = smtp_server(Recorder(mail=["421 4.3.2 Service shutting down"] * 3))
    sleeps = Sleeps()
    with caplog.at_level(logging.WARNING, logger="briefing.publish.smtp"):
        fails(out, settings(port, retries=2, backoff=0.01),
              r"refused the sender .*\(421 4\.3\.2 Service shutting down\); "
              r"gave up after 3 attempts", sleep=sleeps)
    assert sleeps == [0.01, 0.02]  # exponential backoff
    assert "retrying in 0.01 s (attempt 2 of 3)" in caplog.text
    assert not server.received and not server.mail


def test_451_is_retried_then_delivered(out: Path, smtp_server) -> None:
    server, port = smtp_server(Recorder(data=["451 4.3.0 Try again later"]))
    sleeps = Sleeps()
    result = send_briefing(out / f"{DAY}.json", settings(port, backoff=0.5), sleep=sleeps)
    assert result.report is not None and result.report.attempts == 2
    assert sleeps == [0.5] and len(server.received) == 1
    assert not (out / f"{DAY}.eml").exists()


def test_550_for_one_of_two_recipients(out: Path, smtp_server) -> None:
    server, port = smtp_server(Recorder(rcpt={"gone@example.org": ["550 5.1.1 No such user"]}))
    error = fails(out, settings(port, recipients=("you@example.org", "gone@example.org")),
                  r"sent to you@example\.org, but 127\.0\.0\.1:\d+ refused "
                  r"gone@example\.org \(550 5\.1\.1 No such user\)")
    assert error.delivered == ("you@example.org",)
    assert error.refused == {"gone@example.org": (550, "550 5.1.1 No such user")}
    assert "--to gone@example.org" in str(error)
    assert [r for _, r, _ in server.received] == [["you@example.org"]]


def test_4xx_recipient_is_retried_alone(out: Path, smtp_server) -> None:
    server, port = smtp_server(Recorder(rcpt={"busy@example.org": ["450 4.2.1 Busy"]}))
    result = send_briefing(out / f"{DAY}.json",
                           settings(port, recipients=("you@example.org", "busy@example.org")),
                           sleep=Sleeps())
    assert result.report is not None and result.report.attempts == 2
    # the first recipient gets one copy, not two
    assert [r for _, r, _ in server.received] == [["you@example.org"], ["busy@example.org"]]


def test_permanent_refusal_is_kept_while_another_is_retried(out: Path, smtp_server) -> None:
    server, port = smtp_server(Recorder(rcpt={"gone@example.org": ["550 5.1.1 No such user"],
                                              "busy@example.org": ["450 4.2.1 Busy"]}))
    error = fails(out, settings(port, recipients=("gone@example.org", "busy@example.org")),
                  r"sent to busy@example\.org, but .* refused gone@example\.org \(550 5\.1\.1 "
                  r"No such user\); the unsent", sleep=Sleeps())
    assert error.delivered == ("busy@example.org",) and list(error.refused) == ["gone@example.org"]
    assert [r for _, r, _ in server.received] == [["busy@example.org"]]


def test_4xx_recipient_given_up_after_retries(out: Path, smtp_server) -> None:
    server, port = smtp_server(Recorder(rcpt={"busy@example.org": ["452 4.2.2 Full"] * 3}))
    error = fails(out, settings(port, recipients=("busy@example.org",), retries=2),
                  r"refused busy@example\.org \(452 4\.2\.2 Full\); gave up after 3 attempts",
                  sleep=Sleeps())
    assert error.delivered == () and not server.received


def test_554_is_permanent(out: Path, smtp_server) -> None:
    server, port = smtp_server(Recorder(data=["554 5.6.0 Message rejected"]))
    sleeps = Sleeps()
    fails(out, settings(port), r"refused the message \(554 5\.6\.0 Message rejected\);",
          sleep=sleeps)
    assert sleeps == [] and not server.received


def test_535_authentication_failure(out: Path, smtp_server) -> None:
    auth = Authenticator()
    _, port = smtp_server(authenticator=auth, auth_require_tls=False)
    sleeps = Sleeps()
    error = fails(out, settings(port, user="ann", password="wrong-password"),
                  r"authentication failed for user 'ann' at 127\.0\.0\.1:\d+ \(535 ",
                  sleep=sleeps)
    assert "wrong-password" not in str(error) and sleeps == []


def test_connection_refused(out: Path) -> None:
    fails(out, settings(free_port()), r"cannot connect to 127\.0\.0\.1:\d+: connection refused")


def test_server_that_never_answers(out: Path, silent_port: int) -> None:
    fails(out, settings(silent_port, timeout=0.3), r"no answer from 127\.0\.0\.1:\d+ within 0\.3 s")


def test_dry_run_writes_eml_without_connecting(out: Path, silent_port: int) -> None:
    before = digest(out)
    result = send_briefing(out / f"{DAY}.json", settings(silent_port, timeout=0.1), dry_run=True)
    assert result.eml == out / f"{DAY}.eml" and result.report is None
    assert load_eml(result.eml)["To"] == "you@example.org"
    assert {k: v for k, v in digest(out).items() if k != result.eml.name} == before


def test_saved_eml_is_sent_later(out: Path, smtp_server) -> None:
    fails(out, settings(free_port()), "connection refused")
    server, port = smtp_server()
    result = send_eml(out / f"{DAY}.eml", settings(port, recipients=()))
    assert result.report is not None and result.report.delivered == ("you@example.org",)
    result = send_eml(out / f"{DAY}.eml", settings(port, recipients=("other@example.org",)))
    assert [m["To"] for _, _, m in server.received] == ["you@example.org", "other@example.org"]
    assert NON_ASCII in server.received[0][2].get_body(("html",)).get_content()


# --- settings -----------------------------------------------------------------------------


def test_config_rejects_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[email]\nhost = "h"\ncolour = "red"\npassword = "x"\n')
    with pytest.raises(ConfigError, match=r"unknown \[email\] key colour, password "
                                                   r"\(use password_file"):
        load_email_config(path)


@pytest.mark.parametrize(
    ("body", "message"),
    [('[email]\nport = "25"\n', r"\[email\] port must be a int"),
     ("[email]\nto = [1]\n", r"\[email\] to must be a str or list of strings"),
     ("[email\n", "not valid TOML")],
)
def test_config_rejects_bad_values(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body)
    with pytest.raises(ConfigError, match=message):
        load_email_config(path)


def test_user_without_password_is_a_config_error(out: Path) -> None:
    with pytest.raises(ConfigError, match="no password for SMTP user 'ann'"):
        send_briefing(out / f"{DAY}.json", settings(free_port(), user="ann"))
    assert not (out / f"{DAY}.eml").exists()


def test_settings_repr_hides_the_password() -> None:
    assert PASSWORD not in repr(EmailSettings(user="ann", password=PASSWORD))


# --- the command line ---------------------------------------------------------------------


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["send", *args], env=env, catch_exceptions=False)


def flags(port: int) -> list[str]:
    return ["--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-security", "none"]


def test_cli_sends_by_date(out: Path, smtp_server) -> None:
    server, port = smtp_server()
    result = run(str(DAY), "--out", str(out), "--to", "you@example.org", *flags(port))
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Sent 'Briefing for Wednesday, 21 December 2022' to you@example.org "
        f"via 127.0.0.1:{port}\n"
    )
    assert len(server.received) == 1


def test_cli_sends_by_html_path_to_two_recipients(out: Path, smtp_server) -> None:
    server, port = smtp_server()
    result = run(str(out / f"{DAY}.html"), "--to", "a@example.org, b@example.org",
                 "--to", "c@example.org", *flags(port))
    assert result.exit_code == 0, result.output
    assert server.received[0][1] == ["a@example.org", "b@example.org", "c@example.org"]


def test_cli_reads_environment(out: Path, smtp_server) -> None:
    server, port = smtp_server()
    env = {"BRIEFING_SMTP_HOST": "127.0.0.1", "BRIEFING_SMTP_PORT": str(port),
           "BRIEFING_SMTP_SECURITY": "none", "BRIEFING_SMTP_TO": "a@example.org, b@example.org",
           "BRIEFING_SMTP_FROM": "env@example.org"}
    result = run(str(out / f"{DAY}.json"), env=env)
    assert result.exit_code == 0, result.output
    assert server.received[0][:2] == ("env@example.org", ["a@example.org", "b@example.org"])


def test_cli_precedence_flag_env_file(out: Path, briefing_home: Path) -> None:
    briefing_home.mkdir()
    (briefing_home / "config.toml").write_text(
        'window = 3\n[email]\nfrom = "file@example.org"\nto = ["t@example.org"]\n')

    def sender(*args: str, env: dict[str, str] | None = None) -> str:
        result = run(str(DAY), "--out", str(out), "--dry-run", *args, env=env)
        assert result.exit_code == 0, result.output
        return str(load_eml(out / f"{DAY}.eml")["From"])

    env = {"BRIEFING_SMTP_FROM": "env@example.org"}
    assert sender() == "file@example.org"
    assert sender(env=env) == "env@example.org"
    assert sender("--from", "flag@example.org", env=env) == "flag@example.org"


def test_cli_config_option_and_unknown_key(out: Path, tmp_path: Path) -> None:
    config = tmp_path / "other.toml"
    config.write_text('[email]\nto = "x@example.org"\nsmtp_host = "h"\n')
    result = run(str(DAY), "--out", str(out), "--dry-run", "--config", str(config))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: config file {config}: unknown [email] key smtp_host; known: host, port, "
        "security, user, password_file, from, to, timeout, retries, backoff, ca_file\n"
    )


def test_cli_dry_run(out: Path) -> None:
    result = run(str(DAY), "--out", str(out), "--to", "you@example.org", "--dry-run")
    assert result.exit_code == 0
    assert result.output == (
        f"Wrote {out / f'{DAY}.eml'} (dry run: nothing sent to you@example.org)\n"
    )


@pytest.mark.parametrize("source", ["env", "file", "config"])
def test_cli_password_from_env_or_file(out: Path, smtp_server, tmp_path: Path,
                                       briefing_home: Path, source: str) -> None:
    server, port = smtp_server(authenticator=Authenticator(), auth_require_tls=False)
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n")
    args, env = [str(DAY), "--out", str(out), "--to", "you@example.org", *flags(port),
                 "--smtp-user", "ann"], {}
    if source == "env":
        env["BRIEFING_SMTP_PASSWORD"] = PASSWORD
    elif source == "file":
        args += ["--smtp-password-file", str(secret)]
    else:
        briefing_home.mkdir()
        (briefing_home / "config.toml").write_text(f'[email]\npassword_file = "{secret}"\n')
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output and len(server.received) == 1


def test_cli_failure_saves_eml_then_sends_it(out: Path, smtp_server) -> None:
    port = free_port()
    env = {"BRIEFING_SMTP_PASSWORD": PASSWORD}
    result = run(str(DAY), "--out", str(out), "--to", "you@example.org", *flags(port), env=env)
    eml = out / f"{DAY}.eml"
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot connect to 127.0.0.1:{port}: connection refused; the unsent message "
        f"is saved in {eml} (send it later: briefing send --eml {eml})\n"
    )
    server, port = smtp_server()
    result = run("--eml", str(eml), *flags(port))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Sent 'Briefing for Wednesday, 21 December 2022' to you@")
    assert len(server.received) == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "give either BRIEFING or --eml FILE"),
        (["2022-12-20"], 1, "Error: no briefing for 2022-12-20 in"),
        (["2022-12-32"], 1, "Error: invalid date '2022-12-32'"),
        (["notes.txt"], 1, "is not a date (YYYY-MM-DD) or a briefing .json/.html file"),
        ([str(DAY), "--subject", "a\nb"], 1, "Error: subject contains a line break"),
        ([str(DAY)], 1, "Error: no recipient: pass --to ADDR"),
        ([str(DAY), "--smtp-security", "ssl"], 2, "'ssl' is not one of"),
    ],
)
def test_cli_errors(out: Path, args: list[str], code: int, message: str) -> None:
    result = run(*args, "--out", str(out), "--dry-run")
    assert result.exit_code == code
    assert message in result.output


def test_cli_help_has_no_password_flag() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "BRIEFING_SMTP_HOST" in result.output and "BRIEFING_SMTP_PASSWORD" in result.output
    assert not re.search(r"--(smtp-)?password\b(?!-file)", result.output)


def test_build_with_email_builds_then_sends(tmp_path: Path, smtp_server) -> None:
    recorder, port = smtp_server()
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["build", str(DEMO), "--date", "2022-12-21", "--backend", "extractive", "--out", str(out),
         "--db", str(tmp_path / "b.db"), "--email", "--to", "ann@example.org",
         "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-security", "none"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert (out / "2022-12-21.html").exists()
    assert "Sent 'Briefing for Wednesday, 21 December 2022' to ann@example.org" in result.output
    [(_, rcpts, message)] = recorder.received
    assert rcpts == ["ann@example.org"]
    assert message.get_content_type() == "multipart/alternative"


def test_build_with_email_keeps_the_briefing_when_sending_fails(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["build", str(DEMO), "--date", "2022-12-21", "--backend", "extractive", "--out", str(out),
         "--db", str(tmp_path / "b.db"), "--email", "--to", "ann@example.org",
         "--smtp-host", "127.0.0.1", "--smtp-port", str(free_port()), "--smtp-security", "none"],
    )
    assert result.exit_code == 1
    assert (out / "2022-12-21.json").exists() and (out / "2022-12-21.eml").exists()
    assert "Traceback" not in result.output
