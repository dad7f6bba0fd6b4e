"""qsi remind."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir, today_date

EXAMPLE = ("Examples: qsi remind  |  qsi remind --format json  |  qsi remind --out "
           "out/reminders, then qsi send out/reminders --smtp smtp.example.nhs.uk:587")


class Format(StrEnum):
    text = "text"
    json = "json"


def remind(
    programme: ProgrammeDir = Path(),
    today: Annotated[str | None, typer.Option(
        help="As on this date (YYYY-MM-DD): which round is current, and the days left.",
        metavar="DATE")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")
                      ] = Format.text,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Also write a reminder message (<judge>.eml) for each of them "
        "into this folder, for 'qsi send'.", metavar="DIR", show_default=False)] = None,
) -> None:
    """The judges with judgements still to do in the current round, how many, and the
    deadline; with --out, a reminder e-mail to each."""
    from ..judging.reminders import reminders
    from ..report import choose
    from ..report.remind import REPORTERS
    from .common import open_or_report, warn

    day = today_date(today)
    prog = open_or_report(programme)
    due = reminders(prog, day)
    if out is not None:
        from ..render import run

        done = run("reminders", prog, out, day)
        for warning in done.warnings:
            warn(f"warning: {warning}")
        count = len(done.written)
        warn(f"wrote {count} reminder{'s' if count != 1 else ''} under {out}"
             + (f": {', '.join(done.written)}" if done.written else ""))
    choose(REPORTERS, format)(due, sys.stdout)


def register(app: typer.Typer) -> None:
    app.command(name="remind", epilog=EXAMPLE)(remind)
