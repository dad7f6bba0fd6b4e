"""qsi tally."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = ("Examples: qsi tally  |  qsi tally --method zscore --format json --out tally.json  "
           "|  qsi tally --explain falls-huddles")


class Method(StrEnum):
    mean = "mean"
    zscore = "zscore"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def tally(
    programme: ProgrammeDir = Path(),
    method: Annotated[Method | None, typer.Option(
        help="mean or zscore (default: judging.method in programme.yaml).")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="table, json, csv or markdown."
                                           )] = Format.table,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file (atomically) instead of the screen.")] = None,
    explain: Annotated[str | None, typer.Option(
        help="Show how one entry's score, rank and award were reached.", metavar="ENTRY")] = None,
) -> None:
    """Score, rank and award every entry, exactly as the rules in SPEC §4 say."""
    from ..report import as_is, choose
    from ..report import tally as report
    from .common import emit, open_or_report

    prog = open_or_report(programme)
    results = prog.results(method.value if method else None)
    if explain is not None:
        criteria = [c.id for c in prog.criteria]
        emit(as_is, report.explain(results, explain, criteria), out, programme)
        return
    # the table is for the screen; in a file it is Markdown
    name = Format.markdown if format is Format.table and out is not None else format
    emit(choose(report.REPORTERS, name), results, out, programme)


def register(app: typer.Typer) -> None:
    app.command(name="tally", epilog=EXAMPLE)(tally)
