"""qsi import entries: Microsoft Forms and Google Forms exports become entries.

The exports are made here as the real services make them: Microsoft Forms' .xlsx
(written with openpyxl, an independent writer: "ID", "Start time", "Completion time",
"Email", "Name", then the questions; date cells, or Excel serial numbers), and Google
Forms' CSV ("Timestamp", "Email address", then the questions; UTF-8 with a byte order
mark, Windows line endings, line breaks inside quoted cells, day-first dates). The
programme is tests/examples/base with the map tests/examples/forms-map.yaml as its
forms/entry-map.yaml. Every forms-* rule
also has an example in tests/examples/import/<case>/ (the README catalogue's)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from conftest import (
    BASE,
    EXAMPLES,
    REPO,
    RunQsi,
    copy_base,
    findings_of,
    git_commit_all,
    git_init,
    run_cli,
)
from qsi_awards.findings import RULES
from qsi_awards.load import load, split_front_matter, yamlparse
from qsi_awards.model import EntryMapFile
from qsi_awards.writes import questionnaire
from qsi_awards.writes.new_entry import as_markdown

IMPORT_CASES = EXAMPLES / "import"
# the test programme's entry map (tests/examples/base has none, as most programmes)
BASE_MAP = EXAMPLES / "forms-map.yaml"

QUESTIONS = ["Project title", "Award category", "Organisation", "Care setting",
             "Project lead's name", "Project lead's job title",
             "Project lead's work e-mail address", "Other team members",
             "Did patients, carers or the public help shape the work?", "Summary",
             "Challenge", "Impact", "Consent to publish"]
MS_HEADERS = ["ID", "Start time", "Completion time", "Email", "Name", *QUESTIONS]
GOOGLE_HEADERS = ["Timestamp", "Email address", *QUESTIONS]
# the column numbers a spreadsheet shows, in the Microsoft Forms export
MS_COLUMN = {header: number for number, header in enumerate(MS_HEADERS, 1)}

GOOD: dict[str, str] = {
    "Project title": "Night-time falls checks",
    "Award category": "Best safety initiative in primary care",
    "Organisation": "Mill Practice",
    "Care setting": "Primary care (GP practices, pharmacies, dentists)",
    "Project lead's name": "Priya Shah",
    "Project lead's job title": "Practice Nurse",
    "Project lead's work e-mail address": "priya.shah@example.nhs.uk",
    "Other team members": "Tom Clarke\nAisha Okafor",
    "Did patients, carers or the public help shape the work?": "No",
    "Summary": "Hourly checks at night cut falls by half.",
    "Challenge": "Falls at night were common on the ward.",
    "Impact": "Falls halved in six months.",
    "Consent to publish": "Yes, the programme may publish this entry",
}


def answers(**changes: str) -> dict[str, str]:
    """GOOD with some answers changed: answers(title=...) changes "Project title"."""
    out = dict(GOOD)
    names = {"title": "Project title", "category": "Award category", "email":
             "Project lead's work e-mail address", "impact": "Impact", "team":
             "Other team members", "challenge": "Challenge", "patients":
             "Did patients, carers or the public help shape the work?", "care": "Care setting",
             "consent": "Consent to publish", "summary": "Summary"}
    for name, value in changes.items():
        out[names[name]] = value
    return out


def ms_forms_xlsx(path: Path, responses: list[tuple[Any, Any, dict[str, str]]],
                  headers: list[str] = MS_HEADERS) -> Path:
    """A Microsoft Forms export: each response is (ID, completion time, answers); the
    time as a date cell (a datetime) or as the serial number Excel keeps (a float)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(headers)
    for response_id, completed, given in responses:
        started = (completed - dt.timedelta(minutes=20) if isinstance(completed, dt.datetime)
                   else completed)
        row = {"ID": response_id, "Start time": started, "Completion time": completed,
               "Email": "anonymous", "Name": "anonymous", **given}
        sheet.append([row.get(header) for header in headers])
    workbook.save(path)
    return path


def google_csv(path: Path, responses: list[tuple[str, dict[str, str]]],
               headers: list[str] = GOOGLE_HEADERS) -> Path:
    """A Google Forms download: UTF-8 with a byte order mark, Windows line endings, every
    line break inside a cell a Windows one too; each response is (timestamp, answers)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for stamp, given in responses:
        row = {"Timestamp": stamp, "Email address": "priya.shah@example.nhs.uk", **given}
        writer.writerow([row.get(header, "").replace("\n", "\r\n") for header in headers])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return path


def google_map(programme: Path) -> Path:
    """The base map, for the same questions on Google Forms."""
    text = (programme / "forms" / "entry-map.yaml").read_text("utf-8")
    text = text.replace("  response: ID\n", "  response: Timestamp\n").replace(
        "  submitted: Completion time\n", "  submitted: Timestamp\n")
    path = programme / "forms" / "google-map.yaml"
    path.write_text(text, "utf-8")
    return path


def front(path: Path) -> dict[str, Any]:
    split = split_front_matter(path.read_text("utf-8"))
    assert not isinstance(split, str)
    data, problems = yamlparse.parse(split[0])
    assert problems == [] and isinstance(data, dict)
    return data


def imported(programme: Path, export: Path, *args: str | Path) -> tuple[int, dict[str, Any]]:
    result = run_cli(["import", "entries", export, "-p", programme, "--format", "json", *args])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def entry_errors(programme: Path) -> list[tuple[str, int | None, str]]:
    """The errors `qsi validate` reports (warnings, such as judges still to assign, aside)."""
    found = findings_of(run_cli(["validate", "-p", programme, "--format", "json"]).stdout)
    return [(f["path"], f["line"], f["code"]) for f in found["findings"]
            if f["severity"] == "error"]


def entry_files(programme: Path) -> list[str]:
    return sorted(path.name for path in (programme / "entries").iterdir())


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    """A copy of tests/examples/base with its entry map, forms/entry-map.yaml."""
    return with_map(copy_base(tmp_path / "programme"))


def with_map(programme: Path) -> Path:
    (programme / "forms").mkdir()
    shutil.copyfile(BASE_MAP, programme / "forms" / "entry-map.yaml")
    return programme


# Microsoft Forms ----------------------------------------------------------------------


def test_a_microsoft_forms_workbook_becomes_valid_entries(programme: Path, tmp_path: Path
                                                          ) -> None:
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [
        (1, dt.datetime(2020, 1, 28, 14, 3, 11), GOOD),
        (2, dt.datetime(2020, 1, 30, 9, 15, 0), answers(
            title="Patients redesign the waiting room", category=
            "Best QI initiative involving patients", care="Secondary care (hospitals)",
            patients="Yes", team="Sam Lee, Jo Park; Ann Cole", consent="")),
    ])
    code, report = imported(programme, export)
    assert code == 0, report
    assert [(c["row"], c["response"], c["entry"]) for c in report["created"]] == [
        (2, "1", "entries/night-time-falls-checks.md"),
        (3, "2", "entries/patients-redesign-the-waiting-room.md")]
    assert report["unused_columns"] == ["Start time", "Email", "Name"]
    first = front(programme / "entries" / "night-time-falls-checks.md")
    assert first == {
        "title": "Night-time falls checks", "category": "safety-primary",
        "organisation": "Mill Practice", "care_setting": "primary",
        "lead": {"name": "Priya Shah", "role": "Practice Nurse",
                 "email": "priya.shah@example.nhs.uk"},
        "team": ["Tom Clarke", "Aisha Okafor"], "submitted_by": None,
        "submitted": "2020-01-28", "patient_involvement": False, "consent_to_publish": True,
        "summary": "Hourly checks at night cut falls by half.",
        "source": {"form": "Test Awards 2020 entry form", "response": "1"}}
    second = front(programme / "entries" / "patients-redesign-the-waiting-room.md")
    assert (second["category"], second["care_setting"], second["patient_involvement"]) == (
        "qi-patients", "secondary", True)
    assert second["team"] == ["Sam Lee", "Jo Park", "Ann Cole"]
    assert second["consent_to_publish"] is False  # unanswered: never published without a yes
    text = (programme / "entries" / "night-time-falls-checks.md").read_text("utf-8")
    assert "## Challenge\n\n<!-- at most 30 words -->\n\nFalls at night were common on the " \
           "ward.\n" in text
    assert entry_errors(programme) == []


def test_excel_serial_dates_and_ids_saved_as_decimals(programme: Path, tmp_path: Path) -> None:
    """A workbook saved by another program may keep the completion time as Excel's
    serial number (43858.585 is 28 January 2020, 14:02:24) and the ID as 14.0."""
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(14.0, 43858.585, GOOD)])
    code, report = imported(programme, export)
    assert code == 0, report
    assert report["created"][0]["response"] == "14"
    entry = front(programme / report["created"][0]["entry"])
    assert entry["submitted"] == "2020-01-28"
    assert entry["source"]["response"] == "14"


def test_rows_are_numbered_as_the_spreadsheet_shows_them(programme: Path, tmp_path: Path
                                                          ) -> None:
    """An empty row is left out, but the rows after it keep their numbers."""
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(1, dt.datetime(2020, 1, 20), GOOD)])
    workbook = openpyxl.load_workbook(export)
    sheet = workbook.active
    assert sheet is not None
    sheet.append([None] * len(MS_HEADERS))
    given = answers(title="Second", email="not-an-address")
    sheet.append([2, dt.datetime(2020, 1, 20), dt.datetime(2020, 1, 20), "a", "b",
                  *(given[question] for question in QUESTIONS)])
    workbook.save(export)
    code, report = imported(programme, export)
    assert code == 1
    assert [c["row"] for c in report["created"]] == [2, 4]
    assert [(f["line"], f["code"]) for f in report["findings"]] == [(4, "bad-email")]


# Google Forms -------------------------------------------------------------------------


def test_a_google_forms_csv_with_its_quirks(programme: Path, tmp_path: Path) -> None:
    export = google_csv(tmp_path / "responses.csv", [
        ("28/01/2020 14:03:11", answers(challenge="Falls at night were common.\n\nWe "
                                        "counted them.\nEvery week.")),
        ("01/02/2020 08:00:00", answers(title="Café menus: patients choose",
                                        team="Tom Clarke,  Aisha Okafor")),
    ])
    raw = export.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfTimestamp,") and b"common.\r\n\r\nWe counted" in raw
    code, report = imported(programme, export, "--map", google_map(programme))
    assert code == 0, report
    assert [(c["response"], c["entry"]) for c in report["created"]] == [
        ("2020-01-28 14:03:11", "entries/night-time-falls-checks.md"),
        ("2020-02-01 08:00:00", "entries/cafe-menus-patients-choose.md")]
    second = front(programme / "entries" / "cafe-menus-patients-choose.md")
    assert second["title"] == "Café menus: patients choose"
    assert second["submitted"] == "2020-02-01"  # day-first: 1 February, the deadline day
    assert second["team"] == ["Tom Clarke", "Aisha Okafor"]
    text = (programme / "entries" / "night-time-falls-checks.md").read_text("utf-8")
    assert "\r" not in text and "\ufeff" not in text
    # each line the entrant typed is a paragraph of its own
    assert "Falls at night were common.\n\nWe counted them.\n\nEvery week.\n" in text
    assert entry_errors(programme) == []


def test_the_same_form_as_csv_and_as_xlsx_gives_the_same_ids(programme: Path, tmp_path: Path
                                                              ) -> None:
    """Google's Timestamp names a response: as text in the CSV and as a date cell in the
    .xlsx Google Sheets downloads, it is the same ID, so nothing is imported twice."""
    google_csv(tmp_path / "responses.csv", [("28/01/2020 14:03:11", GOOD)])
    code, report = imported(programme, tmp_path / "responses.csv", "--map",
                            google_map(programme))
    assert code == 0 and len(report["created"]) == 1
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(GOOGLE_HEADERS)
    sheet.append([dt.datetime(2020, 1, 28, 14, 3, 11), "x@example.nhs.uk",
                  *(GOOD[question] for question in QUESTIONS)])
    workbook.save(tmp_path / "responses.xlsx")
    code, report = imported(programme, tmp_path / "responses.xlsx", "--map",
                            google_map(programme))
    assert code == 0 and report["created"] == []
    assert report["skipped"] == [{"row": 2, "response": "2020-01-28 14:03:11", "reason":
                                  "already imported as entries/night-time-falls-checks.md"}]


@pytest.mark.parametrize(("written", "order", "day"), [
    ("28/01/2020 14:03:11", "day-first", "2020-01-28"),
    ("28/01/2020 14:03", "day-first", "2020-01-28"),
    ("01/28/2020 14:03:11", "month-first", "2020-01-28"),
    ("2020/01/28 2:03:11 pm GMT", "day-first", "2020-01-28"),  # Google's own CSV download
    ("2020-01-28T14:03:11Z", "day-first", "2020-01-28"),
    ("28.01.2020", "day-first", "2020-01-28"),
    ("28/01/20 14:03", "day-first", "2020-01-28"),
])
def test_dates_as_exports_write_them(programme: Path, tmp_path: Path, written: str, order: str,
                                     day: str) -> None:
    google_csv(tmp_path / "responses.csv", [(written, GOOD)])
    map_path = google_map(programme)
    map_path.write_text(map_path.read_text("utf-8") + f"dates: {order}\n", "utf-8")
    code, report = imported(programme, tmp_path / "responses.csv", "--map", map_path)
    assert code == 0, report
    assert front(programme / report["created"][0]["entry"])["submitted"] == day


def test_a_csv_saved_with_semicolons(programme: Path, tmp_path: Path) -> None:
    """Excel in some countries saves "CSV" with semicolons between the cells."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(MS_HEADERS)
    writer.writerow(["1", "28/01/2020 13:40", "28/01/2020 14:03", "a", "b",
                     *(GOOD[question] for question in QUESTIONS)])
    (tmp_path / "responses.csv").write_text(buffer.getvalue(), "utf-8")
    code, report = imported(programme, tmp_path / "responses.csv")
    assert code == 0, report
    entry = front(programme / report["created"][0]["entry"])
    assert (entry["organisation"], entry["submitted"]) == ("Mill Practice", "2020-01-28")


# Re-importing -------------------------------------------------------------------------


def test_a_longer_export_adds_only_the_new_responses(programme: Path, tmp_path: Path) -> None:
    first = ms_forms_xlsx(tmp_path / "first.xlsx", [
        (1, dt.datetime(2020, 1, 20, 10, 0), GOOD),
        (2, dt.datetime(2020, 1, 21, 10, 0), answers(title="Sepsis screening",
                                                     email="not-an-address")),
    ])
    code, _ = imported(programme, first)
    assert code == 1  # the bad e-mail: the entry is created, and the problem named
    entries = programme / "entries"
    # the programme team edits one; the other still has its bad e-mail (so it is not valid)
    edited = entries / "night-time-falls-checks.md"
    edited.write_text(edited.read_text("utf-8").replace("Falls halved", "Falls fell by half"),
                      "utf-8")
    before = {name: (entries / name).read_bytes() for name in entry_files(programme)}
    longer = ms_forms_xlsx(tmp_path / "longer.xlsx", [
        (1, dt.datetime(2020, 1, 20, 10, 0), answers(title="Night-time falls checks v2")),
        (2, dt.datetime(2020, 1, 21, 10, 0), answers(title="Sepsis screening")),
        (3, dt.datetime(2020, 1, 25, 10, 0), answers(title="Night-time falls checks")),
    ])
    code, report = imported(programme, longer)
    assert code == 0, report
    assert [(c["row"], c["entry"]) for c in report["created"]] == [
        (4, "entries/night-time-falls-checks-2.md")]
    assert report["skipped"] == [
        {"row": 2, "response": "1", "reason": "already imported as "
                                              "entries/night-time-falls-checks.md"},
        {"row": 3, "response": "2", "reason": "already imported as entries/sepsis-screening.md"}]
    for name, data in before.items():
        assert (entries / name).read_bytes() == data  # never overwritten
    # a third run adds nothing
    code, report = imported(programme, longer)
    assert code == 0 and report["created"] == [] and len(report["skipped"]) == 3


def test_ignored_responses_are_never_imported(programme: Path, tmp_path: Path) -> None:
    map_path = programme / "forms" / "entry-map.yaml"
    map_path.write_text(map_path.read_text("utf-8") + 'ignore_responses: ["2"]\n', "utf-8")
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [
        (1, dt.datetime(2020, 1, 20), GOOD),
        (2, dt.datetime(2020, 1, 20), answers(title="A test response, please ignore")),
    ])
    code, report = imported(programme, export)
    assert code == 0
    assert [c["row"] for c in report["created"]] == [2]
    assert report["skipped"] == [{"row": 3, "response": "2", "reason":
                                  "listed under ignore_responses in forms/entry-map.yaml"}]


def test_an_entry_that_cannot_be_read_stops_the_import(programme: Path, tmp_path: Path) -> None:
    """It might be an earlier import of one of these responses: qsi cannot tell."""
    (programme / "entries" / "broken.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(1, dt.datetime(2020, 1, 20), GOOD)])
    result = run_cli(["import", "entries", export, "-p", programme])
    assert result.exit_code == 2
    assert "entries/broken.md" in result.stderr
    assert "night-time-falls-checks.md" not in entry_files(programme)


# Problems: findings at the row and column ---------------------------------------------


def test_problems_name_the_row_and_column_and_good_rows_are_written(programme: Path,
                                                                    tmp_path: Path) -> None:
    day = dt.datetime(2020, 1, 20, 10, 0)
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [
        (1, day, GOOD),                                                        # row 2
        (2, day, answers(title="Walking groups", category="Best walking project")),  # row 3
        (3, day, answers(title="Long impact", impact="word " * 31)),           # row 4
        (4, day, answers(title="Bad address", email="priya.shah")),            # row 5
        (None, day, answers(title="No ID")),                                   # row 6
        (4, day, answers(title="Same ID as row 5")),                           # row 7
        (7, "sometime in January", answers(title="No date")),                  # row 8
        (8, dt.datetime(2020, 2, 3, 9, 0), answers(title="Late")),             # row 9
        (9, day, answers(title="", care="Hospital")),                          # row 10
    ])
    code, report = imported(programme, export)
    assert code == 1
    found = [(f["path"], f["line"], f["column"], f["code"]) for f in report["findings"]]
    path = export.as_posix()
    assert found == [
        (path, 3, MS_COLUMN["Award category"], "forms-unusable-answer"),
        (path, 4, MS_COLUMN["Impact"], "too-many-words"),
        (path, 5, MS_COLUMN["Project lead's work e-mail address"], "bad-email"),
        (path, 6, MS_COLUMN["ID"], "forms-response-id"),
        (path, 7, MS_COLUMN["ID"], "forms-response-id"),
        (path, 8, MS_COLUMN["Completion time"], "forms-unusable-answer"),
        (path, 9, MS_COLUMN["Completion time"], "late-submission"),
        (path, 10, MS_COLUMN["Project title"], "forms-unusable-answer"),
        (path, 10, MS_COLUMN["Care setting"], "forms-unusable-answer"),
    ]
    messages = {f["line"]: f["message"] for f in report["findings"]}
    assert messages[3].startswith('Row 3, "Award category": The answer \'Best walking '
                                  "project' is not a category qsi knows.")
    assert messages[4] == ('Row 4, "Impact": The section \'Impact\' has 31 words; the limit is '
                           "30, so cut 1. (entries/long-impact.md was created; qsi validate "
                           "reports this until it is put right.)")
    assert "Row 5 has the same response ID, 4" in messages[7]
    # the good ones, and those qsi validate will report, are written; the others are not
    assert [(c["row"], c["entry"]) for c in report["created"]] == [
        (2, "entries/night-time-falls-checks.md"), (4, "entries/long-impact.md"),
        (5, "entries/bad-address.md"), (9, "entries/late.md")]
    assert [(s["row"], s["response"]) for s in report["skipped"]] == [
        (3, "2"), (6, None), (7, "4"), (8, "7"), (10, "9")]
    assert report["skipped"][0]["reason"] == ('the answer is not a category the map knows '
                                              '("Award category")')
    # and qsi validate agrees about the entries created
    assert sorted(entry_errors(programme)) == [
        ("entries/bad-address.md", 9, "bad-email"),
        ("entries/late.md", 12, "late-submission"),
        ("entries/long-impact.md", 26, "too-many-words")]
    # the text report: each finding on its row, then what was created and skipped
    text = run_cli(["import", "entries", export, "-p", programme, "--dry-run"])
    assert text.exit_code == 1
    assert f'{path}:3:{MS_COLUMN["Award category"]}: forms-unusable-answer Row 3, "Award ' \
           'category": ' in text.stdout
    assert "  row 3 (response 2): the answer is not a category the map knows" in text.stdout


def test_fixing_the_map_brings_in_the_skipped_response(programme: Path, tmp_path: Path) -> None:
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [
        (1, dt.datetime(2020, 1, 20), answers(category="Safety (primary care)"))])
    assert imported(programme, export)[0] == 1
    map_path = programme / "forms" / "entry-map.yaml"
    map_path.write_text(map_path.read_text("utf-8").replace(
        "answers:\n", "answers:\n  category:\n    Safety (primary care): safety-primary\n"),
        "utf-8")
    code, report = imported(programme, export)
    assert code == 0
    assert [c["entry"] for c in report["created"]] == ["entries/night-time-falls-checks.md"]


def test_a_renamed_column_stops_the_import(programme: Path, tmp_path: Path) -> None:
    headers = [("Impact and results" if h == "Impact" else h) for h in MS_HEADERS]
    given = {("Impact and results" if k == "Impact" else k): v for k, v in GOOD.items()}
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(1, dt.datetime(2020, 1, 20), given)],
                           headers)
    code, report = imported(programme, export)
    assert code == 2
    assert [(f["line"], f["column"], f["code"]) for f in report["findings"]] == [
        (1, None, "forms-missing-column")]
    message = report["findings"][0]["message"]
    assert 'no column "Impact", which the map names for the section \'Impact\'' in message
    assert 'the closest it has is "Impact and results"' in message
    assert report["created"] == [] and entry_files(programme) == [
        "falls-huddles.md", "patient-panel.md"]


def test_headers_and_answers_as_people_type_them(programme: Path, tmp_path: Path) -> None:
    """Case, spaces, curly quotes and Microsoft Forms' ';' after a choice do not matter."""
    headers = [{"Project title": "  PROJECT   title ",
                "Project lead's name": "Project lead’s name"}.get(h, h) for h in MS_HEADERS]
    given = {{"Project title": "  PROJECT   title ",
              "Project lead's name": "Project lead’s name"}.get(k, k): v
             for k, v in answers(consent="yes, the programme may publish THIS entry;").items()}
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(1, dt.datetime(2020, 1, 20), given)],
                           headers)
    code, report = imported(programme, export)
    assert code == 0, report
    assert front(programme / report["created"][0]["entry"])["consent_to_publish"] is True


def test_markdown_in_answers_stays_the_entrants_text(programme: Path, tmp_path: Path) -> None:
    """An answer with a '## ' line, a line of dashes under text or a code fence would
    otherwise add a section or swallow the next heading."""
    challenge = "## Not a section\nFalls were common\n---\n```\nstill the challenge"
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [
        (1, dt.datetime(2020, 1, 20), answers(challenge=challenge))])
    code, report = imported(programme, export)
    assert code == 0, report
    assert entry_errors(programme) == []
    text = (programme / report["created"][0]["entry"]).read_text("utf-8")
    assert text.count("\n## ") == 2


def test_as_markdown() -> None:
    assert as_markdown("  one\r\n".replace("\r\n", "\n") + "  two  \n\n\nthree ") == \
        "one\n\ntwo\n\nthree"
    assert as_markdown("# a\n   ## b\n===\n--\n~~~\n- item") == \
        "\\# a\n\n\\## b\n\n\\===\n\n\\--\n\n\\~~~\n\n- item"


def test_dry_run_writes_nothing(programme: Path, tmp_path: Path) -> None:
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(1, dt.datetime(2020, 1, 20), GOOD)])
    result = run_cli(["import", "entries", export, "-p", programme, "--dry-run"])
    assert result.exit_code == 0
    assert "Would create 1 entry from" in result.stdout
    assert "(dry run: nothing written)" in result.stdout
    assert entry_files(programme) == ["falls-huddles.md", "patient-panel.md"]


def test_the_entries_folder_is_listed_once_not_once_per_response(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each new entry's file name must be free; the names taken are listed once, and the
    import keeps count of the names it writes, rather than listing the folder again for
    every entry (which made an export of 10,000 responses take many minutes)."""
    listed: list[str] = []
    listdir = os.listdir

    def counting(path: str | os.PathLike[str] = ".") -> list[str]:
        if Path(path).name == "entries":
            listed.append(str(path))
        return listdir(path)

    monkeypatch.setattr(os, "listdir", counting)
    counts = []
    for size in (2, 12):
        programme = with_map(copy_base(tmp_path / f"programme-{size}"))
        export = ms_forms_xlsx(tmp_path / f"responses-{size}.xlsx", [
            (number, dt.datetime(2020, 1, 20), answers(title=f"Falls checks {number // 2}"))
            for number in range(1, size + 1)])
        listed.clear()
        code, report = imported(programme, export)
        assert code == 0, report
        assert len(report["created"]) == size
        counts.append(len(listed))
    assert counts[0] == counts[1]
    # the same title twice still makes two files
    assert "falls-checks-6-2.md" not in entry_files(programme)
    assert {"falls-checks-5.md", "falls-checks-5-2.md", "falls-checks-6.md"} <= set(
        entry_files(programme))


# An imported entry and the deadline ---------------------------------------------------


def test_an_imported_entry_is_judged_on_its_submitted_date(programme: Path, tmp_path: Path
                                                           ) -> None:
    """Its file reaches git long after the deadline (when it is imported); the time the
    form recorded is what counts, as for an entry the team transcribed."""
    repo = git_init(programme)
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(1, dt.datetime(2020, 1, 20), GOOD)])
    assert imported(repo, export)[0] == 0
    git_commit_all(repo, "imported")
    assert entry_errors(repo) == []
    # without its source, the same file is late by its git date
    entry = repo / "entries" / "night-time-falls-checks.md"
    entry.write_text("".join(line for line in entry.read_text("utf-8").splitlines(True)
                             if not line.startswith("source:")), "utf-8")
    git_commit_all(repo, "source removed")
    assert entry_errors(repo) == [("entries/night-time-falls-checks.md", None,
                                   "late-submission")]


def test_a_form_per_category(programme: Path, tmp_path: Path) -> None:
    """A map can fix the category (and other fields) for every response of its form."""
    map_path = programme / "forms" / "entry-map.yaml"
    map_path.write_text(map_path.read_text("utf-8").replace("  category: Award category\n", "")
                        + "fixed:\n  category: qi-patients\n  patient_involvement: true\n",
                        "utf-8")
    text = map_path.read_text("utf-8").replace(
        "  patient_involvement: Did patients, carers or the public help shape the work?\n", "")
    map_path.write_text(text, "utf-8")
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [
        (1, dt.datetime(2020, 1, 20), answers(category="ignored", patients="No",
                                              care="Secondary care (hospitals)"))])
    code, report = imported(programme, export)
    assert code == 0, report
    entry = front(programme / report["created"][0]["entry"])
    assert (entry["category"], entry["patient_involvement"], entry["care_setting"]) == (
        "qi-patients", True, "secondary")
    assert report["unused_columns"] == ["Start time", "Email", "Name", "Award category",
                                        "Did patients, carers or the public help shape the "
                                        "work?"]


@pytest.mark.parametrize(("change", "message"), [
    (("  category: Award category\n", ""), "The map says nothing about 'category'"),
    (("answers:\n", "fixed:\n  category: safety-primary\nanswers:\n"),
     "'category' has both a column (columns: category) and a fixed value"),
    (("answers:\n", "answers:\n  category:\n    Falls: safety-tertiary\n"),
     "The category 'safety-tertiary' does not exist; use one of safety-primary, qi-patients."),
    (("  Impact: Impact\n", ""), "The programme's section 'Impact' has no column in the map"),
    (("  care_setting: Care setting\n", ""),
     "qi-patients has no setting of its own, so those entries would have none"),
])
def test_a_map_that_does_not_fit_the_programme(programme: Path, tmp_path: Path,
                                               change: tuple[str, str], message: str) -> None:
    map_path = programme / "forms" / "entry-map.yaml"
    text = map_path.read_text("utf-8")
    assert change[0] in text
    map_path.write_text(text.replace(*change), "utf-8")
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(1, dt.datetime(2020, 1, 20), GOOD)])
    code, report = imported(programme, export)
    assert code == 2
    assert [f["code"] for f in report["findings"]] == ["forms-map"]
    assert message in report["findings"][0]["message"]
    assert report["findings"][0]["path"] == "forms/entry-map.yaml"
    assert report["findings"][0]["line"] is not None


# Could not run: exit 2 ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "message"), [
    ("responses.xls", b"\xd0\xcf\x11\xe0rest", "an old Excel workbook (.xls)"),
    ("responses.txt", b"ID,Title\r\n", "neither a CSV file (.csv) nor an Excel workbook"),
    ("responses.xlsx", b"ID,Title\r\n1,x\r\n", "is not an Excel workbook, whatever its name"),
    ("responses.xlsx", b"PK\x03\x04 not really a zip", "cannot be read as an Excel workbook"),
    ("responses.csv", "ID,Title\r\n1,£5 vouchers\r\n".encode("cp1252"),
     "'CSV UTF-8 (Comma delimited)'"),
    ("responses.csv", b"", "is empty"),
])
def test_files_that_are_not_exports(programme: Path, tmp_path: Path, name: str, data: bytes,
                                    message: str) -> None:
    (tmp_path / name).write_bytes(data)
    result = run_cli(["import", "entries", tmp_path / name, "-p", programme])
    assert result.exit_code == 2
    assert message in result.stderr
    assert entry_files(programme) == ["falls-huddles.md", "patient-panel.md"]


def test_missing_files(programme: Path, tmp_path: Path) -> None:
    result = run_cli(["import", "entries", tmp_path / "nowhere.xlsx", "-p", programme])
    assert result.exit_code == 2 and "There is no file" in result.stderr
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(1, dt.datetime(2020, 1, 20), GOOD)])
    result = run_cli(["import", "entries", export, "-p", programme, "--map", tmp_path / "x.yaml"])
    assert result.exit_code == 2 and "There is no file" in result.stderr
    shutil.rmtree(programme / "forms")
    result = run_cli(["import", "entries", export, "-p", programme])
    assert result.exit_code == 2 and "There is no forms/entry-map.yaml" in result.stderr


def test_a_bad_map_is_reported_with_line_numbers(programme: Path, tmp_path: Path) -> None:
    map_path = tmp_path / "map.yaml"  # outside the programme: named as given
    map_path.write_text((programme / "forms" / "entry-map.yaml").read_text("utf-8").replace(
        "  lead_email: Project lead's work e-mail address\n",
        "  lead_emial: Project lead's work e-mail address\n"), "utf-8")
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(1, dt.datetime(2020, 1, 20), GOOD)])
    code, report = imported(programme, export, "--map", map_path)
    assert code == 2
    found = {(f["path"], f["line"], f["code"]) for f in report["findings"]}
    line = map_path.read_text("utf-8").splitlines().index(
        "  lead_emial: Project lead's work e-mail address") + 1
    assert (map_path.as_posix(), line, "unknown-field") in found
    assert entry_files(programme) == ["falls-huddles.md", "patient-panel.md"]


# The questionnaire and its map, from the programme's rules -----------------------------


def test_init_scaffolds_a_map_matching_the_questionnaire_in_its_readme(tmp_path: Path) -> None:
    target = tmp_path / "sussex"
    assert run_cli(["init", target, "--region", "Sussex", "--edition", "2025"]).exit_code == 0
    data, problems = yamlparse.parse((target / "forms" / "entry-map.yaml").read_text("utf-8"))
    assert problems == []
    entry_map = EntryMapFile.model_validate(data)
    readme = (target / "README.md").read_text("utf-8")
    asked = readme[readme.index("1. **Project title**"):]
    asked = asked[:asked.index("\n\n")]
    questions = [line.split("**")[1] for line in asked.splitlines() if "**" in line]
    # the README's questions are the map's headers, in order: the fields, the sections in
    # the programme's order, and consent last
    headers = [header for name, header in data["columns"].items()
               if name not in ("response", "submitted")]
    assert headers[-1] == "Consent to publish"
    assert list(entry_map.sections.values()) == ["Challenge", "Approach", "Impact",
                                                 "Spread and adoption"]
    assert questions == [*headers[:-1], *entry_map.sections.values(), headers[-1]]
    assert "10. **Summary** (long answer). One paragraph. At most 150 words." in asked
    assert "14. **Spread and adoption** (long answer). At most 400 words." in asked
    # a Microsoft Forms export of exactly that questionnaire becomes valid entries
    given = {"Project title": "Virtual ward for frailty", "Award category":
             "Best QI initiative in community care", "Organisation": "Sussex Community NHS "
             "Foundation Trust", "Care setting": "Community care", "Project lead's name":
             "Ann Cole", "Project lead's work e-mail address": "ann.cole@example.nhs.uk",
             "Did patients, carers or the public help shape the work?": "Yes",
             "Summary": "Frail patients were cared for at home.",
             **{title: f"About {title.lower()}." for title in entry_map.sections},
             "Consent to publish": "Yes, the programme may publish this entry"}
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(1, dt.datetime(2025, 1, 10), given)],
                           ["ID", "Start time", "Completion time", "Email", "Name", *questions])
    code, report = imported(target, export)
    assert code == 0, report
    assert entry_errors(target) == []


def test_the_questionnaire_follows_the_programme_rules(programme: Path) -> None:
    folder = load(programme)
    assert folder.settings is not None
    text = questionnaire.markdown(folder.settings, folder.categories)
    assert "10. **Summary** (long answer). One paragraph. At most 20 words." in text
    assert "11. **Challenge** (long answer). At most 30 words." in text
    assert "    - Best QI initiative involving patients *(patients or the public must have " \
           "shaped the work)*" not in text  # a choice of question 2: three spaces in
    assert "   - Best QI initiative involving patients *(patients or the public must have " \
           "shaped the work)*" in text


def test_the_example_programme_map_is_current() -> None:
    """forms/entry-map.yaml at the repository root is what qsi makes for the example
    programme (regenerate it with writes/questionnaire.map_text when the rules change)."""
    folder = load(REPO)
    assert folder.settings is not None
    assert (REPO / "forms" / "entry-map.yaml").read_text("utf-8") == questionnaire.map_text(
        folder.settings, folder.categories)


def test_the_example_export_imports_into_the_example_programme(tmp_path: Path) -> None:
    programme = tmp_path / "km"
    programme.mkdir()
    for name in ("programme.yaml", "categories.yaml", "judges.yaml", "decisions.yaml",
                 "adoption.yaml"):
        shutil.copyfile(REPO / name, programme / name)
    for folder in ("entries", "scores", "rounds", "forms"):
        shutil.copytree(REPO / folder, programme / folder)
    result = run_cli(["import", "entries", "forms/sample-export.csv"], cwd=programme)
    assert result.exit_code == 0, result.output
    assert "Created 3 entries from forms/sample-export.csv:" in result.stdout
    assert entry_errors(programme) == []


# The catalogue's examples --------------------------------------------------------------


FORMS_CODES = sorted(code for code in RULES if code.startswith("forms-"))


def import_cases() -> list[Path]:
    return sorted(folder for folder in IMPORT_CASES.iterdir() if (folder / "case.yaml").is_file())


def run_import_case(folder: Path, dest: Path) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """Run a case of tests/examples/import/: its files over a copy of the base programme,
    then `qsi import entries EXPORT [--map MAP]` in that folder. (exit, report, case)"""
    case = yaml.safe_load((folder / "case.yaml").read_text("utf-8"))
    programme = with_map(copy_base(dest))
    for source in folder.iterdir():
        if source.name != "case.yaml":
            shutil.copyfile(source, programme / source.name)
    args = ["import", "entries", case["export"], "--format", "json"]
    if "map" in case:
        args += ["--map", case["map"]]
    result = run_cli(args, cwd=programme)
    return result.exit_code, json.loads(result.stdout), case


def test_every_forms_rule_has_an_import_case() -> None:
    covered = set()
    for folder in import_cases():
        case = yaml.safe_load((folder / "case.yaml").read_text("utf-8"))
        covered |= {expected["code"] for expected in case["expect"]}
    assert sorted(covered & set(FORMS_CODES)) == FORMS_CODES


@pytest.mark.parametrize("folder", import_cases(), ids=lambda folder: folder.name)
def test_import_case(folder: Path, tmp_path: Path) -> None:
    code, report, case = run_import_case(folder, tmp_path / "programme")
    found = [(f["path"], f["line"], f["column"], f["code"]) for f in report["findings"]]
    for expected in case["expect"]:
        assert (expected["path"], expected["line"], expected.get("column"),
                expected["code"]) in found, found
    assert code == case["exit"]


# The command line ---------------------------------------------------------------------


def test_the_installed_qsi_imports(installed_qsi: RunQsi, programme: Path, tmp_path: Path
                                   ) -> None:
    export = ms_forms_xlsx(tmp_path / "responses.xlsx", [(1, dt.datetime(2020, 1, 20), GOOD)])
    done = installed_qsi("import", "entries", export, "-p", programme)
    assert done.returncode == 0, done.stderr
    assert "Created 1 entry from" in done.stdout
    assert (programme / "entries" / "night-time-falls-checks.md").is_file()


def test_help_does_not_load_the_spreadsheet_reader() -> None:
    code = ("import sys; from qsi_awards.cli import make_app; from typer.testing import "
            "CliRunner; CliRunner().invoke(make_app(['import']), ['import', 'entries', "
            "'--help']); print('openpyxl' in sys.modules, 'pydantic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "False"]


def test_base_is_untouched() -> None:
    assert sorted(path.name for path in (BASE / "entries").iterdir()) == [
        "falls-huddles.md", "patient-panel.md"]
