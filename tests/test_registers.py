"""The programme's registers (registers/*.yaml) and the plan's phases: what `qsi status`
shows of them (overdue actions, risks above the appetite or past review, stakeholders
not engaged as planned, judging overdue after its deadline, phases in the Gantt chart),
`qsi registers` (text, JSON, a workbook, CSV) and the board report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from builder import dump, entry_meta, scores, write_programme
from conftest import REPO, run_cli
from render_support import pdf_text

JUDGING = [
    {"id": "deadline", "title": "Deadline", "date": "2020-02-01",
     "kind": "submission_deadline"},
    {"id": "judging", "title": "Agree winners", "date": "2020-03-01",
     "kind": "judging_deadline"},
    {"id": "ceremony", "title": "Ceremony", "date": "2020-04-01", "kind": "ceremony"},
]


def pending_programme(root: Path) -> Path:
    """Two entries, two judges each; one judgement not yet scored."""
    entries = {"e1": entry_meta("e1"), "e2": entry_meta("e2")}
    sheets: dict[str, Any] = {"j1": {"e1": scores(5, 6), "e2": scores(None, None)},
                              "j2": {"e1": scores(7, 7), "e2": scores(6, 6)}}
    return write_programme(root, entries=entries, sheets=sheets,
                           extra_settings={"timeline": JUDGING})


def status(root: Path, today: str, *args: str) -> Any:
    return run_cli(["status", "-p", root, "--today", today, *args])


def test_judging_after_its_deadline_is_overdue_not_done(tmp_path: Path) -> None:
    """Before: the judging milestone was ✓ (done) the day after its deadline, with a
    judgement still unscored."""
    root = pending_programme(tmp_path)
    text = status(root, "2020-03-05").stdout
    assert "!  1 Mar 2020  Agree winners" in text
    assert "✓  1 Mar 2020  Agree winners" not in text
    assert ("Judging is overdue: the deadline was 1 Mar 2020 (4 days ago), and 1 judgement "
            "not yet scored.") in text
    doc = json.loads(status(root, "2020-03-05", "-f", "json").stdout)
    assert [m["status"] for m in doc["timeline"]] == ["done", "overdue", "next"]
    assert doc["judging_overdue"] == {"deadline": "2020-03-01", "days": 4,
                                      "pending_judgements": 1, "short_of_judges": 0}
    md = status(root, "2020-03-05", "-f", "markdown").stdout
    assert "    Agree winners :milestone, crit, judging, 2020-03-01, 0d\n" in md
    assert "**Judging is overdue: the deadline was 1 Mar 2020 (4 days ago)" in md
    # on the deadline itself judging is not late yet
    assert json.loads(status(root, "2020-03-01", "-f", "json").stdout)[
        "judging_overdue"] is None


def test_judging_done_in_time_is_done(tmp_path: Path) -> None:
    root = pending_programme(tmp_path)
    sheet = root / "scores" / "j1.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace(
        "ambition: null\n    impact: null", "ambition: 4\n    impact: 4"), "utf-8")
    doc = json.loads(status(root, "2020-03-05", "-f", "json").stdout)
    assert doc["pending_judgements"] == 0
    assert [m["status"] for m in doc["timeline"]] == ["done", "done", "next"]
    assert doc["judging_overdue"] is None and doc["registers"] is None


REGISTERS: dict[str, Any] = {
    "risks": {"appetite": 10, "risks": [
        {"id": "few-entries", "title": "Few entries", "likelihood": 3, "impact": 4,
         "owner": "Lead", "mitigation": "Campaign", "review": "2020-06-01"},  # 12 > 10
        {"id": "venue", "title": "No venue", "likelihood": 2, "impact": 5, "owner": "Admin",
         "mitigation": "Book early", "review": "2020-01-31"},  # 10: at the appetite; review past
        {"id": "closed", "title": "Old", "likelihood": 5, "impact": 5, "owner": "Lead",
         "mitigation": "None", "review": "2019-01-01", "status": "closed"},
        {"id": "fine", "title": "Fine", "likelihood": 1, "impact": 2, "owner": "Lead",
         "mitigation": "None", "review": "2020-03-01"}]},
    "actions": {"actions": [
        {"id": "late", "title": "Book the venue", "owner": "Admin", "due": "2020-02-10"},
        {"id": "today", "title": "Due today", "owner": "Admin", "due": "2020-02-15"},
        {"id": "done", "title": "Done late", "owner": "Admin", "due": "2020-01-01",
         "status": "done"}]},
    "stakeholders": {"stakeholders": [
        {"id": "board", "name": "The board", "power": "high", "interest": "high",
         "engagement": "Monthly report", "every": "monthly", "last_engaged": "2020-01-14"},
        {"id": "trusts", "name": "Trusts", "power": "low", "interest": "high",
         "engagement": "Bulletin", "every": "monthly", "last_engaged": "2020-01-15"},
        {"id": "public", "name": "The public", "power": "low", "interest": "low",
         "engagement": "Website", "every": "quarterly"}]},
}


def with_registers(root: Path, registers: dict[str, Any] = REGISTERS) -> Path:
    write_programme(root, extra_settings={"timeline": JUDGING})
    (root / "registers").mkdir()
    for name, document in registers.items():
        (root / "registers" / f"{name}.yaml").write_text(dump(document), "utf-8")
    return root


def test_status_shows_the_registers_exceptions(tmp_path: Path) -> None:
    root = with_registers(tmp_path)
    result = status(root, "2020-02-15", "-f", "json")
    assert result.exit_code == 0, result.stdout
    found = json.loads(result.stdout)["registers"]
    assert found["appetite"] == 10
    assert found["overdue_actions"] == [{"id": "late", "title": "Book the venue",
                                         "owner": "Admin", "due": "2020-02-10",
                                         "days_overdue": 5}]
    assert [(r["id"], r["score"], r["above_appetite"], r["review_overdue"])
            for r in found["risks"]] == [("few-entries", 12, True, False),
                                         ("venue", 10, False, True)]
    # 1 month = 31 days: 32 days since 14 January is too long, 31 since the 15th is not
    assert [(p["id"], p["days"]) for p in found["stakeholders"]] == [("board", 32),
                                                                     ("public", None)]
    text = status(root, "2020-02-15").stdout
    assert "Registers: 5 exceptions" in text
    assert "    late: Book the venue — Admin, due 10 Feb 2020 (5 days ago)" in text
    assert "    few-entries: Few entries — Lead; score 12, above the appetite 10" in text
    assert "    venue: No venue — Admin; score 10; review was due 31 Jan 2020" in text
    assert ("    board: The board — planned monthly; last engaged 14 Jan 2020 (32 days ago)"
            in text)
    assert "    public: The public — planned quarterly; never engaged" in text
    md = status(root, "2020-02-15", "-f", "markdown").stdout
    assert "## Registers\n\n5 exceptions.\n\n### Overdue actions\n\n- late: Book the venue" in md


def test_a_programme_without_registers_is_unchanged(tmp_path: Path) -> None:
    root = write_programme(tmp_path)
    doc = json.loads(status(root, "2020-02-15", "-f", "json").stdout)
    assert doc["registers"] is None
    assert "Registers" not in status(root, "2020-02-15").stdout
    assert "Registers" not in status(root, "2020-02-15", "-f", "markdown").stdout


def test_phases_in_status(tmp_path: Path) -> None:
    timeline = [
        {"id": "marketing", "title": "Marketing", "date": "2019-11-01", "until": "2020-01-31",
         "owner": "Comms lead"},
        *JUDGING,
        {"id": "spread", "title": "Spread: and adoption", "date": "2020-04-02",
         "until": "2020-06-30", "owner": "AHSN", "after": ["ceremony"]},
    ]
    root = write_programme(tmp_path, extra_settings={"timeline": timeline})
    assert run_cli(["validate", "-p", root]).exit_code == 0
    doc = json.loads(status(root, "2020-01-10", "-f", "json").stdout)
    assert [(m["id"], m["status"]) for m in doc["timeline"]] == [
        ("marketing", "current"), ("deadline", "next"), ("judging", "upcoming"),
        ("ceremony", "upcoming"), ("spread", "upcoming")]
    assert doc["timeline"][-1]["until"] == "2020-06-30"
    assert doc["timeline"][-1]["after"] == ["ceremony"]
    text = status(root, "2020-01-10").stdout
    assert "▸  1 Nov 2019  Marketing — to 31 Jan 2020; owner: Comms lead" in text
    assert "   2 Apr 2020  Spread: and adoption — to 30 Jun 2020; owner: AHSN; after: ceremony" \
        in text
    md = status(root, "2020-01-10", "-f", "markdown").stdout
    # Mermaid's end date is exclusive: the day after the last day
    assert "    Marketing (Comms lead) :active, marketing, 2019-11-01, 2020-02-01\n" in md
    assert "    Spread  and adoption (AHSN) :spread, 2020-04-02, 2020-07-01\n" in md
    assert "| ▸ | 1 Nov 2019 | Marketing | 31 Jan 2020 | Comms lead |  |" in md
    assert re.search(r"section Phases\n.*\n.*\n    section Milestones\n", md)


def test_the_example_programme_keeps_registers() -> None:
    doc = json.loads(status(REPO, "2020-02-15", "-f", "json").stdout)
    found = doc["registers"]
    assert found["appetite"] == 12
    assert [a["id"] for a in found["overdue_actions"]] == ["book-venue"]
    assert [r["id"] for r in found["risks"] if r["above_appetite"]] == ["adoption-stalls"]
    assert [p["id"] for p in found["stakeholders"]] == ["kss-ahsn"]
    assert [m["id"] for m in doc["timeline"] if m["until"]] == ["marketing", "spread"]


def test_registers_as_a_workbook_read_back_by_openpyxl(tmp_path: Path) -> None:
    root = with_registers(tmp_path / "programme")
    out = tmp_path / "registers.xlsx"
    result = run_cli(["registers", "-p", root, "--today", "2020-02-15", "--format", "xlsx",
                      "--out", out])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["Risks", "Actions", "Issues", "Lessons", "Decision log",
                               "Stakeholders"]
    risks = book["Risks"]
    assert risks.freeze_panes == "A2" and risks.auto_filter.ref == "A1:L5"
    assert [c.value for c in risks[1]][:6] == ["ID", "Title", "Likelihood", "Impact", "Score",
                                                "Above appetite"]
    assert [c.value for c in risks[2]][:6] == ["few-entries", "Few entries", 3, 4, 12, True]
    assert risks["I3"].value == dt.datetime(2020, 1, 31)  # a date cell, not text
    assert risks["J3"].value is True  # venue: its review is overdue
    actions = book["Actions"]
    assert [(row[0].value, row[5].value) for row in actions.iter_rows(min_row=2)] == [
        ("late", True), ("today", False), ("done", False)]
    people = book["Stakeholders"]
    assert [(row[0].value, row[4].value, row[8].value, row[9].value)
            for row in people.iter_rows(min_row=2)] == [
        ("board", "manage closely", 32, False), ("trusts", "keep informed", 31, True),
        ("public", "monitor", None, False)]


def test_one_register_as_csv_and_the_other_formats(tmp_path: Path) -> None:
    root = with_registers(tmp_path / "programme")
    result = run_cli(["registers", "-p", root, "--today", "2020-02-15", "--format", "csv",
                      "--register", "actions"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["ID", "Title", "Owner", "Due", "Status", "Overdue", "Done", "Raised",
                       "Notes"]
    assert rows[1] == ["late", "Book the venue", "Admin", "2020-02-10", "open", "yes", "", "",
                       ""]
    doc = json.loads(run_cli(["registers", "-p", root, "--today", "2020-02-15",
                              "--format", "json"]).stdout)
    assert [r["id"] for r in doc["risks"]] == ["few-entries", "venue", "closed", "fine"]
    assert doc["issues"] == [] and doc["exceptions"]["appetite"] == 10
    text = run_cli(["registers", "-p", root, "--today", "2020-02-15"]).stdout
    assert "Risks (appetite 10): 4" in text and "Exceptions: 5" in text
    # what cannot run: exit 2 with a sentence
    no_out = run_cli(["registers", "-p", root, "--format", "xlsx"])
    assert no_out.exit_code == 2 and "give --out FILE.xlsx" in no_out.output
    which = run_cli(["registers", "-p", root, "--format", "csv"])
    assert which.exit_code == 2 and "say which with --register" in which.output
    inside = run_cli(["registers", "-p", root, "--format", "csv", "--register", "risks",
                      "--out", root / "registers" / "risks.csv"])
    assert inside.exit_code == 2 and "input folder" in inside.output
    assert not (root / "registers" / "risks.csv").exists()


def test_no_registers(tmp_path: Path) -> None:
    root = write_programme(tmp_path)
    result = run_cli(["registers", "-p", root])
    assert result.exit_code == 0 and "keeps no registers" in result.stdout


WINNER = "Reducing inpatient falls with safety huddles"  # the example's safety-secondary winner


def board_report(root: Path, out: Path, today: str, *args: str) -> str:
    result = run_cli(["render", "board-report", "-p", root, "--out", out, "--today", today,
                      *args])
    assert result.exit_code == 0, result.output
    return pdf_text(out / "board-report.pdf")


def test_board_report_before_the_release_names_no_winner(tmp_path: Path) -> None:
    text = board_report(REPO, tmp_path / "board", "2020-02-15")
    assert "Confidential — for the programme team and the steering group" in text
    assert "Board report, 15 Feb 2020" in text
    # progress against the plan: the phases, with owner and dependencies
    assert "Done 1 Jan 2019 31 Jan 2020 Start marketing awards Communications lead" in text
    assert "To come 1 May 2020 31 Dec 2020 Support spread and adoption KSS AHSN" in text
    # entries by category and setting: the patient-involvement safety category's 1, 2, 2
    assert ("Best safety initiative involving and engaging patients and the public 1 2 2 5"
            in text)
    assert "42 entries in all." in text
    assert "126 of 126 judgements scored by 13 judges" in text
    assert "book-venue: Book the ceremony venue" in text
    assert "adoption-stalls: Provider organisations do not adopt" in text
    assert "kss-ahsn: KSS AHSN — planned quarterly" in text
    assert "The results are embargoed: they are released on 1 April 2020, at the ceremony." \
        in text
    assert WINNER not in text and "Winner" not in text


def test_board_report_confidential_before_and_plain_after_the_release(tmp_path: Path) -> None:
    early = board_report(REPO, tmp_path / "early", "2020-03-15", "--confidential")
    assert "Confidential — embargoed until 1 April 2020" in early
    assert f"Winner: {WINNER} (Maidstone and Tunbridge Wells NHS Trust)" in early
    after = board_report(REPO, tmp_path / "after", "2020-06-01")
    assert "embargoed" not in after
    assert f"Winner: {WINNER}" in after
    assert "Spread and adoption Project Award Interested Planning Piloting Adopted Declined" \
        in after


def test_board_report_shows_judging_overdue(tmp_path: Path) -> None:
    root = pending_programme(tmp_path / "programme")
    text = board_report(root, tmp_path / "board", "2020-03-05")
    assert "Overdue 1 Mar 2020 Agree winners" in text
    assert "Judging is overdue: the deadline was 1 Mar 2020, 4 days ago." in text
    assert "The programme keeps no registers." in text


def test_archive_keeps_the_registers_and_person_searches_them(tmp_path: Path) -> None:
    """The registers are the edition's record (lessons for the next one): qsi archive
    keeps them, with its rules applied to the names in them; qsi person looks in them."""
    registers = {**REGISTERS, "lessons": {"lessons": [
        {"id": "early", "title": "Start early", "date": "2020-03-01",
         "lesson": "Entries came late.", "owner": "Priya Shah"}]}}
    root = with_registers(tmp_path / "programme", registers)
    found = json.loads(run_cli(["person", "Priya Shah", "-p", root, "--format",
                                "json"]).stdout)
    assert "registers/lessons.yaml" in json.dumps(found)
    result = run_cli(["archive", "-p", root, "--out", tmp_path / "archive", "--today",
                      "2020-04-02"])
    assert result.exit_code == 0, result.output
    kept = (tmp_path / "archive" / "registers" / "lessons.yaml").read_text("utf-8")
    assert "Entries came late." in kept
    assert (tmp_path / "archive" / "registers" / "risks.yaml").is_file()
    assert run_cli(["validate", "-p", tmp_path / "archive"]).exit_code == 0


def test_what_people_write_in_a_register_stays_text(tmp_path: Path) -> None:
    """A formula is text in the workbook and the CSV; markup is text in the board report."""
    hostile = {"risks": {"risks": [
        {"id": "formula", "title": "=HYPERLINK(\"http://example.com\",\"click\")",
         "likelihood": 5, "impact": 5, "owner": "<b>Lead</b>", "mitigation": "@SUM(A1)",
         "review": "2020-01-01"}]}}
    root = with_registers(tmp_path / "programme", hostile)
    out = tmp_path / "registers.xlsx"
    assert run_cli(["registers", "-p", root, "-f", "xlsx", "--out", out]).exit_code == 0
    sheet = load_workbook(out)["Risks"]
    assert sheet["B2"].value == "'=HYPERLINK(\"http://example.com\",\"click\")"
    assert sheet["B2"].data_type == "s" and sheet["H2"].value == "'@SUM(A1)"
    csv_text = run_cli(["registers", "-p", root, "-f", "csv", "--register", "risks"]).stdout
    assert "'=HYPERLINK" in csv_text
    result = run_cli(["render", "board-report", "-p", root, "--out", tmp_path / "board",
                      "--today", "2020-02-15"])
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "board" / "board-report.pdf")
    assert "— <b>Lead</b>; score 25, above the appetite 12" in text


def test_a_phase_under_way_after_the_last_milestone(tmp_path: Path) -> None:
    """Before: 'Every milestone has passed.' while spread and adoption ran to December."""
    text = status(REPO, "2020-06-01").stdout
    assert "  Under way: Support spread and adoption, to 31 Dec 2020.\n" in text
    assert "Every milestone has passed." not in text
    md = status(REPO, "2020-06-01", "-f", "markdown").stdout
    assert "\nUnder way: Support spread and adoption, to 31 Dec 2020.\n" in md
    board = board_report(REPO, tmp_path / "board", "2020-06-01")
    assert "Under way: Support spread and adoption, to 31 Dec 2020." in board
    assert "Every milestone has passed." in status(REPO, "2021-01-01").stdout
