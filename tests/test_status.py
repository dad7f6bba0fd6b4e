"""qsi status: timeline position, entries, judges' progress, readiness to tally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from builder import entry_meta, scores, write_programme
from qsi_awards.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent


def status(root: Path, *args: str) -> Any:
    return runner.invoke(app, ["status", "-p", str(root), *args], catch_exceptions=False)


def test_example_on_a_fixed_day_in_every_format() -> None:
    # 15 February 2020: the shortlisting round is open until 21 February (6 days on)
    text = status(EXAMPLE, "--today", "2020-02-15")
    assert text.exit_code == 0
    assert "→ 21 Feb 2020  Judges' shortlisting scores due" in text.stdout
    assert "     1 Mar 2020  Review awards and agree winners / highly commended" in text.stdout
    assert "✓  1 Feb 2020  Deadline for award submissions" in text.stdout
    assert "Next: Judges' shortlisting scores due, 21 Feb 2020 (in 6 days)" in text.stdout
    assert ("  → Shortlisting on the rubric (shortlisting, rubric): to 21 Feb 2020, open\n"
            "    Final panel ranks the finalists (final, ranked): from 24 Feb 2020 to "
            "1 Mar 2020, not open yet\n") in text.stdout
    assert "Judges (complete / assigned), round shortlisting" in text.stdout
    assert "Ruth Fairbrother (rfairbrother): 9 / 9, 1 recused" in text.stdout
    assert "Ready to tally: yes." in text.stdout

    doc = json.loads(status(EXAMPLE, "--today", "2020-02-15", "-f", "json").stdout)
    assert doc["entries"] == 42 and doc["ready_to_tally"] is True
    assert doc["next_milestone"] == {"id": "shortlisting", "title": doc["timeline"][3]["title"],
                                     "date": "2020-02-21", "days": 6}
    assert [m["status"] for m in doc["timeline"]] == ["done", "done", "done", "next",
                                                      "upcoming", "upcoming", "upcoming",
                                                      "upcoming"]
    assert sum(c["entries"] for c in doc["categories"]) == 42
    assert [(r["id"], r["state"]) for r in doc["rounds"]] == [
        ("shortlisting", "open"), ("final", "not open yet")]

    md = status(EXAMPLE, "--today", "2020-02-15", "-f", "markdown").stdout
    assert "```mermaid\ngantt\n" in md
    assert "    dateFormat YYYY-MM-DD\n" in md
    assert ("    Judges' shortlisting scores due :milestone, active, shortlisting, "
            "2020-02-21, 0d\n") in md
    assert ("    Review awards and agree winners / highly commended :milestone, judging, "
            "2020-03-01, 0d\n") in md
    assert "    Today :milestone, crit, qsi-today-marker, 2020-02-15, 0d\n" in md


def test_example_in_the_final() -> None:
    """26 February 2020: the final panel's round (24 February to 1 March) is current, so
    status counts the five panel judges' ballots, one per category: 8 each."""
    text = status(EXAMPLE, "--today", "2020-02-26").stdout
    assert "Next: Review awards and agree winners / highly commended, 1 Mar 2020 (in 4 days)" \
        in text
    assert "  → Final panel ranks the finalists (final, ranked): from 24 Feb 2020 to " \
        "1 Mar 2020, open\n" in text
    progress = text[text.index("Judges (complete / assigned), round final"):]
    assert [line.strip() for line in progress.splitlines()[1:6]] == [
        "Helen Marsh (hmarsh): 8 / 8", "Sarah Thorne (sthorne): 8 / 8",
        "Mark Whitlock (mwhitlock): 8 / 8", "Alan Harrow (aharrow): 8 / 8",
        "Nkechi Adeyemi (nadeyemi): 8 / 8"]
    assert "Ruth Fairbrother" not in progress  # not on the final panel


def test_after_the_last_milestone() -> None:
    doc = json.loads(status(EXAMPLE, "--today", "2021-01-01", "-f", "json").stdout)
    assert doc["next_milestone"] is None
    assert {m["status"] for m in doc["timeline"]} == {"done"}
    assert "Every milestone has passed." in status(EXAMPLE, "--today", "2021-01-01").stdout


def test_progress_short_of_judges_and_not_ready(tmp_path: Path) -> None:
    entries = {"e1": entry_meta("e1"), "e2": entry_meta("e2")}
    sheets: dict[str, Any] = {
        "j1": {"e1": scores(5, 6), "e2": scores(None, None)},
        "j2": {"e1": scores(7, 7), "e2": {"conflict": "Knows the team"}},
    }
    root = write_programme(tmp_path, entries=entries, sheets=sheets)
    result = status(root, "--today", "2020-01-01", "-f", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    judges = {j["id"]: j for j in doc["judges"]}
    assert (judges["j1"]["complete"], judges["j1"]["assigned"]) == (1, 2)
    assert (judges["j2"]["complete"], judges["j2"]["assigned"], judges["j2"]["recused"]) == (
        1, 1, 1)
    assert doc["short_of_judges"] == [{"entry": "e2", "judges": 1, "needed": 2}]
    assert doc["pending_judgements"] == 1
    assert doc["ready_to_tally"] is False
    assert doc["not_ready_because"] == ["1 entry short of judges (qsi assign)",
                                        "1 judgement not yet scored"]
    assert doc["next_milestone"]["days"] == 31


def test_errors_make_status_exit_1_but_still_report(tmp_path: Path) -> None:
    root = write_programme(tmp_path, entries={"e1": entry_meta("e1", category="nope")})
    result = status(root, "--today", "2020-01-01")
    assert result.exit_code == 1
    assert "Ready to tally: not yet — 1 error to fix (qsi validate)" in result.stdout


def test_broken_programme_yaml_and_bad_date(tmp_path: Path) -> None:
    root = write_programme(tmp_path)
    (root / "programme.yaml").write_text("name: [unclosed\n")
    result = status(root)
    assert result.exit_code == 1 and "programme.yaml has errors" in result.stderr
    bad = status(EXAMPLE, "--today", "31/01/2020")
    assert bad.exit_code == 2 and "not a date like 2020-02-15" in bad.output


def test_a_judgement_of_a_missing_entry_is_not_progress(tmp_path: Path) -> None:
    """The same rule as validate's: only an existing entry, a judge who did not recuse and
    is not conflicted, puts a judge on a panel."""
    entries = {"e1": entry_meta("e1")}
    sheets: dict[str, Any] = {"j1": {"e1": scores(5, 6), "gone": scores(1, 1)}}
    root = write_programme(tmp_path, entries=entries, sheets=sheets)
    result = status(root, "--today", "2020-01-01", "-f", "json")
    assert result.exit_code == 1  # unknown-entry is an error
    judges = {j["id"]: j for j in json.loads(result.stdout)["judges"]}
    assert (judges["j1"]["complete"], judges["j1"]["assigned"]) == (1, 1)
