"""`qsi send`'s reporter: what was sent (or, with --dry-run, would be), what the log
says was sent before, and what the embargo holds back."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..controls import escaped
from . import Reporter

if TYPE_CHECKING:
    from ..sending import Outgoing, Sending

SHOWN = 20  # messages listed by name; the rest are counted


def _line(outgoing: Outgoing) -> str:
    return (f"  {escaped(outgoing.rel)}  to {escaped(', '.join(outgoing.to))}: "
            f"{escaped(outgoing.subject)}")


def _listed(items: list[str]) -> list[str]:
    if len(items) <= SHOWN:
        return items
    return [*items[:SHOWN - 2], f"  ... and {len(items) - SHOWN + 2} more"]


def text(done: Sending, out: TextIO, /) -> None:
    from ..sending import LOG

    count = len(done.sent)
    plural = "s" if count != 1 else ""
    if done.dry_run:
        lines = [f"Would send {count} message{plural} from {done.folder} (a dry run: "
                 "nothing was sent)" + (":" if count else ".")]
    else:
        lines = [f"Sent {count} message{plural} from {done.folder}" + (":" if count else ".")]
    lines += _listed([_line(o) for o in done.sent])
    if done.already:
        lines.append(f"Already sent, so not sent again: {len(done.already)} (in "
                     f"{done.folder / LOG}).")
    if done.held:
        lines.append(f"Held back: {len(done.held)}, not sent:")
        lines += _listed([f"{_line(o)} ({why})" for o, why in done.held])
        lines.append("Send them on or after the release date (run this again then).")
    out.write("\n".join(lines) + "\n")


REPORTERS: dict[str, Reporter[Sending]] = {"text": text}
