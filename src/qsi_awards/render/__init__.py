"""`qsi render`: shortlists, certificates, announcements, a showcase site, judge packs,
scoring workbooks, an offline entry form, the steering group's results pack,
feedback reports to entrants, and letters to entrants and judges (and `qsi remind`'s
reminders), from
Jinja templates (see environment.py; the workbooks are built with openpyxl), written
only under --out.

Each kind of output is one module with `render(job)`; `run()` checks --out, renders
every file, staging each out of the way as it comes (so a template error writes
nothing, and memory holds one file at a time), then moves them all into place.

Until the results are released (judging/release.py), the public outputs (shortlist,
announcement, site) show finalists at most, never an award, rank or score; the private
ones (certificates, results, feedback) are made only with `confidential`, and say on every page
that they are embargoed.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ProblemsFound, QsiError

if TYPE_CHECKING:
    from ..programme import Programme
    from .environment import Templates
    from .output import Outputs

KINDS = ("shortlist", "certificates", "announcement", "site", "packs", "workbooks",
         "entry-form", "results", "feedback", "board-report", "calendar", "posts", "letters",
         "reminders")
# embargoed until released: made only on request (letters: those that tell an outcome)
PRIVATE = ("certificates", "results", "feedback", "letters")
# the board report is made at any time; with --confidential, before the release, it
# names the winners and says on every page that it is embargoed
CONFIDENTIAL_KINDS = (*PRIVATE, "board-report")


@dataclass
class Job:
    """What a renderer works with, and where it reports."""

    programme: Programme
    templates: Templates
    outputs: Outputs
    today: dt.date
    confidential: bool = False  # --confidential: a private output, before the release
    finalists: bool = False  # --finalists: the announcement of the finalists
    entry_form: str | None = None  # --entry-form: where the site links the entry form
    feedback: Path | None = None  # letters: --feedback, the feedback reports to attach
    mail_format: str = "eml"  # letters: --format, eml or csv
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    @property
    def released(self) -> bool:
        """Whether the results are released on `today`."""
        return self.programme.release.released(self.today)

    def embargo(self) -> str | None:
        """For a private output: None once the results are released, else what every page
        says ('Confidential — embargoed until 1 April 2020'), provided it was asked for
        with --confidential; without it, ProblemsFound (exit 1)."""
        if self.released:
            return None
        release = self.programme.release
        if not self.confidential:
            kind = self.outputs.kind
            raise ProblemsFound(
                f"The results are not released yet (they are released {release.describe()}"
                f"), so 'qsi render {kind}' makes this private output only when asked: add "
                "--confidential, and every page says it is confidential and embargoed. Keep "
                "it to the programme team and the steering group until then.")
        return release.embargo_note()


@dataclass(frozen=True)
class Rendered:
    """What a run of `qsi render KIND --out FOLDER` did."""

    kind: str
    folder: Path  # FOLDER as it was given, for messages
    written: list[str]  # the files written, relative to FOLDER
    removed: list[str]  # the files an earlier run wrote that this one no longer makes
    warnings: list[str]


def run(kind: str, programme: Programme, out: Path, today: dt.date | None = None, *,
        confidential: bool = False, finalists: bool = False,
        entry_form: str | None = None, feedback: Path | None = None,
        mail_format: str = "eml") -> Rendered:
    """Render one kind of output for a loaded programme into `out`, as on `today` (the
    real today by default); `confidential` makes a private output before the release,
    `finalists` the announcement of the finalists; `entry_form` is the link the site's
    How to enter page gives to the entry form; `feedback` and `mail_format` are the
    letters' --feedback and --format."""
    from ..fileio import output_folder
    from .environment import Templates
    from .output import Outputs

    if kind not in KINDS:
        raise ValueError(kind)
    if confidential and kind not in CONFIDENTIAL_KINDS:
        raise QsiError(f"--confidential is only for the private outputs "
                       f"({', '.join(PRIVATE)}) and the board report; 'qsi render {kind}' "
                       "does not take it.")
    if finalists and kind != "announcement":
        raise QsiError("--finalists is for 'qsi render announcement' only.")
    if entry_form is not None:
        from .text import safe_link

        if kind != "site":
            raise QsiError("--entry-form is for 'qsi render site' only.")
        if not entry_form.strip() or not safe_link(entry_form):
            raise QsiError(f"--entry-form {entry_form!r} is not a link the site can give: use "
                           "the form's file name beside the site (entry-form.html) or its "
                           "web address (https://...).")
    if kind == "calendar" and out.suffix.lower() == ".ics":
        raise QsiError(f"--out is the folder to write calendar.ics into, not the file: "
                       f"give a folder, such as --out {out.parent.as_posix()}.")
    if (feedback is not None or mail_format != "eml") and kind != "letters":
        raise QsiError("--feedback and --format are for 'qsi render letters' only.")
    root = output_folder(out, programme.root)
    job = Job(programme, Templates(programme.root, programme.settings), Outputs(root, kind),
              today or dt.date.today(), confidential, finalists, entry_form, feedback,
              mail_format)
    try:
        importlib.import_module(f"{__name__}.{kind.replace('-', '_')}").render(job)
        written = job.outputs.commit()
    finally:
        job.outputs.discard()
    for rel in job.outputs.kept:
        job.warn(f"left {rel}, which an earlier run wrote but this one no longer makes: it "
                 "has changed since, so it is not qsi's to remove; delete it if it should go.")
    return Rendered(kind, out, written, job.outputs.removed, job.warnings)
