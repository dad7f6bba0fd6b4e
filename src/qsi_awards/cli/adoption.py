"""qsi adoption."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = ("Examples: qsi adoption  |  qsi adoption --format markdown --out adoption.md  |  "
           "qsi adoption --format json  |  qsi adoption --format xlsx --out adoption.xlsx")


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"
    csv = "csv"


def adoption(
    programme: ProgrammeDir = Path(),
    format: Annotated[Format, typer.Option(
        "--format", "-f", help="text, json, markdown, xlsx (an Excel workbook, with --out) or "
                               "csv (one row per organisation and entry).")] = Format.text,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file (atomically) instead of the screen.")] = None,
) -> None:
    """Part 2: for every winning and highly commended entry, the organisations at each
    adoption stage (interested, planning, piloting, adopted, declined), with dates."""
    from ..judging.adoption import build
    from ..report import choose
    from ..report.adoption import REPORTERS
    from .common import emit, open_or_report

    prog = open_or_report(programme)
    emit(choose(REPORTERS, format), build(prog.results(), prog.adoption), out, programme)


def register(app: typer.Typer) -> None:
    app.command(name="adoption", epilog=EXAMPLE)(adoption)
