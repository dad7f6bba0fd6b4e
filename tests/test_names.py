"""Organisation names compare the way a person reads them (names.name_key): case, white
space (non-breaking and other Unicode spaces included), Unicode forms and invisible
format characters aside. Conflicts of interest in validate and assign, adopting
organisations and the press release's count of organisations all use it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder import entry_meta, scores, write_programme
from conftest import findings_of, run_cli
from qsi_awards.names import name_key
from render_support import render

TRUST = "Medway NHS Foundation Trust"
# each reads as TRUST
SPELLINGS = [
    "  medway nhs foundation trust\n",
    "MEDWAY\u00a0NHS  Foundation\tTrust",                 # non-breaking space, two spaces
    "Medway\u2009NHS\u3000Foundation Trust",              # thin and ideographic spaces
    "\uff2d\uff45\uff44\uff57\uff41\uff59 NHS Foundation Trust",  # full-width letters
    "Med\u00adway NHS Foundation\u200b Trust\u200e",      # soft hyphen, zero-width, LRM
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_names_a_person_reads_as_the_same_compare_equal(spelling: str) -> None:
    assert name_key(spelling) == name_key(TRUST) == "medway nhs foundation trust"


def test_unicode_forms_and_case() -> None:
    assert name_key("Ho\u0302pital de l'E\u0301cole") == name_key("H\u00f4pital de l'\u00c9cole")
    assert name_key("STRASSE") == name_key("straße")
    assert name_key("\ufb01rst") == "first"  # the ligature fi


@pytest.mark.parametrize("one, other", [
    ("Medway & Swale", "Medway and Swale"),  # words and punctuation are not guessed at
    ("St Mary's", "St. Mary's"),
    ("MedwayNHS", "Medway NHS"),
])
def test_names_that_read_differently_stay_different(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


def _programme(root: Path, organisation: str, sheets: dict[str, Any] | None = None) -> Path:
    return write_programme(
        root,
        judges=[{"id": "j1", "name": "Judge 1", "organisation": TRUST},
                {"id": "j2", "name": "Judge 2", "organisation": "Panel Org 2",
                 "conflicts": {"organisations": [SPELLINGS[3]]}},
                {"id": "j3", "name": "Judge 3", "organisation": "Panel Org 3"},
                {"id": "j4", "name": "Judge 4", "organisation": "Panel Org 4"}],
        entries={"e1": entry_meta("e1", organisation=organisation)},
        sheets=sheets,
    )


@pytest.mark.parametrize("spelling", SPELLINGS[1:])
def test_validate_finds_a_conflict_however_the_organisation_is_spaced(
        tmp_path: Path, spelling: str) -> None:
    root = _programme(tmp_path / "p", spelling, sheets={
        "j1": {"e1": scores(7, 7)}, "j2": {"e1": scores(6, 6)}})
    result = run_cli(["validate", "-p", root, "--format", "json"])
    found = [(f["path"], f["code"]) for f in findings_of(result.stdout)["findings"]]
    assert ("scores/j1.yaml", "conflicted-score") in found  # their own organisation
    assert ("scores/j2.yaml", "conflicted-score") in found  # one they declared
    assert result.exit_code == 1


def test_assign_never_gives_an_entry_to_a_judge_from_its_organisation(tmp_path: Path) -> None:
    root = _programme(tmp_path / "p", SPELLINGS[1])
    result = run_cli(["assign", "-p", root])
    assert result.exit_code == 0, result.output
    given = {path.stem: list(yaml.safe_load(path.read_text("utf-8"))["scores"] or {})
             for path in (root / "scores").glob("*.yaml")}
    assert sorted(judge for judge, entries in given.items() if "e1" in entries) == ["j3", "j4"]


def test_adopters_and_organisation_counts_read_names_as_a_person_does(tmp_path: Path) -> None:
    root = write_programme(
        tmp_path / "p",
        entries={"e1": entry_meta("e1", organisation=TRUST),
                 "e2": entry_meta("e2", organisation=SPELLINGS[1])},
        sheets={"j1": {"e1": scores(9, 9), "e2": scores(5, 5)},
                "j2": {"e1": scores(9, 9), "e2": scores(5, 5)}},
        adoption=[{"entry": "e1", "organisation": "Dartford Trust", "stage": "interested",
                   "date": "2020-05-01"},
                  {"entry": "e1", "organisation": "DARTFORD\u00a0 TRUST", "stage": "adopted",
                   "date": "2020-06-01"}])
    document = json.loads(run_cli(["adoption", "-p", root, "--format", "json"]).stdout)
    assert document["summary"] == {"interested": 0, "planning": 0, "piloting": 0,
                                   "adopted": 1, "declined": 0}
    out = tmp_path / "out"
    render("announcement", root, out)
    assert "from 1 organisation." in (out / "press-release.md").read_text("utf-8")
