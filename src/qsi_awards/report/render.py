"""`qsi render`'s reporter: what a run wrote under --out, what it removed, and what to
do next with it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..render import Report


@dataclass(frozen=True)
class Text:
    """Reports a run of `qsi render KIND --out FOLDER`, naming FOLDER as it was given."""

    kind: str
    folder: Path

    def __call__(self, done: Report, out: TextIO, /) -> None:
        count = len(done.written)
        lines = [f"Wrote {count} file{'s' if count != 1 else ''} under {self.folder}:"]
        shown = done.written if count <= 12 else done.written[:10]
        lines += [f"  {rel}" for rel in shown]
        if len(shown) < count:
            lines.append(f"  ... and {count - len(shown)} more")
        if done.removed:
            lines.append(f"Removed {len(done.removed)} file(s) an earlier run wrote that are "
                         "no longer produced: " + ", ".join(done.removed))
        if self.kind == "site":
            lines.append(f"Open {self.folder / 'index.html'} in a browser (it works without a "
                         "server).")
        if self.kind == "entry-form":
            lines.append(f"Send {self.folder / 'entry-form.html'} to entrants: it opens in any "
                         "browser, without a server or the internet.")
        if self.kind == "packs" and done.written:
            from ..render.packs import KEY

            lines.append(f"{KEY} matches each reference in the packs to its entry: keep it to "
                         "the programme team and send each judge only their own pack.")
        out.write("\n".join(lines) + "\n")
