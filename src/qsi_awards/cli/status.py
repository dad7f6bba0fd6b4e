"""qsi status."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir, today_date

EXAMPLE = ("Examples: qsi status  |  qsi status --today 2020-02-15 --format markdown  |  "
           "qsi status --format json")


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def status(
    programme: ProgrammeDir = Path(),
    today: Annotated[str | None, typer.Option(
        help="Pretend today is this date (YYYY-MM-DD), for reproducible output.",
        metavar="DATE")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text, json or markdown."
                                           )] = Format.text,
) -> None:
    """Where the programme stands: timeline, entries, judges' progress, readiness to tally."""
    from ..judging.progress import status as compute
    from ..report import choose
    from ..report.status import REPORTERS

    progress = compute(programme, today_date(today))
    choose(REPORTERS, format)(progress, sys.stdout)
    raise typer.Exit(1 if progress.errors else 0)


def register(app: typer.Typer) -> None:
    app.command(name="status", epilog=EXAMPLE)(status)
