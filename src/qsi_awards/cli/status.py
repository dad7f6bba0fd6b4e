"""qsi status."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir, today_date

EXAMPLE = ("Examples: qsi status  |  qsi status --today 2020-02-15 --format markdown  |  "
           "qsi status --format json  |  qsi status --format xlsx --out status.xlsx")


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


def status(
    programme: ProgrammeDir = Path(),
    today: Annotated[str | None, typer.Option(
        help="Pretend today is this date (YYYY-MM-DD), for reproducible output.",
        metavar="DATE")] = None,
    format: Annotated[Format, typer.Option(
        "--format", "-f", help="text, json, markdown or xlsx (an Excel workbook, with --out)."
    )] = Format.text,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file (atomically) instead of the screen.")] = None,
    round_id: Annotated[str | None, typer.Option(
        "--round", help="The judging round (default: the current one by the timeline).",
        metavar="ID")] = None,
) -> None:
    """Where the programme stands: timeline, entries, judges' progress, readiness to tally."""
    from ..judging.progress import status as compute
    from ..report import choose
    from ..report.status import REPORTERS
    from .common import emit

    progress = compute(programme, today_date(today), round_id)
    emit(choose(REPORTERS, format), progress, out, programme)
    raise typer.Exit(1 if progress.errors else 0)


def register(app: typer.Typer) -> None:
    app.command(name="status", epilog=EXAMPLE)(status)
