"""Every rule code has a negative example folder (tests/examples/negative/<case>/), an
overlay on tests/examples/base; `qsi validate` must report each expected finding at the
expected place, with the expected exit code, and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import (
    BASE,
    Case,
    apply_overlay,
    build_case,
    copy_base,
    findings_of,
    negative_cases,
    run_cli,
)
from qsi_awards.findings import RULES

CASES = negative_cases()


def test_base_is_clean() -> None:
    result = run_cli(["validate", "-p", BASE, "--format", "json", "--strict"])
    assert findings_of(result.stdout)["findings"] == []
    assert result.exit_code == 0


# `qsi guard` reports these (SPEC §6), on pull requests, never `qsi validate`; their tests
# build git histories rather than folders. `qsi import scores` reports the workbook- codes,
# about workbooks (tests/examples/workbooks/); `qsi import entries` reports the forms-*
# codes (their cases are tests/examples/import/, in tests/test_import_entries.py).
# `qsi vote` reports the vote- codes, about a ballots file (tests/examples/votes/).
GUARD_CODES = {code for code in RULES
               if code.startswith(("guard-", "workbook-", "forms-", "vote-"))}


def test_every_rule_has_a_case() -> None:
    covered = {expected.code for case in CASES for expected in case.expect}
    assert sorted(set(RULES) - GUARD_CODES - covered) == []
    assert sorted(covered - (set(RULES) - GUARD_CODES)) == []


def test_every_case_folder_has_a_case_file() -> None:
    folders = sorted(path.name for path in (BASE.parent / "negative").iterdir())
    assert folders == [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_negative_example(case: Case, tmp_path: Path) -> None:
    folder = build_case(case, tmp_path)
    result = run_cli(["validate", "-p", folder, "--format", "json"])
    assert "Traceback" not in result.output
    document = findings_of(result.stdout)
    found = document["findings"]
    for expected in case.expect:
        matches = [f for f in found if (f["path"], f["line"], f["code"])
                   == (expected.path, expected.line, expected.code)]
        assert matches, (f"{case.name}: no {expected.code} at {expected.path}:{expected.line}; "
                         f"qsi reported {[(f['path'], f['line'], f['code']) for f in found]}")
        if expected.column is not None:
            assert expected.column in [f["column"] for f in matches], matches
        for match in matches:
            assert match["severity"] == RULES[expected.code].severity
            assert match["message"].strip() and "\n" not in match["message"]
    assert result.exit_code == case.exit, result.stdout
    if case.exit == 0:  # warnings only: --strict fails on them
        strict = run_cli(["validate", "-p", folder, "--format", "json", "--strict"])
        assert strict.exit_code == 1
        assert {f["severity"] for f in found} == {"warning"}
    else:
        assert document["summary"]["errors"] >= 1
    text = run_cli(["validate", "-p", folder])  # the default (text) reporter, too
    assert text.exit_code == case.exit
    assert "Traceback" not in text.output
    lines = text.stdout.splitlines()
    for expected in case.expect:
        where = expected.path if expected.line is None else f"{expected.path}:{expected.line}"
        assert any(line.startswith(f"{where}:") and f": {expected.code} " in line
                   for line in lines), (where, expected.code, lines)


def test_optional_fields_may_be_left_out(base_copy: Path) -> None:
    """Every optional field of SPEC §1 dropped at once still validates (defaults apply)."""
    programme = (base_copy / "programme.yaml").read_text("utf-8")
    for line in ("region: Testshire\n", 'hashtag: "#TestAwards"\n', "maintainers: [lead-handle]\n",
                 "  method: mean\n", "  shortlist_size: 3\n", "  highly_commended: 1\n",
                 "  tiebreak: [impact]\n", "  disagreement: 3.0\n"):
        assert line in programme
        programme = programme.replace(line, "")
    programme = programme[: programme.index("entry_rules:")]
    (base_copy / "programme.yaml").write_text(programme, "utf-8")
    entry = (base_copy / "entries/falls-huddles.md").read_text("utf-8")
    for line in ("team: [Tom Clarke]\n", "submitted_by: pshah\n", "patient_involvement: false\n"):
        assert line in entry
        entry = entry.replace(line, "")
    (base_copy / "entries/falls-huddles.md").write_text(entry, "utf-8")
    (base_copy / "decisions.yaml").write_text(
        "decisions:\n  - category: safety-primary\n    reason: No winner this year.\n", "utf-8")
    result = run_cli(["validate", "-p", base_copy, "--format", "json", "--strict"])
    assert findings_of(result.stdout)["findings"] == []
    assert result.exit_code == 0


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    """Findings from several cases, in one folder, are all reported: qsi never stops early."""
    names = ["bad-date", "unknown-judge", "wrong-type", "recusal-with-scores",
             "unknown-category-in-decision", "needs-patient-involvement", "stray-file"]
    by_name = {case.name: case for case in CASES}
    folder = copy_base(tmp_path / "all")
    expected = set()
    for name in names:
        case = by_name[name]
        apply_overlay(case.folder, folder, case)
        expected |= {(e.path, e.line, e.code) for e in case.expect}
    result = run_cli(["validate", "-p", folder, "--format", "json"])
    found = {(f["path"], f["line"], f["code"]) for f in findings_of(result.stdout)["findings"]}
    assert expected <= found
    assert result.exit_code == 1


@pytest.mark.slow
def test_readme_rule_catalogue_is_current() -> None:
    """The README table of rule codes is made from the negative examples; regenerate it
    with `python tests/catalogue.py --write` when a rule or a message changes."""
    import catalogue

    assert catalogue.readme_section() == catalogue.table()
