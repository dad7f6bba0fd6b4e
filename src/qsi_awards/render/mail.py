"""E-mail messages as `.eml` files (RFC 5322), built with the standard library's `email`
package: UTF-8, a plain-text part and an HTML part (multipart/alternative), attachments
after them (multipart/mixed), every body part quoted-printable or base64 so the message
is 7-bit clean and goes through any mail server.

A message is made from the programme's data only, so rendering it again gives the same
bytes: its Date is a date the programme gives (09:00 UTC that day), not the clock; its
Message-ID is a hash of the programme, the recipient and the kind of message (and its
MIME boundaries follow from the Message-ID). `qsi send` keeps a log of the Message-IDs it
has sent, so the same message is never sent twice.

Messages prepared before the results are released (`qsi render letters --confidential`)
carry the header EMBARGO with the release date ('unreleased' when there is none yet):
`qsi send` holds them back until that date.

The text of a message comes from a template (`letter-<kind>.txt`): its first line is
`Subject: ...`, then a blank line, then the plain text. The HTML part is that text laid
out by `letter.html`, paragraph by paragraph, so both parts always say the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any

from ..errors import ProblemsFound
from .text import one_line

if TYPE_CHECKING:
    from .environment import Templates

EMBARGO = "X-QSI-Embargoed-Until"
UNRELEASED = "unreleased"  # EMBARGO's value before the release has a date
SUBJECT = "Subject:"
SUBJECT_MAX = 200  # characters


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str = "application"
    subtype: str = "pdf"


@dataclass(frozen=True)
class Letter:
    """One message, before it is made into bytes."""

    kind: str  # the template's kind: winner, judge-invitation, ...
    key: str  # what makes the message unique in the programme: 'entry:falls-huddles'
    to_name: str
    to_email: str
    subject: str
    text: str  # the plain text, without the subject line
    date: dt.date
    embargo: str | None = None  # the release date (or UNRELEASED) it waits for
    attachments: tuple[Attachment, ...] = ()


def compose(templates: Templates, kind: str, context: Mapping[str, Any]
            ) -> tuple[str, str]:
    """(subject, plain text) of `letter-<kind>.txt` rendered with `context`; a template
    whose first line is not 'Subject: ...' is a template error (ProblemsFound)."""
    name = f"letter-{kind}.txt"
    rendered = templates.render(name, context)
    first, _, rest = rendered.partition("\n")
    subject = one_line(first.removeprefix(SUBJECT)) if first.startswith(SUBJECT) else ""
    if not subject:
        where = templates.display(None, name)
        raise ProblemsFound(f"Template {where}: its first line must be 'Subject: ' and the "
                            "message's subject (then a blank line, then the message). Fix "
                            "the template and run the command again.")
    if len(subject) > SUBJECT_MAX:
        subject = subject[:SUBJECT_MAX - 1] + "…"
    return subject, rest.strip("\n") + "\n"


def paragraphs(text: str) -> list[list[str]]:
    """The text's paragraphs (separated by blank lines), each as its lines."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def message_id(programme: str, edition: str, key: str, domain: str) -> str:
    """A Message-ID that depends only on the programme, the edition and the message's
    key: the same message rendered again has the same one."""
    digest = hashlib.sha256("\x00".join(("qsi", programme, edition, key)).encode("utf-8"))
    return f"<{digest.hexdigest()[:40]}@{domain}>"


def message(letter: Letter, html: str, sender: Address, msgid: str) -> bytes:
    """The .eml bytes of `letter` (CRLF line ends, as SMTP sends them)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = Address(display_name=one_line(letter.to_name), addr_spec=letter.to_email)
    msg["Subject"] = letter.subject
    msg["Date"] = format_datetime(dt.datetime.combine(letter.date, dt.time(9, 0),
                                                      tzinfo=dt.UTC))
    msg["Message-ID"] = msgid
    if letter.embargo is not None:
        msg[EMBARGO] = letter.embargo
    msg.set_content(letter.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    for attachment in letter.attachments:
        msg.add_attachment(attachment.data, maintype=attachment.maintype,
                           subtype=attachment.subtype, filename=attachment.filename)
    _boundaries(msg, msgid)
    return msg.as_bytes()


def _boundaries(msg: EmailMessage, msgid: str) -> None:
    """Fixed MIME boundaries (the email package picks random ones), one per multipart
    level, from the Message-ID; never text that the parts could hold, since every part
    is quoted-printable or base64, neither of which writes '=_'."""
    stem = hashlib.sha256(msgid.encode("ascii")).hexdigest()[:24]
    for depth, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_qsi_{stem}_{depth}")


def sender_of(name: str, email: str | None) -> Address:
    """The From address: the programme's name at its e-mail address (programme.yaml
    `email:`); ProblemsFound when it has none."""
    if email is None:
        raise ProblemsFound(
            "programme.yaml has no e-mail address for the programme team, so qsi cannot say "
            "who the messages are from. Add one, such as 'email: qsi.awards@example.nhs.uk', "
            "then run the command again.")
    return Address(display_name=one_line(name), addr_spec=email)

