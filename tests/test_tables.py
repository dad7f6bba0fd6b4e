"""report/tables.py: tables written as a workbook and as CSV, read back by openpyxl and
the csv module."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from fractions import Fraction

import openpyxl

from qsi_awards.report.tables import Table, write_csv, xlsx_bytes

TABLE = Table(
    name="Risks: register/2020",
    columns=("ID", "Score", "Review", "Open", "Note"),
    rows=(
        ("R1", 12, dt.date(2020, 3, 1), True, "=HYPERLINK(\"x\")"),
        ("R2", Fraction(19, 4), None, False, "plain"),
    ),
)


def test_workbook_has_typed_cells_frozen_header_and_filter() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([TABLE, TABLE])))
    # Excel forbids : and / in a sheet name, and two sheets may not share one
    assert book.sheetnames == ["Risks  register 2020", "Risks  register 2020 (2)"]
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["ID", "Score", "Review", "Open", "Note"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    assert sheet["B2"].value == 12 and sheet["B3"].value == 4.75
    assert sheet["C2"].value == dt.datetime(2020, 3, 1)
    assert sheet["C2"].is_date and sheet["C3"].value is None
    assert sheet["D2"].value is True
    # a formula an entrant wrote stays text
    assert sheet["E2"].data_type == "s" and sheet["E2"].value == "'=HYPERLINK(\"x\")"


def test_csv_writes_iso_dates_and_never_a_formula() -> None:
    out = io.StringIO()
    write_csv(TABLE, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [
        ["ID", "Score", "Review", "Open", "Note"],
        ["R1", "12", "2020-03-01", "yes", "'=HYPERLINK(\"x\")"],
        ["R2", "4.75", "", "no", "plain"],
    ]


def test_control_characters_are_removed_not_fatal() -> None:
    """An entrant's title with an escape or a NUL: openpyxl refuses such a cell outright,
    so the workbook would not be made at all."""
    table = Table("T", ("Title",), (("Falls\x1b[31m huddles\x00",), ("-\x07x",)))
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([table])))
    assert [c.value for c in book.worksheets[0]["A"]] == ["Title", "Falls[31m huddles", "'-x"]
    out = io.StringIO()
    write_csv(table, out)
    assert out.getvalue() == "Title\nFalls[31m huddles\n'-x\n"


def test_the_same_tables_give_the_same_bytes() -> None:
    """openpyxl dates a workbook (and every file in it) now; two exports a second apart
    must still be byte for byte the same."""
    first = xlsx_bytes([TABLE])
    time.sleep(1.1)
    assert xlsx_bytes([TABLE]) == first
