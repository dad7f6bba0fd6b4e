"""qsi calibration."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = ("Examples: qsi calibration  |  qsi calibration --format markdown --out "
           "calibration.md  |  qsi calibration --round shortlisting --format json  |  "
           "qsi calibration --format xlsx --out calibration.xlsx")


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


def calibration(
    programme: ProgrammeDir = Path(),
    format: Annotated[Format, typer.Option(
        "--format", "-f", help="text, json, markdown or xlsx (an Excel workbook, with --out)."
    )] = Format.text,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file (atomically) instead of the screen.")] = None,
    round_id: Annotated[str | None, typer.Option(
        "--round", help="A rubric round (default: the current one by the timeline, or "
        "once a ranked round is current, the rubric round before it).",
        metavar="ID")] = None,
) -> None:
    """Each judge's harshness or leniency against their co-judges, the panel's agreement
    (Krippendorff's alpha) and the entries to moderate, for a rubric round."""
    from ..errors import QsiError
    from ..report import choose
    from ..report.calibration import REPORTERS
    from .common import emit, open_or_report

    prog = open_or_report(programme)
    rnd = prog.round(round_id)
    if rnd.ranked and round_id is None:  # a ranked final is current: the round judges scored
        rnd = next((r for r in reversed(prog.rounds[:rnd.index]) if not r.ranked), rnd)
    if rnd.ranked:
        raise QsiError(f"The round '{rnd.id}' is ranked: judges rank, they do not score, so "
                       "there is nothing to calibrate; give a rubric round with --round.")
    emit(choose(REPORTERS, format), prog.calibration(rnd), out, programme)


def register(app: typer.Typer) -> None:
    app.command(name="calibration", epilog=EXAMPLE)(calibration)
