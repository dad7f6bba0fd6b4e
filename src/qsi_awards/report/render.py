"""`qsi render`'s reporter: what a run wrote under --out, what it removed, and what to
do next with it."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from . import Reporter

if TYPE_CHECKING:
    from ..render import Rendered


def text(done: Rendered, out: TextIO, /) -> None:
    """Names --out's folder as it was given."""
    count = len(done.written)
    lines = [f"Wrote {count} file{'s' if count != 1 else ''} under {done.folder}:"]
    shown = done.written if count <= 12 else done.written[:10]
    lines += [f"  {rel}" for rel in shown]
    if len(shown) < count:
        lines.append(f"  ... and {count - len(shown)} more")
    if done.removed:
        lines.append(f"Removed {len(done.removed)} file(s) an earlier run wrote that are "
                     "no longer produced: " + ", ".join(done.removed))
    if done.kind == "site":
        lines.append(f"Open {done.folder / 'index.html'} in a browser (it works without a "
                     "server).")
    if done.kind == "entry-form":
        lines.append(f"Send {done.folder / 'entry-form.html'} to entrants: it opens in any "
                     "browser, without a server or the internet.")
    if done.kind == "calendar":
        lines.append(f"Import {done.folder / 'calendar.ics'} into a calendar (Outlook, Google, "
                     "Apple); importing a newer one updates the same events.")
    if done.kind == "posts":
        lines.append(f"Schedule the posts in {done.folder / 'posts.csv'} on their dates (a post "
                     "with no date goes out when its milestone happens).")
    if done.kind == "results" and done.written:
        lines.append("The results pack holds every score: keep it to the programme team and "
                     "the steering group.")
    if done.kind == "letters" and any(rel.endswith(".eml") for rel in done.written):
        lines.append(f"Open a message in a mail client to check it; send them with 'qsi send "
                     f"{done.folder} --smtp HOST:PORT' (--dry-run first shows what it would "
                     "send).")
    if done.kind == "packs" and done.written:
        from ..render.packs import KEY

        lines.append(f"{KEY} matches each reference in the packs to its entry: keep it to "
                     "the programme team and send each judge only their own pack.")
    out.write("\n".join(lines) + "\n")


REPORTERS: dict[str, Reporter[Rendered]] = {"text": text}
