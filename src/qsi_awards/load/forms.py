"""A survey export, as Microsoft Forms and Google Forms write them: CSV or .xlsx, read
into a table of cells for `qsi import entries`.

- CSV is read as UTF-8 (a byte order mark, as Excel's "CSV UTF-8" writes, is dropped),
  with Python's csv module: a quoted cell may hold commas and line breaks, and records
  may end in Windows line endings. The delimiter is the comma, unless the header line
  holds more semicolons or tabs (Excel in some countries saves "CSV" with semicolons).
- .xlsx is read with openpyxl, read-only and with the values formulas last showed: the
  first worksheet, whatever its name. Dates come as the spreadsheet holds them: a date
  cell as a datetime, a number (an Excel serial date whose format was lost) as a number.
- Row 1 is the header row; rows are numbered as the spreadsheet shows them (a CSV cell
  that holds line breaks is still one row), so a finding's row is the row a person sees.
  Empty rows are left out. Every line break in a cell becomes a plain new line.

Anything that is not such a file is a QsiError (exit 2) saying what to give instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..errors import QsiError
from ..fileio import read_file

MAX_EXPORT_BYTES = 64 * 1024 * 1024
MAX_ROWS = 100_000
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")

Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | None


@dataclass(frozen=True)
class Table:
    path: str  # the export, as the person running qsi named it
    headers: list[str]  # column 1 first
    rows: list[tuple[int, list[Cell]]]  # (row number, one cell per header), empty rows left out


def read_export(path: Path, shown: str) -> Table:
    """The table in the export at `path` (`shown` is how messages name it)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        what = ("an old Excel workbook (.xls): open it in Excel and save it as an Excel "
                "Workbook (.xlsx) or as CSV UTF-8" if suffix == ".xls" else
                "neither a CSV file (.csv) nor an Excel workbook (.xlsx)")
        raise QsiError(f"{shown} is {what}. Give the export Microsoft Forms (Open in Excel) "
                       "or Google Forms (Download responses) makes.")
    try:
        data = read_file(path, MAX_EXPORT_BYTES, follow_links=True)
    except FileNotFoundError:
        raise QsiError(f"There is no file {shown}; give the path of the exported responses."
                       ) from None
    except ValueError as error:
        why = ("is larger than 64 MiB, far more than a form's responses" if "larger" in str(
            error) else "is not an ordinary file")
        raise QsiError(f"{shown} {why}; give the exported responses.") from None
    except OSError as error:
        raise QsiError(f"{shown} cannot be read ({error.strerror}).") from None
    is_zip = data.startswith(b"PK\x03\x04")
    if suffix == ".xlsx" or is_zip:
        if not is_zip:
            raise QsiError(f"{shown} is not an Excel workbook, whatever its name says; save it "
                           "again from Excel as an Excel Workbook (.xlsx), or as CSV UTF-8 with "
                           "a .csv name.")
        headers, rows = _xlsx_rows(data, shown)
    else:
        headers, rows = _csv_rows(data, shown)
    return Table(shown, headers, rows)


def _clean(value: Cell) -> Cell:
    """Text with plain new lines (Windows and old Mac line breaks, and the line and
    paragraph separators, as one new line)."""
    if isinstance(value, str) and ("\r" in value or "\u2028" in value or "\u2029" in value):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = value.replace("\u2028", "\n").replace("\u2029", "\n")
    return value


def _table(raw: list[tuple[int, list[Cell]]], shown: str
           ) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    """The header row and the non-empty rows after it, each cut or padded to the headers."""
    if not raw:
        raise QsiError(f"{shown} is empty: it has no header row and no responses.")
    number, header = raw[0]
    headers = ["" if cell is None else " ".join(str(cell).split()) for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    if number != 1 or not headers:
        raise QsiError(f"{shown} has no header row in row 1: give the export as Forms makes "
                       "it, with the questions in the first row.")
    width = len(headers)
    rows = []
    for number, cells in raw[1:]:
        cells = [_clean(cell) for cell in cells[:width]]
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        rows.append((number, cells + [None] * (width - len(cells))))
    return headers, rows


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {delimiter: first.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def lines(text: str) -> Iterator[str]:
    """The lines of `text`, each with its ending, as io.StringIO(text, newline="") gives
    them to the csv module (a line ends at a new line, a carriage return or both), without
    StringIO's copy of the text at four bytes a character (190 MiB for a 40 MB export)."""
    return (match.group() for match in _LINE.finditer(text))


def _csv_rows(data: bytes, shown: str) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise QsiError(
            f"{shown} is not UTF-8 text (byte {data[error.start]:#04x} on line {line}). In "
            "Excel, save it with 'Save As' and the type 'CSV UTF-8 (Comma delimited)'; from "
            "Google Forms, download the responses again.") from None
    raw: list[tuple[int, list[Cell]]] = []
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        reader = csv.reader(lines(text), delimiter=_delimiter(text))
        for number, record in enumerate(reader, 1):
            if number > MAX_ROWS + 1:
                raise QsiError(f"{shown} has more than {MAX_ROWS:,} rows; split it.")
            raw.append((number, list(record)))
    except csv.Error as error:
        raise QsiError(f"{shown} cannot be read as CSV near row {len(raw) + 1} ({error}); "
                       "download or save the export again.") from None
    finally:
        csv.field_size_limit(limit)
    return _table(raw, shown)


def _xlsx_rows(data: bytes, shown: str) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # any damage in a zip of XML files a person sent
        raise QsiError(f"{shown} cannot be read as an Excel workbook ({type(error).__name__}); "
                       "download or save the export again as .xlsx.") from None
    raw: list[tuple[int, list[Cell]]] = []
    try:
        if not workbook.worksheets:
            raise QsiError(f"{shown} has no worksheet.")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the size a workbook states may be wrong: read every cell
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            if number > MAX_ROWS + 1:
                raise QsiError(f"{shown} has more than {MAX_ROWS:,} rows; split it.")
            raw.append((number, [_value(value) for value in values]))
    except QsiError:
        raise
    except Exception as error:
        raise QsiError(f"{shown} cannot be read as an Excel workbook near row {len(raw) + 1} "
                       f"({type(error).__name__}); download or save the export again.") from None
    finally:
        workbook.close()
    return _table(raw, shown)


def _value(value: object) -> Cell:
    """A cell's value as one of the kinds a table holds (rich text as its text)."""
    if value is None or isinstance(value, str | int | float | bool | dt.date | dt.time):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)
