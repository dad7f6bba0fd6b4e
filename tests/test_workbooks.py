"""`qsi render workbooks` and `qsi import scores`: the judges' scoring workbooks, read
back with openpyxl as an independent reader, and imported into the YAML sheets through
the command line. LibreOffice's part is in test_workbooks_libreoffice.py."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE, copy_base, run_cli
from qsi_awards.findings import RULES
from qsi_awards.load import yamlparse
from qsi_awards.load.workbook import Returned, read
from qsi_awards.writes import import_scores as import_scores_module
from workbook_support import (
    edit,
    import_scores,
    positions,
    reference,
    render_workbooks,
    run_case,
    workbook_cases,
)

CASES = workbook_cases()
WORKBOOK_CODES = {code for code in RULES if code.startswith("workbook-")}
HEADINGS = ["Reference", "Title", "Ambition", "Impact", "Weighted score", "State",
            "Conflict (if you cannot judge it fairly: why)",
            "Comment for the team (optional; they will read it)",
            "Private comment (optional; for the panel only)"]


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    """A copy of tests/examples/base and its workbooks."""
    root = copy_base(tmp_path / "programme")
    return root, render_workbooks(root, tmp_path / "out")


def _sheet(root: Path, judge: str) -> Any:
    data, problems = yamlparse.parse((root / "scores" / f"{judge}.yaml").read_text("utf-8"))
    assert problems == []
    return data


# The workbook ---------------------------------------------------------------------------


def test_one_workbook_per_judge_laid_out_for_scoring(made: tuple[Path, dict[str, Path]]
                                                     ) -> None:
    _, books = made
    assert sorted(books) == ["ajudge", "bjudge", "cjudge", "djudge"]
    book = openpyxl.load_workbook(books["ajudge"])
    assert book.sheetnames == ["Scores", "How to score", "qsi"]
    assert [s.sheet_state for s in book.worksheets] == ["visible", "visible", "veryHidden"]
    assert book.security is not None and book.security.lockStructure
    scores = book["Scores"]
    assert [c.value for c in scores[1]] == HEADINGS
    # the judge's entries in the pack's order (category, then reference), filled in
    assert [c.value for c in scores[2]][:4] == [reference("falls-huddles"), "Falls huddles",
                                                7, 8]
    assert scores["H2"].value == "Good."
    assert [c.value for c in scores[3]][:4] == [reference("patient-panel"), "Patient panel",
                                                6, 5]
    assert scores["G2"].value is None and scores["H3"].value is None
    assert scores.max_row == 3
    # formulas: the weighted score and the state
    assert scores["E2"].data_type == "f" and "(20*C2+30*D2)/(20+30)" in scores["E2"].value
    assert scores["F2"].data_type == "f"
    for state in ('"recused"', '"complete"', '"to do"'):
        assert state in scores["F2"].value
    # protection: only the input cells are unlocked, on a protected sheet
    for sheet in book.worksheets:
        assert sheet.protection.sheet
    unlocked = {cell.coordinate for row in scores.iter_rows() for cell in row
                if not cell.protection.locked}
    assert unlocked == {f"{col}{row}" for col in "CDGHI" for row in (2, 3)}
    # whole numbers on the scale, with guidance as the input message
    rules = {str(dv.sqref): dv for dv in scores.data_validations.dataValidation}
    assert sorted(rules) == ["C2:C3", "D2:D3"]
    for rule in rules.values():
        assert (rule.type, rule.operator, rule.formula1, rule.formula2) == (
            "whole", "between", "0", "10")
        assert rule.showInputMessage and rule.showErrorMessage and rule.allowBlank
        assert rule.prompt == "A whole number from 0 to 10."
    assert rules["D2:D3"].promptTitle == "Impact"
    # frozen headings, A4 landscape, as wide as the page
    assert scores.freeze_panes == "C2"
    assert scores.page_setup.orientation == "landscape"
    assert scores.page_setup.paperSize is not None
    assert int(scores.page_setup.paperSize) == 9  # A4, in the file format's numbering
    assert (scores.page_setup.fitToWidth, scores.page_setup.fitToHeight) == (1, 0)
    fit = scores.sheet_properties.pageSetUpPr
    assert fit is not None and fit.fitToPage
    # how to score: the rubric and the deadline
    guide = [str(c.value) for row in book["How to score"].iter_rows() for c in row
             if c.value is not None]
    assert "Scores due: 1 March 2020" in guide
    # judges are told their comments go to the team, and how to keep one private
    told = " ".join(guide)
    assert "Your comments go to the team" in told
    assert "Private comment, which never reaches the team" in told
    assert guide[guide.index("Ambition"):guide.index("Ambition") + 2] == ["Ambition", "20"]
    assert guide[guide.index("Impact"):guide.index("Impact") + 2] == ["Impact", "30"]
    # what the import needs, in the very hidden sheet
    hidden = {row[0].value: row[1].value for row in book["qsi"].iter_rows()}
    assert hidden["judge"] == "ajudge" and hidden["edition"] == "2020"
    assert hidden["programme"] == "Test Awards" and hidden["round"] == "1"
    assert reference("falls-huddles") in hidden


def test_guidance_is_the_input_message_and_a_recusal_is_filled_in(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "programme")
    programme = root / "programme.yaml"
    programme.write_text(programme.read_text("utf-8").replace(
        "{id: impact, title: Impact, weight: 30}",
        "{id: impact, title: Impact, weight: 30, guidance: 'Data over time.'}"), "utf-8")
    book = openpyxl.load_workbook(render_workbooks(root, tmp_path / "out")["bjudge"])
    scores = book["Scores"]
    rules = {str(dv.sqref): dv for dv in scores.data_validations.dataValidation}
    assert rules["D2"].prompt == "Data over time. A whole number from 0 to 10."
    assert scores["G2"].value == "Sits on the practice's patient group"
    guide = [c.value for row in book["How to score"].iter_rows() for c in row]
    assert "Data over time." in guide


def test_titles_are_anonymised_as_in_the_pack_and_never_formulas(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "programme")
    entry = root / "entries" / "falls-huddles.md"
    entry.write_text(entry.read_text("utf-8").replace(
        "title: Falls huddles",
        'title: "=1+1 Falls huddles at Mill Practice, by Priya Shah (priya.shah@example.nhs.uk)"'
    ), "utf-8")
    scores = openpyxl.load_workbook(render_workbooks(root, tmp_path / "out")["ajudge"])["Scores"]
    assert scores["B2"].value == "=1+1 Falls huddles at [organisation], by [name] ([e-mail])"
    assert scores["B2"].data_type == "s"


def test_a_judge_with_nothing_to_score_gets_no_workbook(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "programme")
    (root / "scores" / "djudge.yaml").unlink()
    result = run_cli(["render", "workbooks", "-p", root, "--out", tmp_path / "out"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.xlsx")) == [
        "ajudge.xlsx", "bjudge.xlsx", "cjudge.xlsx"]
    assert "no workbook for djudge" in result.stderr


def test_a_render_is_the_same_bytes_and_keeps_to_its_own_files(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "programme")
    out = tmp_path / "out"
    first = {name: path.read_bytes() for name, path in render_workbooks(root, out).items()}
    second = {name: path.read_bytes() for name, path in render_workbooks(root, out).items()}
    assert first == second
    assert (out / ".qsi-render.json").is_file()
    (out / "ajudge.xlsx").write_bytes(b"mine now")
    result = run_cli(["render", "workbooks", "-p", root, "--out", out])
    assert result.exit_code == 2
    assert "has changed since 'qsi render workbooks' wrote it" in result.stderr
    assert (out / "ajudge.xlsx").read_bytes() == b"mine now"


# Importing ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_workbook_case(case: Any, tmp_path: Path) -> None:
    exit_code, document, root = run_case(case, tmp_path)
    assert exit_code == case.raw["exit"]
    found = positions(document)
    for expected in case.expect:
        assert (expected["position"], expected["code"]) in found, found
    assert all(not w["written"] for w in document["workbooks"])
    for sheet in (root / "scores").iterdir():  # nothing written
        overlay = case.folder / "files" / "scores" / sheet.name
        source = overlay if overlay.is_file() else BASE / "scores" / sheet.name
        assert sheet.read_bytes() == source.read_bytes()


def test_every_workbook_rule_has_a_case() -> None:
    covered = {expected["code"] for case in CASES for expected in case.expect}
    assert covered == WORKBOOK_CODES
    for code in WORKBOOK_CODES:
        assert RULES[code].severity == "error"


def test_import_writes_exactly_what_the_judge_typed(made: tuple[Path, dict[str, Path]],
                                                    tmp_path: Path) -> None:
    root, books = made
    returned = edit(books["ajudge"], {
        "Scores!C2": 9.0,  # Excel stores 7 as 7.0: a whole number is a score
        "Scores!D3": None,  # a score taken back
        "Scores!H3": 'Clear aims: "more data", please.\nSecond line ',
    }, save_as=tmp_path / "ajudge.xlsx")
    before = (root / "scores" / "ajudge.yaml").read_text("utf-8")
    exit_code, document = import_scores(root, returned)
    assert exit_code == 0, document
    after = (root / "scores" / "ajudge.yaml").read_text("utf-8")
    assert after == before.replace("    ambition: 7\n", "    ambition: 9\n").replace(
        "    impact: 5\n",
        '    impact: null\n    comment: "Clear aims: \\"more data\\", please.\\nSecond line"\n')
    [workbook] = document["workbooks"]
    assert workbook["written"] and workbook["sheet"] == "scores/ajudge.yaml"
    assert [(c["entry"], c["field"], c["old"], c["new"]) for c in workbook["changes"]] == [
        ("falls-huddles", "ambition", 7, 9), ("patient-panel", "impact", 5, None),
        ("patient-panel", "comment", None, 'Clear aims: "more data", please.\nSecond line')]
    # a re-import changes nothing
    again = run_cli(["import", "scores", "-p", root, returned])
    assert again.exit_code == 0
    assert "nothing to change" in again.stdout
    assert (root / "scores" / "ajudge.yaml").read_text("utf-8") == after
    assert run_cli(["validate", "-p", root]).exit_code == 0


def test_a_private_comment_goes_both_ways(made: tuple[Path, dict[str, Path]],
                                         tmp_path: Path) -> None:
    """The Private comment column (I) is written to the sheet as private_comment, and a
    private_comment already in the sheet is filled in when a workbook is made."""
    root, books = made
    returned = edit(books["ajudge"], {"Scores!I3": "For the panel: I know the ward."},
                    save_as=tmp_path / "ajudge.xlsx")
    before = (root / "scores" / "ajudge.yaml").read_text("utf-8")
    exit_code, document = import_scores(root, returned)
    assert exit_code == 0, document
    after = (root / "scores" / "ajudge.yaml").read_text("utf-8")
    assert after == before.replace(
        "    impact: 5\n", '    impact: 5\n    private_comment: "For the panel: I know the '
        'ward."\n')
    [workbook] = document["workbooks"]
    assert [(c["entry"], c["field"], c["new"]) for c in workbook["changes"]] == [
        ("patient-panel", "private_comment", "For the panel: I know the ward.")]
    remade = render_workbooks(root, tmp_path / "again")
    assert _cell(remade["ajudge"], "I3") == "For the panel: I know the ward."
    assert _cell(remade["ajudge"], "I1") == "Private comment (optional; for the panel only)"


def _cell(path: Path, where: str) -> Any:
    from openpyxl import load_workbook

    return load_workbook(path)["Scores"][where].value


def test_dry_run_shows_the_change_and_writes_nothing(made: tuple[Path, dict[str, Path]],
                                                     tmp_path: Path) -> None:
    root, books = made
    returned = edit(books["ajudge"], {"Scores!D2": "9"}, save_as=tmp_path / "ajudge.xlsx")
    before = (root / "scores" / "ajudge.yaml").read_bytes()
    result = run_cli(["import", "scores", "-p", root, "--dry-run", returned])
    assert result.exit_code == 0, result.output
    assert f"would change 1 value in scores/ajudge.yaml:\n  {reference('falls-huddles')} " \
           "(falls-huddles) impact: 8 -> 9\nDry run: nothing was written." in result.stdout
    assert (root / "scores" / "ajudge.yaml").read_bytes() == before


def test_problems_are_given_at_their_cells_in_plain_words(made: tuple[Path, dict[str, Path]],
                                                          tmp_path: Path) -> None:
    root, books = made
    returned = edit(books["ajudge"], {"Scores!C2": 7.5, "Scores!D3": "seven"},
                    save_as=tmp_path / "hmarsh.xlsx")
    result = run_cli(["import", "scores", "-p", root, "hmarsh.xlsx"], cwd=returned.parent)
    assert result.exit_code == 1
    ref = reference("falls-huddles")
    assert result.stdout.splitlines() == [
        f"hmarsh.xlsx, Scores!C2: workbook-bad-cell The Ambition score of {ref} is 7.5, "
        "which is not a whole number; type a whole number from 0 to 10, or leave it empty.",
        f"hmarsh.xlsx, Scores!D3: workbook-bad-cell The Impact score of "
        f"{reference('patient-panel')} is the text 'seven', not a number; type a whole "
        "number from 0 to 10, or leave it empty.",
        "hmarsh.xlsx: 2 problems, so nothing from it was written; fix them in the workbook "
        "(or ask for a new one) and import it again.",
    ]


def test_scores_written_into_the_yaml_since_are_kept(made: tuple[Path, dict[str, Path]],
                                                     tmp_path: Path) -> None:
    """The workbook changes only the cells the judge changed: a score written into the
    sheet after the workbook was made (in a pull request, say) stays."""
    root, books = made
    sheet = root / "scores" / "ajudge.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace("ambition: 7", "ambition: 4"), "utf-8")
    returned = edit(books["ajudge"], {"Scores!D2": 9}, save_as=tmp_path / "ajudge.xlsx")
    exit_code, _ = import_scores(root, returned)
    assert exit_code == 0
    assert _sheet(root, "ajudge")["scores"]["falls-huddles"] == {
        "ambition": 4, "impact": 9, "comment": "Good."}


def test_a_withdrawn_conflict_and_a_first_score(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "programme")
    (root / "scores" / "cjudge.yaml").write_text(
        "judge: cjudge\nscores:\n  falls-huddles:   # assigned 1 Feb\n", "utf-8")
    books = render_workbooks(root, tmp_path / "out")
    files = [edit(books["bjudge"], {"Scores!G2": None}, save_as=tmp_path / "bjudge.xlsx"),
             edit(books["cjudge"], {"Scores!D2": 3}, save_as=tmp_path / "cjudge.xlsx")]
    exit_code, document = import_scores(root, *files)
    assert exit_code == 0, document
    assert (root / "scores" / "bjudge.yaml").read_text("utf-8") == (
        "judge: bjudge\nscores:\n  patient-panel:\n    conflict: null\n"
        "    ambition: null\n    impact: null\n")
    assert (root / "scores" / "cjudge.yaml").read_text("utf-8") == (
        "judge: cjudge\nscores:\n  falls-huddles:   # assigned 1 Feb\n"
        "    ambition: null\n    impact: 3\n")


def test_a_workbook_saved_by_hand_with_a_moved_row_still_imports(
        made: tuple[Path, dict[str, Path]], tmp_path: Path) -> None:
    """Rows are matched by reference, so sorting the rows changes nothing."""
    root, books = made
    book = openpyxl.load_workbook(books["ajudge"])
    scores = book["Scores"]
    first = [c.value for c in scores[2]]
    second = [c.value for c in scores[3]]
    for column, (a, b) in enumerate(zip(first, second, strict=True), 1):
        scores.cell(2, column).value, scores.cell(3, column).value = b, a
    scores["C2"].value = 1  # now patient-panel's ambition
    book.save(tmp_path / "ajudge.xlsx")
    exit_code, _ = import_scores(root, tmp_path / "ajudge.xlsx")
    assert exit_code == 0
    assert _sheet(root, "ajudge")["scores"]["patient-panel"]["ambition"] == 1
    assert _sheet(root, "ajudge")["scores"]["falls-huddles"]["ambition"] == 7


@pytest.mark.parametrize(("make", "says"), [
    (None, "ajudge.xlsx: there is no such file."),
    (b"judge,score\n", "ajudge.xlsx is not an Excel workbook (.xlsx)"),
    ("folder", "ajudge.xlsx cannot be imported: it is not a file."),
])
def test_a_file_that_is_no_workbook_stops_the_import(made: tuple[Path, dict[str, Path]],
                                                     tmp_path: Path, make: Any,
                                                     says: str) -> None:
    """Exit 2, nothing written, even for the good workbook beside it."""
    root, books = made
    good = edit(books["bjudge"], {"Scores!H2": "Noted"}, save_as=tmp_path / "bjudge.xlsx")
    bad = tmp_path / "ajudge.xlsx"
    if make == "folder":
        bad.mkdir()
    elif make is not None:
        bad.write_bytes(make)
    result = run_cli(["import", "scores", "-p", root, good.name, bad.name], cwd=tmp_path)
    assert result.exit_code == 2
    assert says in result.stderr
    assert "Traceback" not in result.output
    assert (root / "scores" / "bjudge.yaml").read_bytes() == (
        BASE / "scores" / "bjudge.yaml").read_bytes()


def test_the_import_holds_one_workbook_at_a_time(made: tuple[Path, dict[str, Path]],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook's cells are let go once it is examined: a national programme's hundred
    workbooks, all held at once, took 100 MiB."""
    root, books = made
    held: list[weakref.ref[Returned]] = []
    alive: list[int] = []

    def reading(path: Path, label: str) -> Returned:
        gc.collect()
        alive.append(sum(1 for book in held if book() is not None))
        workbook = read(path, label)
        held.append(weakref.ref(workbook))
        return workbook

    monkeypatch.setattr(import_scores_module, "read", reading)
    exit_code, document = import_scores(root, *(books[j] for j in sorted(books)))
    assert exit_code == 0, document
    assert alive == [0, 0, 0, 0]


def test_good_workbooks_are_written_beside_a_bad_one(made: tuple[Path, dict[str, Path]],
                                                     tmp_path: Path) -> None:
    root, books = made
    good = edit(books["bjudge"], {"Scores!H2": "Noted"}, save_as=tmp_path / "bjudge.xlsx")
    bad = edit(books["ajudge"], {"Scores!C2": 11}, save_as=tmp_path / "ajudge.xlsx")
    exit_code, document = import_scores(root, good, bad)
    assert exit_code == 1
    assert [w["written"] for w in document["workbooks"]] == [True, False]
    assert _sheet(root, "bjudge")["scores"]["patient-panel"]["comment"] == "Noted"
    assert (root / "scores" / "ajudge.yaml").read_bytes() == (
        BASE / "scores" / "ajudge.yaml").read_bytes()


def test_a_programme_with_errors_is_not_imported_into(made: tuple[Path, dict[str, Path]],
                                                      tmp_path: Path) -> None:
    root, books = made
    shutil.copyfile(books["ajudge"], tmp_path / "ajudge.xlsx")
    (root / "judges.yaml").write_text("judges: [", "utf-8")
    result = run_cli(["import", "scores", "-p", root, tmp_path / "ajudge.xlsx"])
    assert result.exit_code == 1
    assert "yaml-syntax" in result.stderr


def test_what_a_cell_cannot_hold_is_not_lost(tmp_path: Path) -> None:
    """A comment longer than a cell holds (32,767 characters) or with a control character
    in it is cut short in the workbook; left as it is there, the import keeps the whole
    comment in the sheet. A criterion title with a control character is still the
    heading qsi wrote."""
    root = copy_base(tmp_path / "programme")
    programme = root / "programme.yaml"
    programme.write_text(programme.read_text("utf-8").replace(
        "{id: impact, title: Impact, weight: 30}",
        '{id: impact, title: "Imp\\eact", weight: 30}'), "utf-8")
    sheet = root / "scores" / "ajudge.yaml"
    long = "x" * 40_000
    sheet.write_text(sheet.read_text("utf-8").replace(
        "comment: Good.", f'comment: "{long}\\e end"'), "utf-8")
    before = sheet.read_bytes()
    book = render_workbooks(root, tmp_path / "out")["ajudge"]
    assert openpyxl.load_workbook(book)["Scores"]["H2"].value == long[:32_767]
    returned = edit(book, {"Scores!C2": 6}, save_as=tmp_path / "ajudge.xlsx")
    exit_code, document = import_scores(root, returned)
    assert exit_code == 0, document
    assert sheet.read_bytes() == before.replace(b"ambition: 7", b"ambition: 6")


SHEET_LAYOUTS = [
    "judge: ajudge\nscores:\n  falls-huddles:\n    ambition: 7\n    impact: 8\n"
    "    comment: Good.\n  patient-panel:\n    ambition: 6\n    impact: 5\n",
    "# Alex\r\njudge: ajudge\r\nscores:\r\n  falls-huddles:   # first\r\n    impact: null\r\n"
    "\r\n  patient-panel:\r\n",
    "scores: {falls-huddles: {ambition: ~, impact: 3}, patient-panel: ~}\njudge: ajudge",
    "judge: ajudge\nscores:\n    falls-huddles:\n        comment: |\n            Two\n"
    "            lines.\n    patient-panel: null  # to do\n",
]
CELL_TEXTS = st.one_of(st.none(), st.sampled_from(
    ["Strong data.", "Line one\nline two", 'He said: "yes"', "# not a YAML comment",
     "null", "7", "  padded  ", "é ✓"]))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=st.sampled_from(SHEET_LAYOUTS), data=st.data())
def test_what_a_judge_types_is_what_the_sheet_then_holds(layout: str, data: st.DataObject,
                                                         tmp_path_factory: Any) -> None:
    """For any sheet layout and any scores typed (a cell emptied, a comment written, a
    conflict declared), the import gives the sheet exactly those values, and a re-import
    changes no byte."""
    tmp = tmp_path_factory.mktemp("typed")
    root = copy_base(tmp / "programme")
    (root / "scores" / "ajudge.yaml").write_bytes(layout.encode())
    book = render_workbooks(root, tmp / "out")["ajudge"]
    cells: dict[str, Any] = {}
    expected: dict[str, dict[str, Any]] = {}
    for row, entry in ((2, "falls-huddles"), (3, "patient-panel")):
        recuse = data.draw(st.booleans(), label=f"{entry} recused")
        scores = {name: None if recuse else data.draw(
            st.one_of(st.none(), st.integers(0, 10)), label=f"{entry} {name}")
            for name in ("ambition", "impact")}
        conflict = "Knows the team" if recuse else None
        comment = data.draw(CELL_TEXTS, label=f"{entry} comment")
        cells.update({f"Scores!C{row}": scores["ambition"], f"Scores!D{row}": scores["impact"],
                      f"Scores!G{row}": conflict, f"Scores!H{row}": comment})
        clean = comment.strip() if comment is not None else None
        expected[entry] = {**scores, "conflict": conflict, "comment": clean or None}
    returned = edit(book, cells, save_as=tmp / "ajudge.xlsx")
    exit_code, document = import_scores(root, returned)
    assert exit_code == 0, document
    after = (root / "scores" / "ajudge.yaml").read_bytes()
    for entry, judgement in _sheet(root, "ajudge")["scores"].items():
        held = {name: (judgement or {}).get(name)
                for name in ("ambition", "impact", "conflict", "comment")}
        assert held == expected[entry], entry
    assert run_cli(["validate", "-p", root]).exit_code == 0
    exit_code, document = import_scores(root, returned)
    assert exit_code == 0 and document["summary"]["changes"] == 0
    assert (root / "scores" / "ajudge.yaml").read_bytes() == after


def test_control_characters_never_reach_the_file(tmp_path: Path) -> None:
    """A programme or judge name holding a control character (written as a YAML escape)
    still gives a workbook a spreadsheet can open (XML cannot hold them), without it."""
    root = copy_base(tmp_path / "programme")
    for name, old, new in (("programme.yaml", "name: Test Awards", 'name: "Test\\e Awards"'),
                           ("judges.yaml", "name: Alex Judge", 'name: "Alex\\a Judge"')):
        path = root / name
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    book = openpyxl.load_workbook(render_workbooks(root, tmp_path / "out")["ajudge"])
    assert book.properties.title == "Test Awards 2020: scores"
    guide = [c.value for row in book["How to score"].iter_rows() for c in row]
    assert "Scoring workbook for Alex Judge" in guide
