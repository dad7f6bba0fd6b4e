"""qsi registers."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir, today_date

EXAMPLE = ("Examples: qsi registers  |  qsi registers --format xlsx --out registers.xlsx  |  "
           "qsi registers --format csv --register risks")


class Format(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"
    csv = "csv"


class Register(StrEnum):
    risks = "risks"
    actions = "actions"
    issues = "issues"
    lessons = "lessons"
    decision_log = "decision-log"
    stakeholders = "stakeholders"


def registers(
    programme: ProgrammeDir = Path(),
    today: Annotated[str | None, typer.Option(
        help="Pretend today is this date (YYYY-MM-DD), for reproducible output.",
        metavar="DATE")] = None,
    format: Annotated[Format, typer.Option(
        "--format", "-f", help="text, json, xlsx (a workbook, one sheet per register: "
        "needs --out) or csv (one register: needs --register).")] = Format.text,
    register: Annotated[Register | None, typer.Option(
        "--register", help="The register for --format csv.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file (atomically) instead of the screen.")] = None,
) -> None:
    """The programme's registers (registers/: risks, actions, issues, lessons, the decision
    log and stakeholders), with what is overdue today."""
    from ..errors import QsiError
    from ..report import choose
    from ..report.registers import NAMES, REPORTERS, listing, tables
    from .common import emit, open_or_report

    prog = open_or_report(programme)
    found = listing(prog.folder.registers, today_date(today))
    if format is Format.xlsx:
        from ..fileio import output_file, write_bytes_atomic
        from ..report.tables import xlsx_bytes

        if out is None:
            raise QsiError("A workbook cannot be shown on the screen: give --out FILE.xlsx.")
        output_file(out, programme)
        try:
            write_bytes_atomic(out, xlsx_bytes(tables(found)))
        except OSError as error:
            raise QsiError(f"Cannot write {out}: {error.strerror}.") from None
        return
    if format is Format.csv:
        from ..report.tables import write_csv

        if register is None:
            raise QsiError("CSV holds one register: say which with --register (one of "
                           f"{', '.join(NAMES)}), or use --format xlsx for them all.")
        table = tables(found)[list(NAMES).index(register.value)]
        emit(write_csv, table, out, programme)
        return
    emit(choose(REPORTERS, format), found, out, programme)


def register(app: typer.Typer) -> None:
    app.command(name="registers", epilog=EXAMPLE)(registers)
