"""`qsi send` (issue 15 §2) against a real SMTP server on localhost (aiosmtpd), which
offers STARTTLS with a certificate from a certificate authority made in the test
(trustme) and asks for a login: every message arrives once, byte for byte as on disk;
a run the server stops part-way finishes when run again, without sending anything
twice; embargoed messages wait for the release."""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from conftest import QSI_ENV, installed_qsi_path, run_cli
from test_letters import AFTER, BEFORE, make

pytest.importorskip("aiosmtpd")
trustme = pytest.importorskip("trustme")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

USER, PASSWORD = "awards@example.nhs.uk", "correct horse battery staple"
CREDENTIALS = {"QSI_SMTP_USER": USER, "QSI_SMTP_PASSWORD": PASSWORD}


@dataclass
class Inbox:
    """What the server received; it answers `refuse` to every message after `limit`."""

    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    limit: int | None = None
    refuse: str = "421 4.3.2 Service shutting down"
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    hold_at: int | None = None  # keep the message after this many waiting, then refuse it
    waiting: threading.Event = field(default_factory=threading.Event)
    go_on: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.hold_at is not None and len(self.received) == self.hold_at:
            self.waiting.set()
            await asyncio.get_running_loop().run_in_executor(None, self.go_on.wait)
            return "451 4.3.0 Try again later"
        with self.lock:
            if self.limit is not None and len(self.received) >= self.limit:
                return self.refuse
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos),
                                  bytes(envelope.original_content)))
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                     auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            self.logins.append((auth_data.login, auth_data.password))
            if (auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode()):
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    inbox: Inbox
    port: int
    ca: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def authority() -> Any:
    return trustme.CA()


def start(inbox: Inbox, authority: Any, tmp: Path, tls: bool = True) -> Iterator[Server]:
    context = None
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    port = free_port()
    options: dict[str, Any] = {"tls_context": context, "require_starttls": True,
                               "auth_required": True, "authenticator": inbox.authenticate,
                               } if tls else {"auth_require_tls": False}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=10,
                            **options)
    controller.start()
    ca = tmp / "ca.pem"
    authority.cert_pem.write_to_path(str(ca))
    try:
        yield Server(inbox, port, ca)
    finally:
        controller.stop()


@pytest.fixture
def server(authority: Any, tmp_path: Path) -> Iterator[Server]:
    yield from start(Inbox(), authority, tmp_path)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The letters after the release: seven entries' and two judges' (thank-you)."""
    base = tmp_path_factory.mktemp("send")
    root = make(base / "programme")
    out = base / "letters"
    result = run_cli(["render", "letters", "-p", root, "--out", out, "--today", AFTER])
    assert result.exit_code == 0, result.stderr
    return out


def copy(folder: Path, dest: Path) -> Path:
    for path in folder.rglob("*.eml"):
        target = dest / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    return dest


def send(folder: Path, server: Server, *args: str, env: dict[str, str] | None = None,
         ) -> Any:
    return run_cli(["send", folder, "--smtp", server.address, "--ca-file", server.ca, *args],
                   env=CREDENTIALS if env is None else env)


def on_disk(folder: Path) -> dict[str, bytes]:
    """Message-ID -> the message's bytes, for every .eml under folder."""
    found = {}
    for path in sorted(folder.rglob("*.eml")):
        data = path.read_bytes()
        found[str(BytesParser(policy=policy.default).parsebytes(data)["Message-ID"])] = data
    return found


def arrived(inbox: Inbox) -> dict[str, bytes]:
    """Message-ID -> what arrived, checking that nothing arrived twice."""
    found: dict[str, bytes] = {}
    for _, _, data in inbox.received:
        message_id = str(BytesParser(policy=policy.default).parsebytes(data)["Message-ID"])
        assert message_id not in found, f"{message_id} arrived twice"
        found[message_id] = data
    return found


def test_every_message_arrives_once_and_intact(prepared: Path, server: Server,
                                               tmp_path: Path) -> None:
    folder = copy(prepared, tmp_path / "letters")
    result = send(folder, server)
    assert result.exit_code == 0, result.stderr
    assert "Sent 9 messages" in result.stdout
    expected = on_disk(folder)
    got = arrived(server.inbox)
    assert set(got) == set(expected) and len(got) == 9
    for message_id, data in got.items():
        assert data.rstrip(b"\r\n") == expected[message_id].rstrip(b"\r\n")
        sent = BytesParser(policy=policy.default).parsebytes(data)
        assert sent.get_body(("plain",)) is not None and sent.get_body(("html",)) is not None
    envelopes = {rcpt[0] for _, rcpt, _ in server.inbox.received}
    assert "jo.oneill@example.nhs.uk" in envelopes and "j2@example.nhs.uk" in envelopes
    assert {sender for sender, _, _ in server.inbox.received} == {"awards@example.nhs.uk"}
    assert server.inbox.logins == [(USER.encode(), PASSWORD.encode())]
    log = (folder / ".qsi-sent.log").read_text("utf-8").splitlines()
    assert sorted(line.split("\t")[0] for line in log) == sorted(expected)
    # run again: nothing is sent twice
    again = send(folder, server)
    assert again.exit_code == 0, again.stderr
    assert "Sent 0 messages" in again.stdout and "Already sent, so not sent again: 9" in \
        again.stdout
    assert len(server.inbox.received) == 9


def test_an_interrupted_run_resumes_without_duplicates(prepared: Path, server: Server,
                                                       tmp_path: Path) -> None:
    folder = copy(prepared, tmp_path / "letters")
    server.inbox.limit = 3
    result = send(folder, server)
    assert result.exit_code == 2
    assert "Sent 3 of 9 messages" in result.stderr and "421" in result.stderr
    assert "run the command again" in result.stderr
    assert len((folder / ".qsi-sent.log").read_text("utf-8").splitlines()) == 3
    server.inbox.limit = None
    result = send(folder, server)
    assert result.exit_code == 0, result.stderr
    assert "Sent 6 messages" in result.stdout
    got = arrived(server.inbox)  # fails on a duplicate
    expected = on_disk(folder)
    assert set(got) == set(expected)
    for message_id, data in got.items():
        assert data.rstrip(b"\r\n") == expected[message_id].rstrip(b"\r\n")


def test_a_killed_run_resumes_without_duplicates(prepared: Path, server: Server,
                                                 tmp_path: Path) -> None:
    """The installed qsi is killed while the server holds its third message: the log
    has the two the server accepted, and a second run sends the other seven."""
    executable = installed_qsi_path()
    assert executable is not None
    folder = copy(prepared, tmp_path / "letters")
    server.inbox.hold_at = 2
    env = {k: v for k, v in os.environ.items() if k not in QSI_ENV} | CREDENTIALS
    process = subprocess.Popen(
        [executable, "send", str(folder), "--smtp", server.address, "--ca-file",
         str(server.ca)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert server.inbox.waiting.wait(60), "the third message never came"
    finally:
        process.kill()
        process.wait(30)
    server.inbox.hold_at = None  # the server takes every message from now on
    server.inbox.go_on.set()
    log = folder / ".qsi-sent.log"
    assert len(log.read_text("utf-8").splitlines()) == 2 == len(server.inbox.received)
    result = send(folder, server)
    assert result.exit_code == 0, result.stderr
    assert "Sent 7 messages" in result.stdout and "Already sent, so not sent again: 2" in \
        result.stdout
    assert set(arrived(server.inbox)) == set(on_disk(folder))  # each once


def test_dry_run_sends_nothing(prepared: Path, server: Server, tmp_path: Path) -> None:
    folder = copy(prepared, tmp_path / "letters")
    result = send(folder, server, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Would send 9 messages" in result.stdout
    assert "entries/a1.eml  to jo.oneill@example.nhs.uk: Test Awards 2020: your entry has " \
        "won Category A" in result.stdout
    assert server.inbox.received == [] and server.inbox.logins == []
    assert not (folder / ".qsi-sent.log").exists()


def test_the_servers_certificate_is_checked(prepared: Path, server: Server,
                                            tmp_path: Path) -> None:
    folder = copy(prepared, tmp_path / "letters")
    result = run_cli(["send", folder, "--smtp", server.address], env=CREDENTIALS)
    assert result.exit_code == 2
    assert "failed the TLS check" in result.stderr
    assert server.inbox.received == [] and server.inbox.logins == []


def test_a_server_without_starttls_is_refused(prepared: Path, authority: Any,
                                              tmp_path: Path) -> None:
    folder = copy(prepared, tmp_path / "letters")
    for plain in start(Inbox(), authority, tmp_path, tls=False):
        result = send(folder, plain)
        assert result.exit_code == 2
        assert "does not offer STARTTLS" in result.stderr
        # --no-tls: localhost only, and never with a password
        result = send(folder, plain, "--no-tls")
        assert result.exit_code == 2 and "never sends a password without TLS" in result.stderr
        result = run_cli(["send", folder, "--smtp", "smtp.example.nhs.uk:587", "--no-tls"],
                         env={})
        assert result.exit_code == 2 and "only for a server on this machine" in result.stderr
        assert plain.inbox.received == []
        result = send(folder, plain, "--no-tls", env={})
        assert result.exit_code == 0, result.stderr
        assert set(arrived(plain.inbox)) == set(on_disk(folder))


def test_embargoed_messages_wait_for_the_release(server: Server, tmp_path: Path) -> None:
    root = make(tmp_path / "programme")
    folder = tmp_path / "letters"
    result = run_cli(["render", "letters", "-p", root, "--out", folder, "--today", BEFORE,
                      "--confidential"])
    assert result.exit_code == 0, result.stderr
    result = send(folder, server, "--today", BEFORE)
    assert result.exit_code == 1
    assert "Held back: 5" in result.stdout and "embargoed until 1 April 2020" in result.stdout
    assert len(server.inbox.received) == 4  # a6, a7 and the two judges' invitations
    result = send(folder, server, "--today", "2020-04-01")
    assert result.exit_code == 0, result.stderr
    assert "Sent 5 messages" in result.stdout
    assert set(arrived(server.inbox)) == set(on_disk(folder))


def test_bad_options(prepared: Path, tmp_path: Path) -> None:
    folder = copy(prepared, tmp_path / "letters")
    result = run_cli(["send", folder, "--smtp", "smtp.example.nhs.uk"])
    assert result.exit_code == 2 and "not HOST:PORT" in result.stderr
    result = run_cli(["send", folder, "--smtp", "smtp.example.nhs.uk:587"],
                     env={"QSI_SMTP_USER": USER})
    assert result.exit_code == 2 and "QSI_SMTP_PASSWORD" in result.stderr
    result = run_cli(["send", tmp_path / "nowhere", "--smtp", "localhost:25", "--dry-run"])
    assert result.exit_code == 2 and "is not a folder" in result.stderr
    (folder / "broken.eml").write_bytes(b"Subject: no id\r\n\r\nhello\r\n")
    result = run_cli(["send", folder, "--smtp", "localhost:25", "--dry-run"])
    assert result.exit_code == 2 and "no Message-ID" in result.stderr
    (folder / "broken.eml").write_bytes(
        b"From: a@example.nhs.uk\r\nTo: b@example.nhs.uk\r\nBcc: c@example.nhs.uk\r\n"
        b"Message-ID: <x@example.nhs.uk>\r\nSubject: hidden\r\n\r\nhello\r\n")
    result = run_cli(["send", folder, "--smtp", "localhost:25", "--dry-run"])
    assert result.exit_code == 2 and "Bcc" in result.stderr


def test_one_run_at_a_time(prepared: Path, server: Server, tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    folder = copy(prepared, tmp_path / "letters")
    with (folder / ".qsi-sent.log").open("a") as log:
        fcntl.flock(log.fileno(), fcntl.LOCK_EX)  # as a run in progress holds it
        result = send(folder, server)
    assert result.exit_code == 2 and "Another 'qsi send' is sending" in result.stderr
    assert server.inbox.received == []
    assert send(folder, server).exit_code == 0
    assert len(server.inbox.received) == 9
