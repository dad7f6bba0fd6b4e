"""`qsi send DIR`: send the messages `qsi render letters` and `qsi remind --out` wrote
(every `*.eml` under DIR) over SMTP, each exactly as it is on disk.

- **Over TLS only**: the connection is upgraded with STARTTLS and the server's
  certificate checked (against the system's certificate authorities, or `--ca-file`)
  before anything else is said; a server that does not offer STARTTLS is refused.
  `--no-tls` is allowed only for a server on this machine (localhost: a test server, or
  a relay that does its own TLS), and never with credentials.
- **Credentials from the environment**: QSI_SMTP_USER and QSI_SMTP_PASSWORD, when the
  server needs a login; never on the command line, where others could read them.
- **Never twice**: DIR/.qsi-sent.log has a line for each message the server accepted
  (its Message-ID, when, the file), appended, flushed and synced to disk as soon as the
  server accepts it, before the next is sent. A message whose Message-ID is in the log is
  not sent again, so a run that stopped part-way (the server refused, the network or
  the machine went down) is finished by running it again. (The one window left: the
  machine stopping between the server's acceptance and the log's write, a few
  microseconds, would send that one message again.) The log is locked while a run
  sends, so a second run from the same folder at the same time is refused.
- **The embargo**: a message prepared before the results were released (`qsi render
  letters --confidential`) is held back until the release date in its header.
- `--dry-run` shows what would be sent, and connects to nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

from .dates import long_date
from .errors import QsiError
from .fileio import FILE, FOLDER, kind_of, read_file
from .render.mail import EMBARGO, UNRELEASED

LOG = ".qsi-sent.log"
MESSAGE_LIMIT = 40 * 1024 * 1024
LOCAL = frozenset({"localhost", "127.0.0.1", "::1"})
USER, PASSWORD = "QSI_SMTP_USER", "QSI_SMTP_PASSWORD"


@dataclass(frozen=True)
class Outgoing:
    """A prepared message."""

    rel: str  # its file under DIR
    message_id: str
    sender: str
    to: tuple[str, ...]
    subject: str
    embargo: str | None
    data: bytes

    def held(self, today: dt.date) -> str | None:
        """Why it may not be sent on `today` (None: it may)."""
        if self.embargo is None:
            return None
        if self.embargo == UNRELEASED:
            return "embargoed until the results are released (no date is set yet)"
        until = dt.date.fromisoformat(self.embargo)
        return None if today >= until else f"embargoed until {long_date(until)}"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    tls: bool = True
    ca_file: Path | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 60


@dataclass
class Sending:
    """What a run did (or, with dry_run, would do)."""

    folder: Path
    dry_run: bool
    sent: list[Outgoing] = field(default_factory=list)  # now (dry run: would be)
    already: list[Outgoing] = field(default_factory=list)  # in the log from before
    held: list[tuple[Outgoing, str]] = field(default_factory=list)  # and why


def server(address: str, tls: bool, ca_file: Path | None) -> Server:
    """The --smtp HOST:PORT, --no-tls and --ca-file options, with the credentials from
    the environment; QsiError for what qsi will not do."""
    host, colon, port = address.rpartition(":")
    host = host.strip("[]")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise QsiError(f"--smtp {address} is not HOST:PORT, such as smtp.example.nhs.uk:587.")
    user = os.environ.get(USER) or None
    password = os.environ.get(PASSWORD) or None
    if (user is None) != (password is None):
        raise QsiError(f"Set both {USER} and {PASSWORD} (or neither, for a server that "
                       "needs no login).")
    if not tls:
        if host.lower() not in LOCAL:
            raise QsiError(f"--no-tls is only for a server on this machine (localhost); "
                           f"{host} must be reached over TLS, so leave --no-tls out.")
        if user is not None:
            raise QsiError(f"qsi never sends a password without TLS: leave --no-tls out, or "
                           f"unset {USER} and {PASSWORD}.")
    if ca_file is not None and kind_of(ca_file) != FILE:
        raise QsiError(f"--ca-file {ca_file} is not a file of certificates (PEM).")
    return Server(host, int(port), tls, ca_file, user, password)


def prepared(folder: Path) -> list[Outgoing]:
    """Every message under `folder`, by file name; QsiError for a file that is not a
    message qsi can send."""
    if kind_of(folder) != FOLDER:
        raise QsiError(f"{folder} is not a folder; give the folder 'qsi render letters "
                       "--out' or 'qsi remind --out' wrote the messages into.")
    found: list[Outgoing] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.rglob("*.eml")):
        rel = path.relative_to(folder).as_posix()
        if kind_of(path) != FILE:
            raise QsiError(f"{path} is {kind_of(path)}, not a message file; qsi sends only "
                           "ordinary files. Move it away and run the command again.")
        try:
            data = read_file(path, MESSAGE_LIMIT)
        except (OSError, ValueError) as error:
            raise QsiError(f"Cannot read {path}: {getattr(error, 'strerror', None) or error}."
                           ) from None
        outgoing = _outgoing(rel, data, path)
        if outgoing.message_id in seen:
            raise QsiError(f"{path} and {folder / seen[outgoing.message_id]} are the same "
                           f"message (Message-ID {outgoing.message_id}); remove one of them.")
        seen[outgoing.message_id] = rel
        found.append(outgoing)
    return found


def _outgoing(rel: str, data: bytes, path: Path) -> Outgoing:
    msg = BytesParser(policy=policy.default).parsebytes(data)
    problem = None
    message_id = " ".join(str(msg.get("Message-ID", "")).split())
    senders = getaddresses([str(v) for v in msg.get_all("From", [])])
    to = tuple(addr for _, addr in getaddresses(
        [str(v) for name in ("To", "Cc") for v in msg.get_all(name, [])]) if addr)
    embargo = msg.get(EMBARGO)
    if not message_id:
        problem = "it has no Message-ID"
    elif len(senders) != 1 or not senders[0][1]:
        problem = "it has no From address"
    elif not to:
        problem = "it has no recipient (To)"
    elif msg.get_all("Bcc"):
        problem = ("it has a Bcc header, which qsi would send to every recipient as it is; "
                   "put those addresses in To or Cc, or send it from a mail client")
    elif embargo is not None and str(embargo) != UNRELEASED and not _is_date(str(embargo)):
        problem = f"its {EMBARGO} header is not a date"
    if problem is not None:
        raise QsiError(f"{path} is not a message qsi can send: {problem}. Render it again "
                       "(qsi render letters, qsi remind --out).")
    return Outgoing(rel, message_id, senders[0][1], to, " ".join(str(msg["Subject"]).split()),
                    None if embargo is None else str(embargo), data)


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def logged(folder: Path) -> set[str]:
    """The Message-IDs in the send log."""
    path = folder / LOG
    found = kind_of(path)
    if found is None:
        return set()
    if found != FILE:
        raise QsiError(f"{path} is {found}, not qsi's send log; move it away.")
    try:
        text = read_file(path, MESSAGE_LIMIT).decode("utf-8")
    except (OSError, ValueError) as error:
        raise QsiError(f"Cannot read the send log {path}: "
                       f"{getattr(error, 'strerror', None) or error}.") from None
    return {line.split("\t", 1)[0] for line in text.splitlines() if line.strip()}


def send(folder: Path, to: Server | None, today: dt.date) -> Sending:
    """Send every message under `folder` not yet in its log and not held back by the
    embargo; with `to` None, a dry run. A failure part-way raises QsiError, saying how
    many were sent (and logged). One run at a time sends from a folder: the log is
    locked while it runs (where the system can lock files)."""
    messages = prepared(folder)
    if to is None:
        return _sorted(folder, messages, logged(folder), today, dry_run=True)
    with _Log(folder / LOG) as log:
        result = _sorted(folder, messages, logged(folder), today, dry_run=False)
        due, result.sent = result.sent, []
        if not due:
            return result
        with _connect(to) as smtp:
            for outgoing in due:
                try:
                    smtp.sendmail(outgoing.sender, list(outgoing.to), outgoing.data)
                except (smtplib.SMTPException, OSError) as error:
                    raise QsiError(
                        f"Sent {len(result.sent)} of {len(due)} messages, then sending "
                        f"{outgoing.rel} failed: {_why(error)}. The send log "
                        f"({folder / LOG}) has every message sent; run the command again "
                        "to send the rest (nothing is sent twice).") from None
                log.add(outgoing, dt.datetime.now(dt.UTC))
                result.sent.append(outgoing)
    return result


def _sorted(folder: Path, messages: list[Outgoing], done: set[str], today: dt.date,
            dry_run: bool) -> Sending:
    """The messages as sent before (in the log), held back, or to send (`sent`)."""
    result = Sending(folder, dry_run)
    for outgoing in messages:
        why = outgoing.held(today)
        if outgoing.message_id in done:
            result.already.append(outgoing)
        elif why is not None:
            result.held.append((outgoing, why))
        else:
            result.sent.append(outgoing)
    return result


def _why(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode("utf-8", "replace") if isinstance(
            error.smtp_error, bytes) else str(error.smtp_error)
        return f"the server answered {error.smtp_code} {' '.join(text.split())}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "the server refused the recipient"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    return " ".join(str(error).split()) or type(error).__name__


def _connect(to: Server) -> smtplib.SMTP:
    where = f"{to.host}:{to.port}"
    try:
        smtp = smtplib.SMTP(to.host, to.port, timeout=to.timeout)
    except (OSError, smtplib.SMTPException) as error:
        raise QsiError(f"Cannot connect to the mail server {where}: {_why(error)}. Check "
                       "--smtp, and that this machine may reach it.") from None
    try:
        smtp.ehlo()
        if to.tls:
            if not smtp.has_extn("starttls"):
                raise QsiError(f"The mail server {where} does not offer STARTTLS, and qsi "
                               "sends only over TLS; ask for the address of one that does.")
            context = ssl.create_default_context(
                cafile=str(to.ca_file) if to.ca_file is not None else None)
            smtp.starttls(context=context)
            smtp.ehlo()
        if to.user is not None and to.password is not None:
            smtp.login(to.user, to.password)
    except QsiError:
        smtp.close()
        raise
    except ssl.SSLError as error:
        smtp.close()
        reason = error.reason or error
        raise QsiError(f"The mail server {where} failed the TLS check ({reason}); qsi sends "
                       "nothing to a server it cannot verify. Give its "
                       "certificate authority with --ca-file if it has its own.") from None
    except smtplib.SMTPAuthenticationError:
        smtp.close()
        raise QsiError(f"The mail server {where} refused the login in {USER} and "
                       f"{PASSWORD}; check them.") from None
    except (smtplib.SMTPException, OSError) as error:
        smtp.close()
        raise QsiError(f"The mail server {where} failed: {_why(error)}.") from None
    return smtp


class _Log:
    """The send log, open for appending: each line flushed and synced as it is added."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def __enter__(self) -> _Log:
        try:
            self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT
                              | os.O_NOFOLLOW, 0o600)
        except OSError as error:
            raise QsiError(f"Cannot open the send log {self.path}: {error.strerror}; "
                           "nothing was sent.") from None
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks
            return self
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            raise QsiError(f"Another 'qsi send' is sending from {self.path.parent} now; "
                           "let it finish (then run this again if it stopped).") from None
        return self

    def add(self, outgoing: Outgoing, when: dt.datetime) -> None:
        rel = " ".join(outgoing.rel.split())
        line = f"{outgoing.message_id}\t{when.isoformat(timespec='seconds')}\t{rel}\n"
        os.write(self.fd, line.encode("utf-8"))
        os.fsync(self.fd)

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)
