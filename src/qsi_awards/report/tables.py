"""Tables for the board and analysts: one shape, written as an Excel workbook or CSV.

A command that has tables to export (tally, status, adoption, calibration, the
registers) turns its result into `Table`s; `write_xlsx` writes one sheet per table with
typed cells (numbers as numbers, dates as dates), a frozen bold header row and filters;
`write_csv` writes one table as CSV. Cells hold text, whole or decimal numbers, dates,
booleans, or None for an empty cell. Text loses its control characters (controls.py)
and never runs as a formula. `workbook` and `csv_of` make a command's --format xlsx and
csv reporters from the function that turns its result into tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TextIO, TypeVar

from ..controls import removed
from . import Binary, Reporter

T = TypeVar("T")

Cell = str | int | float | Decimal | Fraction | dt.date | bool | None

# Excel's limits: 31 characters in a sheet name, none of these characters in it
_SHEET_NAME_MAX = 31
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
# text that a spreadsheet would run as a formula (CSV and formula injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """One table: its name (the sheet's name), column headings and rows of cells."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _number(value: Decimal | Fraction) -> float:
    return float(value)


def _safe_text(value: str) -> str:
    """Text a spreadsheet shows as text, never runs: a leading =, +, -, @ is quoted;
    control characters are removed (a workbook may not hold them at all)."""
    value = removed(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _sheet_names(tables: Sequence[Table]) -> list[str]:
    names: list[str] = []
    for table in tables:
        base = _SHEET_NAME_BAD.sub(" ", table.name).strip() or "Sheet"
        name = base[:_SHEET_NAME_MAX]
        number = 2
        while name.lower() in (n.lower() for n in names):
            suffix = f" ({number})"
            name = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
            number += 1
        names.append(name)
    return names


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """The workbook: one sheet per table, typed cells, frozen header, filters; the same
    tables always give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from ..render.workbooks import FIXED_TIME, saved

    book = Workbook()
    book.properties.creator = "qsi"
    book.properties.created = book.properties.modified = FIXED_TIME
    book.remove(book.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    for table, name in zip(tables, _sheet_names(tables), strict=True):
        sheet = book.create_sheet(name)
        sheet.append(list(table.columns))
        for cell in sheet[1]:
            cell.font = bold
        widths = [len(c) for c in table.columns]
        for row in table.rows:
            values: list[object] = []
            for index, value in enumerate(row):
                if isinstance(value, Decimal | Fraction):
                    values.append(_number(value))
                elif isinstance(value, str):
                    values.append(_safe_text(value))
                else:
                    values.append(value)
                if index < len(widths):
                    widths[index] = max(widths[index], min(len(str(value or "")), 60))
            sheet.append(values)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        if table.columns:
            last = get_column_letter(len(table.columns))
            sheet.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"
            for index, width in enumerate(widths, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = width + 2
    if not tables:
        book.create_sheet("Empty")
    return saved(book)


def write_csv(table: Table, out: TextIO) -> None:
    """One table as CSV: a header row, then the rows; dates as YYYY-MM-DD; text that
    a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        cells: list[str] = []
        for value in row:
            if value is None:
                cells.append("")
            elif isinstance(value, bool):
                cells.append("yes" if value else "no")
            elif isinstance(value, Decimal | Fraction):
                cells.append(str(_number(value)))
            elif isinstance(value, dt.date):
                cells.append(value.isoformat())
            elif isinstance(value, str):
                cells.append(_safe_text(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)


def workbook(tables: Callable[[T], Sequence[Table]], example: str) -> Binary[T]:
    """The --format xlsx reporter of a command whose result `tables` turns into tables
    (`example`: the file name its refusal on a terminal suggests for --out)."""
    return Binary(lambda result: xlsx_bytes(tables(result)), "An Excel workbook", example)


def csv_of(table: Callable[[T], Table]) -> Reporter[T]:
    """The --format csv reporter of a command whose result is one table."""

    def reporter(result: T, out: TextIO, /) -> None:
        write_csv(table(result), out)

    return reporter
