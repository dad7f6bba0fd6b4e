"""Reading a scoring workbook a judge sent back (.xlsx), for `qsi import scores`: what
its cells hold, nothing more (judging/workbook.py describes the layout; the import
decides what the cells mean). Whatever program saved it — Excel, LibreOffice, another —
it is read the same way, with openpyxl.

A file that is missing, too large or not an Excel workbook at all stops the import
(exit 2): it cannot run. Anything a workbook holds, however wrong, is the import's to
report as findings.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import QsiError
from ..fileio import read_file
from ..judging import workbook as layout

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MAX_BYTES = 16 * 1024 * 1024  # a judge's workbook of 1,000 entries is about 100 KiB
MAX_UNPACKED = 64 * 1024 * 1024  # what its parts may hold, unzipped
MAX_COLUMNS = 200  # read no further to the right: the Scores sheet is far narrower


@dataclass(frozen=True)
class Cell:
    value: object  # as the file holds it: int, float, str, bool, a datetime, or None
    formula: bool = False  # a formula (its text is the value)
    error: bool = False  # an error value such as #VALUE!


@dataclass
class Returned:
    """What a workbook holds, as read."""

    label: str  # the file as the user named it, for findings
    path: Path
    facts: dict[str, str] | None = None  # the qsi sheet's key | value rows; None: no sheet
    hidden_rows: list[tuple[str, str]] = field(default_factory=list)  # after `rows`
    headings: list[object] | None = None  # row 1 of Scores; None: no Scores sheet
    rows: dict[int, list[Cell]] = field(default_factory=dict)  # Scores rows from row 2


def read(path: Path, label: str) -> Returned:
    """Read the workbook at `path`; QsiError (exit 2) when it cannot be read as one."""
    try:
        data = read_file(path, MAX_BYTES, follow_links=True)
    except FileNotFoundError:
        raise QsiError(f"{label}: there is no such file.") from None
    except ValueError as error:
        why = ("it is not a file" if str(error) == "not an ordinary file" else
               f"it is over {MAX_BYTES // (1024 * 1024)} MiB, far more than a scoring "
               "workbook holds")
        raise QsiError(f"{label} cannot be imported: {why}.") from None
    except OSError as error:
        raise QsiError(f"{label} cannot be read: {error.strerror}.") from None
    not_xlsx = QsiError(
        f"{label} is not an Excel workbook (.xlsx) that qsi can read. Ask for the workbook "
        "as .xlsx (in LibreOffice: File, Save As, 'Excel 2007-365'); an old .xls or an "
        ".ods file will not do.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise not_xlsx from None
    if unpacked > MAX_UNPACKED:
        raise QsiError(f"{label} cannot be imported: unpacked, it would be over "
                       f"{MAX_UNPACKED // (1024 * 1024)} MiB, far more than a scoring "
                       "workbook holds.")
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # parts openpyxl does not read (extensions)
            book = load_workbook(io.BytesIO(data), rich_text=False)
    except Exception:  # a damaged file: openpyxl may raise almost anything
        raise not_xlsx from None
    found = Returned(label, path)
    if layout.DATA in book.sheetnames:
        _read_data(book[layout.DATA], found)
    if layout.SCORES in book.sheetnames:
        _read_scores(book[layout.SCORES], found)
    return found


def cell_text(value: object) -> str:
    """A cell's value as text: '' for nothing, 7 for 7.0, a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_data(sheet: Worksheet, found: Returned) -> None:
    facts: dict[str, str] = {}
    rows: list[tuple[str, str]] = []
    target: dict[str, str] | None = facts
    for key, value in sheet.iter_rows(min_col=1, max_col=2, values_only=True):
        if key is None and value is None:
            continue
        if target is None:
            rows.append((cell_text(key), cell_text(value)))
            continue
        target[cell_text(key)] = cell_text(value)
        if cell_text(key) == layout.ROWS:
            target = None
    found.facts = facts
    found.hidden_rows = rows


def _read_scores(sheet: Worksheet, found: Returned) -> None:
    width = min(sheet.max_column, MAX_COLUMNS)
    for number, row in enumerate(sheet.iter_rows(min_row=1, max_col=width), 1):
        cells = [Cell(cell.value, cell.data_type == "f", cell.data_type == "e")
                 for cell in row]
        if number == 1:
            found.headings = [cell.value for cell in cells]
        elif any(cell.value not in (None, "") for cell in cells):
            found.rows[number] = cells
    if found.headings is None:
        found.headings = []
