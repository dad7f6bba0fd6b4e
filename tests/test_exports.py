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

from conftest import RunQsi, installed_qsi_path, run_cli
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


@pytest.mark.parametrize("command", ["tally"])
def test_the_help_names_xlsx(command: str) -> None:
    result = run_cli([command, "--help"])
    assert "xlsx" in result.stdout
