"""qsi tally."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .options import ProgrammeDir

if TYPE_CHECKING:
    from ..programme import Programme

EXAMPLE = ("Examples: qsi tally  |  qsi tally --method zscore --format json --out tally.json  "
           "|  qsi tally --format xlsx --out tally.xlsx  |  qsi tally --explain falls-huddles  "
           "|  qsi tally --round final")


class Method(StrEnum):
    mean = "mean"
    zscore = "zscore"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"
    github = "github"


def tally(
    programme: ProgrammeDir = Path(),
    method: Annotated[Method | None, typer.Option(
        help="mean or zscore (default: judging.method in programme.yaml).")] = None,
    format: Annotated[Format | None, typer.Option(
        "--format", "-f", help="table, json, csv, markdown, xlsx (an Excel workbook, with "
                               "--out) or github (the job summary, on a private repository "
                               "only; the default under GitHub Actions).",
        show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file (atomically) instead of the screen.")] = None,
    explain: Annotated[str | None, typer.Option(
        help="Show how one entry's score, rank and award were reached: the entry's ID, or its "
             "reference in the judge packs.", metavar="ENTRY")] = None,
    round_id: Annotated[str | None, typer.Option(
        "--round", help="The judging round (default: the current one by the timeline).",
        metavar="ID")] = None,
) -> None:
    """Score, rank and award every entry, exactly as the rules in SPEC §4 say."""
    from ..report import as_is, choose
    from ..report import tally as report
    from .common import emit, open_or_report

    prog = open_or_report(programme)
    rnd = prog.round(round_id)
    if explain is not None:
        explain = prog.entry_of(explain)
        _refuse_left(prog, explain)
    # the table is for the screen; in a file it is Markdown (in a .xlsx file, a workbook);
    # under GitHub Actions, where the log may be anyone's to read, the job summary of a
    # private repository
    name = format.value if format is not None else None
    if name is None and out is not None and out.suffix.lower() == ".xlsx":
        name = "xlsx"
    elif name in (None, "table") and out is not None:
        name = "markdown"
    private = prog.settings.repository == "private"
    if rnd.ranked:
        from ..errors import QsiError
        from ..report import ranked

        if method is not None:
            raise QsiError(f"The round '{rnd.id}' is ranked, so it has no scores to tally by "
                           "--method; leave --method out.")
        counted = prog.ranked(rnd)
        if explain is not None:
            emit(as_is, ranked.explain(counted, explain), out, programme)
        else:
            emit(choose({**ranked.REPORTERS, "github": report.summary_reporter(
                private, ranked.to_markdown)}, name), counted, out, programme)
        return
    results = prog.round_results(rnd, method.value if method else None)
    if explain is not None:
        emit(as_is, report.explain(results, explain), out, programme)
        return
    reporters = {**report.REPORTERS, "github": report.github(private)}
    emit(choose(reporters, name), results, out, programme)


def _refuse_left(prog: Programme, entry_id: str) -> None:
    """An entry withdrawn or disqualified is in no tally: say so, and when and why,
    rather than that there is no such entry (a usage error, as for any entry not in it)."""
    from ..dates import short_date
    from ..errors import QsiError

    entry = prog.folder.entries.get(entry_id)
    if entry is not None and entry.front.left is not None:
        how, why = entry.front.left
        raise QsiError(f"The entry '{entry_id}' was {how} on {short_date(why.date)} "
                       f"({why.reason}), so it is in no tally.")


def register(app: typer.Typer) -> None:
    app.command(name="tally", epilog=EXAMPLE)(tally)
