"""qsi archive."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir, today_date

EXAMPLE = ("Examples: qsi archive --out ../kmqsi-2020-archive  |  qsi archive --out archive "
           "--today 2020-04-02 --format json")


class Format(StrEnum):
    text = "text"
    json = "json"


def archive(
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="A new or empty folder for the archive; nothing is written "
                            "anywhere else.", show_default=False)],
    programme: ProgrammeDir = Path(),
    today: Annotated[str | None, typer.Option(
        help="Pretend today is this date (YYYY-MM-DD): the edition must be finished (the "
        "day after its ceremony or later).", metavar="DATE")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json."
                                           )] = Format.text,
) -> None:
    """A copy of a finished edition with personal data removed or pseudonymised by the
    `retention:` rules in programme.yaml, from which 'qsi tally' gives the same results.
    The programme itself is never changed."""
    from ..report import choose
    from ..report.archive import REPORTERS
    from ..writes.archive import write
    from .common import open_or_report

    written = write(open_or_report(programme), out, today_date(today))
    choose(REPORTERS, format)(written, sys.stdout)


def register(app: typer.Typer) -> None:
    app.command(name="archive", epilog=EXAMPLE)(archive)
