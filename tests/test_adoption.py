"""qsi adoption (Part 2): per winning and highly commended entry, the organisations at
each adoption stage, with dates; text, JSON and Markdown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from builder import entry_meta, scores, write_programme
from conftest import REPO, findings_of, run_cli

CATEGORIES = [{"id": "cat-a", "title": "Category A", "theme": "safety"},
              {"id": "cat-b", "title": "Category B | QI", "theme": "qi"}]
RECORDS: list[dict[str, Any]] = [
    {"entry": "a1", "organisation": "Org X", "stage": "interested", "date": "2020-05-01"},
    {"entry": "a1", "organisation": "Org Y", "stage": "declined", "date": "2020-07-01",
     "notes": "Not this year."},
    {"entry": "a1", "organisation": " org x ", "stage": "adopted", "date": "2020-09-01",
     "contact": "Kim"},
    {"entry": "a1", "organisation": "Org X", "stage": "planning", "date": "2020-06-01"},
    {"entry": "a1", "organisation": "Org Z", "stage": "piloting", "date": "2020-08-01"},
    {"entry": "a4", "organisation": "Org W", "stage": "interested", "date": "2020-05-05"},
    {"entry": "b1", "organisation": "Org U", "stage": "interested", "date": "2020-06-01"},
    {"entry": "b1", "organisation": "Org U", "stage": "planning", "date": "2020-06-01"},
    {"entry": "b1", "organisation": "Pipes | Co <b>", "stage": "adopted", "date": "2020-05-01"},
]


def programme(root: Path, adoption: list[dict[str, Any]] | None = RECORDS,
              decisions: list[dict[str, Any]] | None = None) -> Path:
    marks = {"a1": 9, "a2": 8, "a3": 7, "a4": 5, "b1": 6}
    entries = {entry_id: entry_meta(entry_id, category="cat-" + entry_id[0])
               for entry_id in marks}
    sheets = {judge: {entry_id: scores(mark, mark) for entry_id, mark in marks.items()}
              for judge in ("j1", "j2")}
    return write_programme(root, categories=CATEGORIES, entries=entries, sheets=sheets,
                           adoption=adoption, decisions=decisions)


def adoption_json(root: Path) -> dict[str, Any]:
    result = run_cli(["adoption", "-p", root, "--format", "json"])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_json(tmp_path: Path) -> None:
    document = adoption_json(programme(tmp_path / "p"))
    assert document["stages"] == ["interested", "planning", "piloting", "adopted", "declined"]
    assert [(e["entry"], e["award"], e["category"]) for e in document["entries"]] == [
        ("a1", "winner", "cat-a"), ("a2", "highly_commended", "cat-a"),
        ("a3", "highly_commended", "cat-a"), ("b1", "winner", "cat-b")]
    a1 = document["entries"][0]["stages"]
    # the latest record of each organisation wins; names compare ignoring case and spaces
    assert a1["adopted"] == [{"organisation": "org x", "stage": "adopted", "date": "2020-09-01",
                              "contact": "Kim", "notes": None,
                              "history": [{"stage": "interested", "date": "2020-05-01"},
                                          {"stage": "planning", "date": "2020-06-01"}]}]
    assert [a["organisation"] for a in a1["piloting"]] == ["Org Z"]
    assert [a["organisation"] for a in a1["declined"]] == ["Org Y"]
    assert a1["interested"] == a1["planning"] == []
    assert document["entries"][1]["stages"] == {stage: [] for stage in document["stages"]}
    b1 = document["entries"][3]["stages"]
    assert [a["organisation"] for a in b1["planning"]] == ["Org U"]  # same date: file order
    assert document["summary"] == {"interested": 0, "planning": 1, "piloting": 1,
                                   "adopted": 2, "declined": 1}
    # a shortlisted entry's records are kept apart, never dropped
    assert [(e["entry"], e["award"]) for e in document["other_entries"]] == [
        ("a4", "shortlisted")]


def test_decisions_decide_who_is_a_winner(tmp_path: Path) -> None:
    root = programme(tmp_path / "p", decisions=[
        {"category": "cat-a", "winner": "a2", "highly_commended": ["a1"],
         "reason": "Steering group."}])
    document = adoption_json(root)
    assert [(e["entry"], e["award"]) for e in document["entries"]] == [
        ("a2", "winner"), ("a1", "highly_commended"), ("b1", "winner")]


def test_text(tmp_path: Path) -> None:
    result = run_cli(["adoption", "-p", programme(tmp_path / "p")])
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Spread and adoption: Test Awards 2020\n")
    assert ("Category A\n  Winner: Project a1 (a1), Org of a1\n"
            "    adopted     2020-09-01  org x\n"
            "    piloting    2020-08-01  Org Z\n"
            "    declined    2020-07-01  Org Y\n") in out
    assert "  Highly commended: Project a2 (a2), Org of a2\n    no adoption recorded yet\n" in out
    assert "Other entries with adoption records\n  Shortlisted: Project a4 (a4)" in out
    assert out.endswith("Organisations by stage: interested 0, planning 1, piloting 1, "
                        "adopted 2, declined 1.\n")


def test_markdown(tmp_path: Path) -> None:
    out_file = tmp_path / "adoption.md"
    result = run_cli(["adoption", "-p", programme(tmp_path / "p"), "--format", "markdown",
                      "--out", out_file])
    assert result.exit_code == 0 and result.stdout == ""
    text = out_file.read_text("utf-8")
    assert text.startswith("# Spread and adoption: Test Awards 2020\n")
    assert "| Adopted | 2 |" in text
    assert "## Category A\n\n### Winner: Project a1\n" in text
    assert "| Adopted | org x | 2020-09-01 | interested 2020-05-01; planning 2020-06-01 |" in text
    assert "## Category B \\| QI" in text
    # text from the input cannot break the table or inject HTML
    assert "| Adopted | Pipes \\| Co \\<b\\> | 2020-05-01 |  |" in text
    assert "<b>" not in text
    assert "## Other entries with adoption records" in text


def test_without_adoption_file(tmp_path: Path) -> None:
    document = adoption_json(programme(tmp_path / "p", adoption=None))
    assert len(document["entries"]) == 4 and document["other_entries"] == []
    assert set(document["summary"].values()) == {0}
    text = run_cli(["adoption", "-p", tmp_path / "p"]).stdout
    assert text.count("no adoption recorded yet") == 4


def test_example_programme() -> None:
    """The repository's own programme: every record of adoption.yaml is reported, under
    exactly the winners and highly commended entries the tally (with decisions) gives."""
    document = adoption_json(REPO)
    tally = json.loads(run_cli(["tally", "-p", REPO, "--format", "json"]).stdout)
    awarded = [(c["id"], e["entry"]) for c in tally["categories"] for e in c["entries"]
               if e["award"] in ("winner", "highly_commended")]
    assert sorted(awarded) == sorted((e["category"], e["entry"]) for e in document["entries"])
    records = yaml.safe_load((REPO / "adoption.yaml").read_text("utf-8"))["adoption"]
    reported = {(a["organisation"], e["entry"], a["stage"], a["date"])
                for e in document["entries"] + document["other_entries"]
                for stage in document["stages"] for a in e["stages"][stage]}
    assert {(r["organisation"], r["entry"], r["stage"], str(r["date"])) for r in records} \
        <= reported
    falls = next(e for e in document["entries"] if e["entry"] == "falls-huddles")
    assert [a["organisation"] for a in falls["stages"]["piloting"]] == [
        "Dartford and Gravesham NHS Trust"]
    for fmt in ("text", "markdown"):
        assert run_cli(["adoption", "-p", REPO, "--format", fmt]).exit_code == 0


def test_bad_adoption_file_is_reported(tmp_path: Path) -> None:
    """validate checks adoption.yaml (known entries, stages, dates not before the ceremony);
    adoption refuses to report on a programme with errors."""
    root = programme(tmp_path / "p", adoption=[
        {"entry": "nope", "organisation": "Org", "stage": "adopted", "date": "2020-05-01"},
        {"entry": "a1", "organisation": "Org", "stage": "copied", "date": "2020-05-01"},
        {"entry": "a1", "organisation": "Org", "stage": "adopted", "date": "2020-03-01"},
    ])
    found = findings_of(run_cli(["validate", "-p", root, "--format", "json"]).stdout)
    codes = {(f["line"], f["code"]) for f in found["findings"] if f["path"] == "adoption.yaml"}
    assert {c for _, c in codes} >= {"unknown-entry", "bad-choice", "adoption-before-ceremony"}
    result = run_cli(["adoption", "-p", root])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "adoption.yaml" in result.stderr and result.stdout == ""
