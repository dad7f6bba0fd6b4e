"""The scoring workbook in a real spreadsheet program: LibreOffice (Debian's
libreoffice-calc-nogui, headless) opens the workbooks qsi makes and recalculates their
formulas, and a workbook filled in and saved by LibreOffice, which rewrites the whole
file its own way, imports back into the YAML sheet as exactly what was typed."""

from __future__ import annotations

import csv
import difflib
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import REPO, run_cli
from workbook_support import (
    SOFFICE,
    copy_example,
    edit,
    entry_of_reference,
    import_scores,
    render_workbooks,
    soffice,
)

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _needs_libreoffice() -> None:
    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is missing; run .ci/install (Debian's "
                    "libreoffice-calc-nogui package)")


def _weights() -> list[Fraction]:
    """The example rubric's weights, read from programme.yaml by PyYAML."""
    rubric = yaml.safe_load((REPO / "programme.yaml").read_text("utf-8"))["rubric"]
    return [Fraction(str(c["weight"])) for c in rubric["criteria"]]


def test_libreoffice_recalculates_the_weighted_scores_and_states(tmp_path: Path) -> None:
    # the example's scoring round is its first, shortlisting (its final is ranked)
    made = render_workbooks(REPO, tmp_path / "out", "--round", "shortlisting")["hmarsh"]
    # as a judge would: one score taken back (to do), one entry recused
    book = edit(made, {"Scores!C3": None, "Scores!J4": "I know the team",
                       **{f"Scores!{col}4": None for col in "CDEFG"}},
                save_as=tmp_path / "hmarsh.xlsx")
    soffice("--convert-to", "csv", "--outdir", tmp_path / "csv", book,
            profile=tmp_path / "profile")
    with (tmp_path / "csv" / "hmarsh.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["Reference", "Title"]
    assert rows[0][7:9] == ["Weighted score", "State"]
    weights = _weights()
    assert len(rows) == 11  # the headings and hmarsh's ten entries
    for number, row in enumerate(rows[1:], 2):
        scores, weighted, state = row[2:7], row[7], row[8]
        if number == 3:
            assert (weighted, state) == ("", "to do")
        elif number == 4:
            assert (weighted, state) == ("", "recused")
        else:
            # by hand: the sum of weight x score over the sum of the weights
            total = sum(w * int(x) for w, x in zip(weights, scores, strict=True))
            expected = total / sum(weights)
            assert weighted == f"{float(expected):.2f}", (number, row)
            assert state == "complete"
    # the first row, worked out on paper: (20*7 + 20*6 + 30*9 + 15*7 + 15*8) / 100
    assert rows[1][2:9] == ["7", "6", "9", "7", "8", "7.55", "complete"]


def test_a_workbook_filled_in_and_saved_by_libreoffice_imports_as_typed(
        tmp_path: Path) -> None:
    root = copy_example(tmp_path / "km")
    made = render_workbooks(root, tmp_path / "out", "--round", "shortlisting")["hmarsh"]
    sheet = root / "scores" / "hmarsh.yaml"
    before = sheet.read_text("utf-8")
    old = yaml.safe_load(before)["scores"]
    scores = openpyxl.load_workbook(made)["Scores"]
    entry = entry_of_reference(root)
    rows = {number: entry[str(scores.cell(number, 1).value)] for number in range(2, 12)}
    typed = edit(made, {
        "Scores!C2": 3,
        "Scores!E3": None,
        "Scores!K5": 'Line one\nline "two"',
        "Scores!J6": "Worked with the lead in 2019",
        **{f"Scores!{col}6": None for col in "CDEFG"},
    }, save_as=tmp_path / "typed.xlsx")
    # LibreOffice opens it, recalculates and saves it again as .xlsx, its own way
    soffice("--convert-to", "xlsx", "--outdir", tmp_path / "returned", typed,
            profile=tmp_path / "profile")
    returned = tmp_path / "returned" / "typed.xlsx"
    assert returned.read_bytes() != typed.read_bytes()
    exit_code, document = import_scores(root, returned, "--round", "shortlisting")
    assert exit_code == 0, document
    expected = {entry_id: dict(judgement) for entry_id, judgement in old.items()}
    expected[rows[2]]["ambition"] = 3
    expected[rows[3]]["impact"] = None
    expected[rows[5]]["comment"] = 'Line one\nline "two"'
    expected[rows[6]] = {**dict.fromkeys(("ambition", "collaboration", "impact", "spread",
                                          "sustainability")),
                         "comment": old[rows[6]].get("comment"),
                         "conflict": "Worked with the lead in 2019"}
    after = sheet.read_text("utf-8")
    assert yaml.safe_load(after)["scores"] == expected
    # only those lines changed: every other byte is as it was
    removed = [line[1:] for line in difflib.ndiff(before.splitlines(), after.splitlines())
               if line.startswith("- ")]
    added = [line[1:] for line in difflib.ndiff(before.splitlines(), after.splitlines())
             if line.startswith("+ ")]
    assert len(removed) == 8
    assert all(line.lstrip().split(":")[0] in ("ambition", "collaboration", "impact",
                                               "spread", "sustainability", "comment")
               for line in removed)
    assert sorted(line.strip() for line in added) == sorted([
        "ambition: 3", "impact: null", 'comment: "Line one\\nline \\"two\\""',
        "ambition: null", "collaboration: null", "impact: null", "spread: null",
        "sustainability: null", 'conflict: "Worked with the lead in 2019"'])
    assert run_cli(["validate", "-p", root]).exit_code == 0
    # and a re-import of the same file changes nothing
    exit_code, document = import_scores(root, returned, "--round", "shortlisting")
    assert exit_code == 0 and document["summary"]["changes"] == 0
    assert sheet.read_text("utf-8") == after
