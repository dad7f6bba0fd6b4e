"""Exports for the board and analysts (issue 16 §3): `--format xlsx` (and csv where one
table suffices) for tally, status, adoption and calibration, read back with openpyxl and
checked against hand computations and the JSON reporter's numbers.

The base programme (tests/examples/base): weights ambition 20, impact 30, so
S = 0.4·ambition + 0.6·impact. falls-huddles (safety-primary): ajudge 7, 8 -> 7.6,
cjudge 6, 6 -> 6.0; mean 6.8, spread 1.6. patient-panel (qi-patients): ajudge 6, 5 ->
5.4, djudge 8, 7 -> 7.4 (bjudge recused); mean 6.4, spread 2.0. Each is its category's
only entry, so each wins.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import pty
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from builder import dump, entry_meta, scores, write_programme
from conftest import RunQsi, installed_qsi_path, run_cli
from test_adoption import programme as adoption_programme
from test_registers import JUDGING, REGISTERS
from test_rounds import two_rounds


def read_book(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's rows, header first; and each sheet has a frozen header and a filter."""
    book = openpyxl.load_workbook(path)
    sheets: dict[str, list[tuple[Any, ...]]] = {}
    for sheet in book.worksheets:
        assert isinstance(sheet, Worksheet)
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        sheets[sheet.title] = list(sheet.iter_rows(values_only=True))
    return sheets


def records(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """A sheet's rows as {heading: value}."""
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def export(root: Path, command: str, tmp_path: Path, *args: str) -> dict[str, list[Any]]:
    out = tmp_path / f"{command}.xlsx"
    result = run_cli([command, "-p", root, "--format", "xlsx", "--out", out, *args])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    return read_book(out)


def as_json(root: Path, command: str, *args: str) -> dict[str, Any]:
    result = run_cli([command, "-p", root, "--format", "json", *args])
    document: dict[str, Any] = json.loads(result.stdout)
    return document


AWARD = {"winner": "Winner", "highly_commended": "Highly commended",
         "shortlisted": "Shortlisted", None: None}


# tally ---------------------------------------------------------------------------------


def test_tally_workbook(base_copy: Path, tmp_path: Path) -> None:
    book = export(base_copy, "tally", tmp_path)
    assert list(book) == ["About", "Results", "Judgements", "Undecided"]
    about = dict(book["About"][1:])
    assert about["Edition"] == "2020" and about["Method"] == "mean"
    assert "Confidential" in about
    results = records(book["Results"])
    # by hand (module docstring); numbers are numbers
    assert [(r["Category"], r["Rank"], r["Entry"], r["Score"], r["Judgements"], r["Spread"],
             r["Award"]) for r in results] == [
        ("safety-primary", 1, "falls-huddles", 6.8, 2, 1.6, "Winner"),
        ("qi-patients", 1, "patient-panel", 6.4, 2, 2.0, "Winner")]
    judgements = records(book["Judgements"])
    assert [(j["Entry"], j["Judge"], j["S"], j["ambition"], j["impact"])
            for j in judgements] == [
        ("falls-huddles", "ajudge", 7.6, 7, 8), ("falls-huddles", "cjudge", 6.0, 6, 6),
        ("patient-panel", "ajudge", 5.4, 6, 5), ("patient-panel", "djudge", 7.4, 8, 7)]
    # and the same numbers as the JSON report
    document = as_json(base_copy, "tally")
    assert [(r["Entry"], r["Rank"], r["Score"], r["Spread"], r["Award"], r["Flags"])
            for r in results] == [
        (e["entry"], e["rank"], e["score"], e["spread"], AWARD[e["award"]],
         ", ".join(e["flags"]) or None)
        for c in document["categories"] for e in c["entries"]]


def test_tally_workbook_by_zscore_has_z(base_copy: Path, tmp_path: Path) -> None:
    book = export(base_copy, "tally", tmp_path, "--method", "zscore")
    document = as_json(base_copy, "tally", "--method", "zscore")
    assert [(r["Entry"], r["Score"], r["z"]) for r in records(book["Results"])] == [
        (e["entry"], e["score"], e["z"]) for c in document["categories"]
        for e in c["entries"]]


def test_tally_workbook_of_a_ranked_round(tmp_path: Path) -> None:
    """By hand in tests/test_rounds.py: mill > oak > elm, Borda 5, 3.5, 0.5."""
    book = export(two_rounds(tmp_path), "tally", tmp_path, "--round", "final")
    assert list(book) == ["About", "Results", "Undecided"]
    assert dict(book["About"][1:])["Round"] == "final"
    assert [(r["Rank"], r["Entry"], r["Ballots"], r["Borda"], r["Award"])
            for r in records(book["Results"])] == [
        (1, "mill", 3, 5, "Winner"), (2, "oak", 3, 3.5, "Highly commended"),
        (3, "elm", 3, 0.5, "Shortlisted")]


def test_a_workbook_goes_to_a_pipe_but_never_to_a_terminal(base_copy: Path, tmp_path: Path,
                                                           installed_qsi: RunQsi) -> None:
    executable = installed_qsi_path()
    assert executable is not None
    # to a terminal: refused, with the way to do it
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run([executable, "tally", "-p", str(base_copy), "--format", "xlsx"],
                              stdout=terminal, stderr=subprocess.PIPE, text=True, timeout=60,
                              check=False)
        os.set_blocking(controller, False)
        try:
            shown = os.read(controller, 65536)
        except BlockingIOError:
            shown = b""
    finally:
        os.close(terminal)
        os.close(controller)
    assert done.returncode == 2
    assert "cannot be shown on the screen" in done.stderr and "--out tally.xlsx" in done.stderr
    assert shown == b""
    # to a pipe: the workbook's bytes, the same as --out writes
    piped = subprocess.run([executable, "tally", "-p", str(base_copy), "--format", "xlsx"],
                           capture_output=True, timeout=60, check=False)
    assert piped.returncode == 0, piped.stderr
    out = tmp_path / "tally.xlsx"
    assert installed_qsi("tally", "-p", base_copy, "--format", "xlsx", "--out",
                         out).returncode == 0
    assert piped.stdout == out.read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(piped.stdout))
    assert book.sheetnames[1] == "Results"


def test_a_workbook_is_never_written_over_an_input(base_copy: Path) -> None:
    result = run_cli(["tally", "-p", base_copy, "--format", "xlsx", "--out",
                      base_copy / "judges.yaml"])
    assert result.exit_code == 2
    assert "input file" in result.stderr
    assert (base_copy / "judges.yaml").read_text("utf-8").startswith("judges:")


@pytest.mark.parametrize("command", ["tally", "status", "adoption", "calibration"])
def test_the_help_names_xlsx(command: str) -> None:
    result = run_cli([command, "--help"])
    assert "xlsx" in result.stdout


# status --------------------------------------------------------------------------------


def test_status_workbook(base_copy: Path, tmp_path: Path) -> None:
    book = export(base_copy, "status", tmp_path, "--today", "2020-02-15")
    assert list(book) == ["About", "Timeline", "Categories", "Judges", "Short of judges"]
    about = dict(book["About"][1:])
    assert about["Status on"] == dt.datetime(2020, 2, 15)
    assert about["Results released"] is False
    assert about["Release date"] == dt.datetime(2020, 4, 1)  # the ceremony
    assert about["Ready to tally"] is True
    assert [(m["ID"], m["Date"], m["Status"]) for m in records(book["Timeline"])] == [
        ("open", dt.datetime(2019, 11, 1), "done"),
        ("deadline", dt.datetime(2020, 2, 1), "done"),
        ("judging", dt.datetime(2020, 3, 1), "next"),
        ("ceremony", dt.datetime(2020, 4, 1), "upcoming")]
    # one entry in each category; ajudge judges both, the others one each (bjudge recused)
    assert [(c["ID"], c["Entries"]) for c in records(book["Categories"])] == [
        ("safety-primary", 1), ("qi-patients", 1)]
    document = as_json(base_copy, "status", "--today", "2020-02-15")
    assert [(j["ID"], j["Name"], j["Assigned"], j["Complete"], j["Recused"])
            for j in records(book["Judges"])] == [
        (j["id"], j["name"], j["assigned"], j["complete"], j["recused"])
        for j in document["judges"]]
    assert ("ajudge", 2, 2) in [(j["id"], j["assigned"], j["complete"])
                                for j in document["judges"]]
    assert book["Short of judges"] == [("Entry", "Judges", "Needed")]


def test_status_with_rounds_has_the_rounds(tmp_path: Path) -> None:
    book = export(two_rounds(tmp_path), "status", tmp_path, "--today", "2020-02-20")
    assert dict(book["About"][1:])["Round"] == "final"
    assert [(r["ID"], r["Closes"], r["State"]) for r in records(book["Rounds"])] == [
        ("shortlisting", dt.datetime(2020, 2, 15), "closed"),
        ("final", dt.datetime(2020, 3, 1), "open")]


def test_status_still_exits_1_with_errors_after_writing(base_copy: Path,
                                                        tmp_path: Path) -> None:
    (base_copy / "entries" / "bad.md").write_text("no front matter\n", "utf-8")
    out = tmp_path / "status.xlsx"
    result = run_cli(["status", "-p", base_copy, "--format", "xlsx", "--out", out])
    assert result.exit_code == 1
    assert dict(read_book(out)["About"][1:])["Errors"] == 1


# adoption ------------------------------------------------------------------------------

# tests/test_adoption.py's records, by hand: each organisation at its latest stage,
# furthest along first (declined last); entries without records get an empty row.
ADOPTION = [
    ("a1", "Winner", "org x", "Adopted", dt.datetime(2020, 9, 1),
     "interested 2020-05-01; planning 2020-06-01"),
    ("a1", "Winner", "Org Z", "Piloting", dt.datetime(2020, 8, 1), None),
    ("a1", "Winner", "Org Y", "Declined", dt.datetime(2020, 7, 1), None),
    ("a2", "Highly commended", None, None, None, None),
    ("a3", "Highly commended", None, None, None, None),
    ("b1", "Winner", "Pipes | Co <b>", "Adopted", dt.datetime(2020, 5, 1), None),
    ("b1", "Winner", "Org U", "Planning", dt.datetime(2020, 6, 1), "interested 2020-06-01"),
    ("a4", "Shortlisted", "Org W", "Interested", dt.datetime(2020, 5, 5), None),
]


def test_adoption_workbook(tmp_path: Path) -> None:
    book = export(adoption_programme(tmp_path / "p"), "adoption", tmp_path)
    assert list(book) == ["Summary", "Adoption"]
    assert book["Summary"][1:] == [("Interested", 0), ("Planning", 1), ("Piloting", 1),
                                   ("Adopted", 2), ("Declined", 1)]
    rows = records(book["Adoption"])
    assert [(r["Entry"], r["Award"], r["Adopting organisation"], r["Stage"], r["Date"],
             r["Earlier"]) for r in rows] == ADOPTION
    assert rows[0]["Contact"] == "Kim" and rows[2]["Notes"] == "Not this year."


def test_adoption_csv(tmp_path: Path) -> None:
    result = run_cli(["adoption", "-p", adoption_programme(tmp_path / "p"), "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["Entry"], r["Award"], r["Adopting organisation"], r["Stage"], r["Date"],
             r["Earlier"]) for r in rows] == [
        (entry, award, org or "", stage or "", date.date().isoformat() if date else "",
         earlier or "") for entry, award, org, stage, date, earlier in ADOPTION]


# calibration ---------------------------------------------------------------------------


def test_calibration_workbook(tmp_path: Path) -> None:
    """tests/test_adoption.py's programme: j1 and j2 give every entry the same marks, so
    every offset is 0 and every entry's judges agree (nothing to moderate)."""
    root = adoption_programme(tmp_path / "p")
    book = export(root, "calibration", tmp_path)
    assert list(book) == ["Judges", "Agreement", "Moderation"]
    judges = records(book["Judges"])
    assert [(j["Judge"], j["Judgements"], j["Shared"], j["Offset"]) for j in judges] == [
        ("j1", 5, 5, 0), ("j2", 5, 5, 0)]
    document = as_json(root, "calibration")
    assert [(j["Judge"], j["95% interval from"], j["95% interval to"], j["Spread"],
             j["r with panel"], j["Flag"]) for j in judges] == [
        (j["judge"], *(j["interval"] or (None, None)), j["spread"], j["correlation"],
         j["flag"]) for j in document["judges"]]
    assert dict(book["Agreement"][1:]) == document["agreement"]
    assert book["Moderation"] == [("Entry", "Category", "Spread", "Judge", "S", "ambition",
                                   "impact")]


def test_calibration_workbook_moderation(base_copy: Path, tmp_path: Path) -> None:
    """With the limit at 1.5, falls-huddles (spread 1.6) and patient-panel (2.0) are to
    moderate; their judges' S and marks as in the module docstring."""
    settings = base_copy / "programme.yaml"
    settings.write_text(settings.read_text("utf-8").replace("disagreement: 3.0",
                                                            "disagreement: 1.5"), "utf-8")
    book = export(base_copy, "calibration", tmp_path)
    assert [(m["Entry"], m["Spread"], m["Judge"], m["S"], m["ambition"], m["impact"])
            for m in records(book["Moderation"])] == [
        ("falls-huddles", 1.6, "ajudge", 7.6, 7, 8), ("falls-huddles", 1.6, "cjudge", 6.0, 6, 6),
        ("patient-panel", 2.0, "ajudge", 5.4, 6, 5), ("patient-panel", 2.0, "djudge", 7.4, 8, 7)]


def test_a_text_report_is_never_written_as_a_workbook(base_copy: Path, tmp_path: Path) -> None:
    """`--out status.xlsx` without --format xlsx would be text in a file Excel refuses."""
    out = tmp_path / "status.xlsx"
    result = run_cli(["status", "-p", base_copy, "--out", out])
    assert result.exit_code == 2
    assert "add --format xlsx" in result.stderr
    assert not out.exists()


def test_tally_to_an_xlsx_file_is_a_workbook(base_copy: Path, tmp_path: Path) -> None:
    """tally picks its format from --out when none is given (Markdown, or a workbook)."""
    out = tmp_path / "tally.xlsx"
    assert run_cli(["tally", "-p", base_copy, "--out", out]).exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[1] == "Results"


def test_entrant_text_stays_text(base_copy: Path, tmp_path: Path) -> None:
    """A title that a spreadsheet would run as a formula is written as text."""
    entry = base_copy / "entries" / "falls-huddles.md"
    entry.write_text(entry.read_text("utf-8").replace(
        "title: Falls huddles", "title: '=HYPERLINK(\"http://x.invalid\",\"Falls\")'"), "utf-8")
    out = tmp_path / "tally.xlsx"
    assert run_cli(["tally", "-p", base_copy, "--format", "xlsx", "--out", out]).exit_code == 0
    cell = openpyxl.load_workbook(out)["Results"]["D2"]
    assert cell.data_type == "s" and cell.value == "'=HYPERLINK(\"http://x.invalid\",\"Falls\")"


LIBREOFFICE_BOOLEANS = {"=TRUE()": True, "=FALSE()": False}


@pytest.mark.slow
def test_libreoffice_reads_the_workbooks_as_typed(tmp_path: Path) -> None:
    """A real spreadsheet program: LibreOffice opens the tally and status workbooks of
    the example programme and saves them again; what it saved holds the same values,
    numbers still numbers and dates still dates."""
    from workbook_support import SOFFICE, copy_example, soffice

    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is missing; run .ci/install (Debian's "
                    "libreoffice-calc-nogui package)")
    root = copy_example(tmp_path / "programme")
    made = {"tally": export(root, "tally", tmp_path, "--round", "shortlisting"),
            "status": export(root, "status", tmp_path, "--today", "2020-02-15")}
    for name, book in made.items():
        soffice("--convert-to", "xlsx", "--outdir", tmp_path / "saved", tmp_path / f"{name}.xlsx",
                profile=tmp_path / "profile")
        again = openpyxl.load_workbook(tmp_path / "saved" / f"{name}.xlsx")
        assert again.sheetnames == list(book)
        for sheet in again.worksheets:
            # LibreOffice has no boolean cells: it saves one as the formula =TRUE()
            rows = [tuple(LIBREOFFICE_BOOLEANS.get(v, v) if isinstance(v, str) else v
                          for v in row) for row in sheet.iter_rows(values_only=True)]
            assert rows == book[sheet.title], (name, sheet.title)
    results = records(made["tally"]["Results"])
    assert len(results) == 42 and all(isinstance(r["Score"], int | float) for r in results)
    assert all(isinstance(m["Date"], dt.datetime) for m in records(made["status"]["Timeline"]))


def test_status_workbook_has_the_exceptions(tmp_path: Path) -> None:
    """Judging overdue, an entry withdrawn and the registers' exceptions (by hand, as in
    tests/test_registers.py on 15 Feb 2020; judging's deadline moved to 1 Feb, so 14 days
    late with e2's judgement by j1 unscored), each a sheet of typed cells."""
    timeline = [dict(m, date="2020-02-01") if m["id"] == "judging" else m for m in JUDGING]
    entries = {"e1": entry_meta("e1"), "e2": entry_meta("e2"),
               "gone": entry_meta("gone", title="Gone project", withdrawn={
                   "date": "2020-02-05", "reason": "The team moved on."})}
    sheets: dict[str, Any] = {"j1": {"e1": scores(5, 6), "e2": scores(None, None)},
                              "j2": {"e1": scores(7, 7), "e2": scores(6, 6)}}
    root = write_programme(tmp_path / "p", entries=entries, sheets=sheets,
                           extra_settings={"timeline": timeline})
    (root / "registers").mkdir()
    for name, document in REGISTERS.items():
        (root / "registers" / f"{name}.yaml").write_text(dump(document), "utf-8")
    book = export(root, "status", tmp_path, "--today", "2020-02-15")
    assert list(book)[-5:] == ["Judging overdue", "Withdrawn or disqualified",
                               "Overdue actions", "Risks above appetite or review",
                               "Stakeholders not engaged"]
    assert records(book["Judging overdue"]) == [
        {"Deadline": dt.datetime(2020, 2, 1), "Days overdue": 14,
         "Judgements not yet scored": 1, "Entries short of judges": 0}]
    assert records(book["Withdrawn or disqualified"]) == [
        {"Entry": "gone", "Title": "Gone project", "Status": "withdrawn",
         "Date": dt.datetime(2020, 2, 5), "Reason": "The team moved on."}]
    assert records(book["Overdue actions"]) == [
        {"ID": "late", "Action": "Book the venue", "Owner": "Admin",
         "Due": dt.datetime(2020, 2, 10), "Days overdue": 5}]
    assert [tuple(r.values()) for r in records(book["Risks above appetite or review"])] == [
        ("few-entries", "Few entries", "Lead", 12, 10, True, dt.datetime(2020, 6, 1), False),
        ("venue", "No venue", "Admin", 10, 10, False, dt.datetime(2020, 1, 31), True)]
    assert records(book["Stakeholders not engaged"]) == [
        {"ID": "board", "Stakeholder": "The board", "Planned": "monthly",
         "Last engaged": dt.datetime(2020, 1, 14), "Days since": 32},
        {"ID": "public", "Stakeholder": "The public", "Planned": "quarterly",
         "Last engaged": None, "Days since": None}]


def test_status_workbook_without_exceptions_has_none_of_their_sheets(tmp_path: Path) -> None:
    book = export(write_programme(tmp_path / "p"), "status", tmp_path, "--today",
                  "2020-02-15")
    assert list(book) == ["About", "Timeline", "Categories", "Judges", "Short of judges"]
