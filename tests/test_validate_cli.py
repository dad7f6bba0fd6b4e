"""`qsi validate` as users and CI meet it (SPEC §2, §6): the repository's own programme,
the three output formats, --strict, --changed on real git repositories, exit codes, and
the installed `qsi` executable."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    BASE,
    NEGATIVE,
    REPO,
    Case,
    RunQsi,
    apply_overlay,
    build_case,
    copy_base,
    findings_of,
    git,
    git_commit_all,
    git_init,
    run_cli,
)
from qsi_awards.findings import RULES

FINDING_KEYS = {"path", "line", "column", "code", "severity", "message"}
SUMMARY = re.compile(r"(No problems found|\d+ errors?( and \d+ warnings?)?|\d+ warnings?) "
                     r"in \d+ files?\.$")
GITHUB = re.compile(r"::(error|warning) file=([^,:]+)(?:,line=(\d+)(?:,col=(\d+))?)?"
                    r",title=([a-z0-9-]+)::(.+)$")


def case_folder(tmp_path: Path, *names: str) -> Path:
    """base with the overlays of the named negative examples applied, in order."""
    folder = copy_base(tmp_path / "programme")
    for name in names:
        apply_overlay(NEGATIVE / name, folder, Case.load(NEGATIVE / name))
    return folder


def location(finding: dict[str, Any]) -> str:
    where = str(finding["path"])
    if finding["line"] is not None:
        where += f":{finding['line']}"
        if finding["column"] is not None:
            where += f":{finding['column']}"
    return where


def validate_json(folder: Path, *options: str) -> tuple[int, dict[str, Any]]:
    result = run_cli(["validate", "-p", folder, "--format", "json", *options])
    return result.exit_code, findings_of(result.stdout)


# The repository's own programme -------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_the_repository_programme_validates(fmt: str) -> None:
    result = run_cli(["validate", "-p", REPO, "--format", fmt])
    assert result.exit_code == 0, result.stdout
    assert "Traceback" not in result.output
    assert "::error" not in result.stdout
    if fmt == "json":
        document = findings_of(result.stdout)
        assert document["summary"]["errors"] == 0
        assert document["summary"]["files"] >= 4  # programme, categories, judges, entries


def test_the_repository_programme_validates_from_its_folder() -> None:
    result = run_cli(["validate", "--format", "json"], cwd=REPO)
    assert result.exit_code == 0
    assert findings_of(result.stdout)["summary"]["errors"] == 0


# Formats ------------------------------------------------------------------------------


def test_json_is_exactly_the_spec_shape(tmp_path: Path) -> None:
    folder = case_folder(tmp_path, "bad-date", "stray-file", "outside-categories", "missing-file")
    code, document = validate_json(folder)
    assert code == 1
    assert set(document) == {"findings", "summary"}
    assert set(document["summary"]) == {"errors", "warnings", "files"}
    findings = document["findings"]
    assert findings
    for finding in findings:
        assert set(finding) == FINDING_KEYS
        assert isinstance(finding["path"], str) and not finding["path"].startswith("/")
        assert "\\" not in finding["path"]
        for key in ("line", "column"):
            assert finding[key] is None or (isinstance(finding[key], int) and finding[key] >= 1)
        assert finding["code"] in RULES
        assert finding["severity"] == RULES[finding["code"]].severity
        assert isinstance(finding["message"], str) and finding["message"]
    errors = sum(1 for f in findings if f["severity"] == "error")
    assert document["summary"]["errors"] == errors
    assert document["summary"]["warnings"] == len(findings) - errors
    assert {(f["path"], f["code"]) for f in findings} >= {
        ("entries/falls-huddles.md", "bad-date"), ("scores/ajudge.yml", "stray-file"),
        ("scores/cjudge.yaml", "outside-categories"), ("categories.yaml", "missing-file")}
    # sorted by place, so output is stable
    keys = [(f["path"], f["line"] or 0, f["column"] or 0) for f in findings]
    assert keys == sorted(keys)


def test_json_counts_the_files_read(base_copy: Path) -> None:
    code, document = validate_json(base_copy)
    assert code == 0
    files = [path for path in base_copy.rglob("*") if path.is_file()]
    assert document == {"findings": [],
                        "summary": {"errors": 0, "warnings": 0, "files": len(files)}}


def test_text_is_one_line_per_finding_then_a_summary(tmp_path: Path) -> None:
    folder = case_folder(tmp_path, "bad-date", "stray-file", "outside-categories", "missing-file")
    _, document = validate_json(folder)
    result = run_cli(["validate", "-p", folder])  # text is the default
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    expected = [f"{location(f)}: {f['code']} {f['message']}" for f in document["findings"]]
    assert lines[:-1] == expected
    assert "entries/falls-huddles.md:9:12: bad-date " in result.stdout
    assert "scores/ajudge.yml: stray-file " in result.stdout  # a whole-file finding
    summary = lines[-1]
    assert SUMMARY.match(summary), summary
    errors, warnings = document["summary"]["errors"], document["summary"]["warnings"]
    assert f"{errors} error" in summary and f"{warnings} warning" in summary


def test_text_summary_when_clean(base_copy: Path) -> None:
    result = run_cli(["validate", "-p", base_copy, "--format", "text"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["No problems found in 10 files."]


def test_github_workflow_commands(tmp_path: Path) -> None:
    folder = case_folder(tmp_path, "bad-date", "stray-file", "outside-categories")
    _, document = validate_json(folder)
    result = run_cli(["validate", "-p", folder, "--format", "github"])
    assert result.exit_code == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(commands) == len(document["findings"])
    for line, finding in zip(commands, document["findings"], strict=True):
        match = GITHUB.match(line)
        assert match, line
        severity, path, row, column, code, message = match.groups()
        assert (severity, path, code) == (finding["severity"], finding["path"], finding["code"])
        assert row == (None if finding["line"] is None else str(finding["line"]))
        assert column == (None if finding["column"] is None else str(finding["column"]))
        assert message == finding["message"]
    assert ("::error file=entries/falls-huddles.md,line=9,col=12,title=bad-date::"
            in result.stdout)
    assert "::warning file=scores/ajudge.yml,title=stray-file::" in result.stdout


def test_github_is_the_default_under_github_actions(tmp_path: Path) -> None:
    folder = case_folder(tmp_path, "bad-date")
    chosen = run_cli(["validate", "-p", folder, "--format", "github"])
    automatic = run_cli(["validate", "-p", folder], env={"GITHUB_ACTIONS": "true"})
    assert automatic.exit_code == chosen.exit_code == 1
    assert automatic.stdout == chosen.stdout
    assert "::error file=entries/falls-huddles.md,line=9,col=12,title=bad-date::" in (
        automatic.stdout)
    # an explicit --format wins
    text = run_cli(["validate", "-p", folder, "--format", "text"], env={"GITHUB_ACTIONS": "true"})
    assert "::error" not in text.stdout
    assert "entries/falls-huddles.md:9:12: bad-date" in text.stdout


def test_github_paths_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    repo = git_init(tmp_path / "repo")
    folder = repo / "awards" / "2020"
    folder.parent.mkdir(parents=True)
    copy_base(folder)
    apply_overlay(NEGATIVE / "bad-date", folder)
    git_commit_all(repo)
    result = run_cli(["validate", "-p", folder, "--format", "github"])
    assert result.exit_code == 1
    assert ("::error file=awards/2020/entries/falls-huddles.md,line=9,col=12,title=bad-date::"
            in result.stdout)
    # the same from inside the folder, with the default programme (the current folder)
    here = run_cli(["validate", "--format", "github"], cwd=folder)
    assert here.stdout == result.stdout
    # json and text keep paths relative to the programme folder
    _, document = validate_json(folder)
    assert {f["path"] for f in document["findings"]} == {"entries/falls-huddles.md"}


def test_github_escapes_properties_and_messages(tmp_path: Path) -> None:
    folder = copy_base(tmp_path / "programme")
    shutil.copyfile(BASE / "entries/falls-huddles.md", folder / "entries/a,b:c.md")
    result = run_cli(["validate", "-p", folder, "--format", "github"])
    assert result.exit_code == 1
    assert "::error file=entries/a%2Cb%3Ac.md,title=bad-id::" in result.stdout


def test_github_step_summary_is_appended(tmp_path: Path) -> None:
    folder = case_folder(tmp_path, "bad-date", "outside-categories")
    summary = tmp_path / "step-summary.md"
    summary.write_text("# Earlier step\n", "utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    first = run_cli(["validate", "-p", folder], env=env)
    assert first.exit_code == 1
    text = summary.read_text("utf-8")
    assert text.startswith("# Earlier step\n")
    assert "qsi validate" in text
    assert "bad-date" in text and "outside-categories" in text
    assert "entries/falls-huddles.md:9:12" in text
    assert "1 error and 1 warning" in text
    run_cli(["validate", "-p", folder], env=env)
    again = summary.read_text("utf-8")
    assert again.startswith(text) and again.count("bad-date") == 2 * text.count("bad-date")


def test_no_step_summary_without_the_variable(tmp_path: Path) -> None:
    folder = case_folder(tmp_path, "bad-date")
    before = sorted(path.name for path in tmp_path.iterdir())
    run_cli(["validate", "-p", folder, "--format", "github"])
    assert sorted(path.name for path in tmp_path.iterdir()) == before


def test_github_step_summary_paths_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    repo = git_init(tmp_path / "repo")
    folder = copy_base(repo / "awards")
    apply_overlay(NEGATIVE / "bad-date", folder)
    summary = tmp_path / "summary.md"
    run_cli(["validate", "-p", folder],
            env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert "awards/entries/falls-huddles.md:9:12" in summary.read_text("utf-8")


# --strict -----------------------------------------------------------------------------


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    folder = case_folder(tmp_path, "pending-judgement", "too-few-judges")
    code, document = validate_json(folder)
    assert code == 0
    assert document["summary"] == {"errors": 0, "warnings": 2, "files": 9}
    strict_code, strict_document = validate_json(folder, "--strict")
    assert strict_code == 1
    assert strict_document == document  # --strict changes the exit code, not the findings
    for fmt in ("text", "github"):
        assert run_cli(["validate", "-p", folder, "--format", fmt, "--strict"]).exit_code == 1
        assert run_cli(["validate", "-p", folder, "--format", fmt]).exit_code == 0


def test_strict_passes_a_clean_programme(base_copy: Path) -> None:
    assert validate_json(base_copy, "--strict")[0] == 0


# --changed ----------------------------------------------------------------------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture
def changed_repo(tmp_path: Path) -> Path:
    """A repository whose programme sits in `awards/`: main holds base plus one problem
    (a quoted score in scores/cjudge.yaml); the checked-out branch `change` renames
    djudge's sheet (committed), modifies an entry (uncommitted) and adds an entry
    (untracked)."""
    repo = git_init(tmp_path / "repo")
    folder = copy_base(repo / "awards")
    write(repo / "README.md", "Not part of the programme.\n")
    edit(folder / "scores/cjudge.yaml", "impact: 6", 'impact: "6"')
    git_commit_all(repo, "main")
    git(repo, "checkout", "-q", "-b", "change")
    git(repo, "mv", "awards/scores/djudge.yaml", "awards/scores/ejudge.yaml")
    git_commit_all(repo, "rename")
    # modified, not committed: submitted after the deadline set in (unchanged) programme.yaml
    edit(folder / "entries/falls-huddles.md", "submitted: 2020-01-28", "submitted: 2020-02-02")
    # added, untracked: its category is defined in (unchanged) categories.yaml
    text = (folder / "entries/falls-huddles.md").read_text("utf-8")
    write(folder / "entries/new-entry.md",
          text.replace("care_setting: primary", "care_setting: Hospital"))
    write(repo / "notes.txt", "outside the programme\n")
    return folder


def test_changed_reports_only_changed_files(changed_repo: Path) -> None:
    _, everything = validate_json(changed_repo)
    assert ("scores/cjudge.yaml", "wrong-type") in {
        (f["path"], f["code"]) for f in everything["findings"]}

    exit_code, document = validate_json(changed_repo, "--changed", "--base", "main")
    assert exit_code == 1
    found = {(f["path"], f["code"]) for f in document["findings"]}
    assert found >= {
        ("entries/falls-huddles.md", "late-submission"),  # modified
        ("entries/new-entry.md", "bad-id"),  # added, untracked
        ("scores/ejudge.yaml", "unknown-judge"),  # renamed
        ("scores/ejudge.yaml", "judge-mismatch"),
    }
    assert {path for path, _ in found} == {
        "entries/falls-huddles.md", "entries/new-entry.md", "scores/ejudge.yaml"}
    # references resolve against the whole folder: the new entry's category and the
    # deadline come from files that did not change, and no unknown-* finding appears
    assert not any(code.startswith("unknown-") and path.startswith("entries/")
                   for path, code in found)


def test_a_measures_csv_changed_is_its_entry_changed(tmp_path: Path) -> None:
    # the finding about a measure's data is at the entry's line, not the CSV file's
    repo = git_init(tmp_path / "repo")
    folder = copy_base(repo / "awards")
    months = [f"{year}-{month:02d}" for year in (2018, 2019) for month in range(1, 13)]
    write(folder / "entries/falls-huddles.falls.csv",
          "period,value\n" + "".join(f"{m},{5 + i % 3}\n" for i, m in enumerate(months)))
    edit(folder / "entries/falls-huddles.md", "consent_to_publish: true\n",
         "consent_to_publish: true\nmeasures:\n  - id: falls\n    title: Falls\n"
         "    unit: falls per month\n    improvement: lower\n"
         "    csv: falls-huddles.falls.csv\n")
    git_commit_all(repo, "main")
    assert validate_json(folder, "--changed", "--base", "HEAD")[1]["findings"] == []
    # nine points: too few for limits, a warning at the entry's `measures` line
    write(folder / "entries/falls-huddles.falls.csv",
          "period,value\n" + "".join(f"{m},5\n" for m in months[:9]))
    _, document = validate_json(folder, "--changed", "--base", "HEAD")
    assert [(f["path"], f["code"]) for f in document["findings"]] == [
        ("entries/falls-huddles.md", "too-few-points")]


def test_changed_with_nothing_changed_reports_nothing(changed_repo: Path) -> None:
    repo = changed_repo.parent
    git_commit_all(repo, "everything")
    code, document = validate_json(changed_repo, "--changed", "--base", "HEAD")
    assert document["findings"] == []
    assert code == 0
    # the full run still sees the problems
    assert validate_json(changed_repo)[0] == 1


def test_changed_defaults_to_head_without_origin(changed_repo: Path) -> None:
    """No origin/main: compare with HEAD, so the committed rename is not a change."""
    _, document = validate_json(changed_repo, "--changed")
    paths = {f["path"] for f in document["findings"]}
    assert paths == {"entries/falls-huddles.md", "entries/new-entry.md"}


def test_changed_prefers_origin_main(changed_repo: Path) -> None:
    repo = changed_repo.parent
    git(repo, "update-ref", "refs/remotes/origin/main", "main")
    _, document = validate_json(changed_repo, "--changed")
    assert "scores/ejudge.yaml" in {f["path"] for f in document["findings"]}


def test_changed_with_an_unknown_base_cannot_run(changed_repo: Path) -> None:
    result = run_cli(["validate", "-p", changed_repo, "--changed", "--base", "no-such-ref"])
    assert result.exit_code == 2
    assert "no-such-ref" in result.stderr
    assert "Traceback" not in result.output


def test_changed_outside_git_cannot_run(base_copy: Path) -> None:
    result = run_cli(["validate", "-p", base_copy, "--changed"])
    assert result.exit_code == 2
    assert result.stderr.startswith("qsi: ")
    assert "git" in result.stderr
    assert "Traceback" not in result.output


# Exit 2 -------------------------------------------------------------------------------


def test_no_programme_yaml_cannot_run(tmp_path: Path) -> None:
    result = run_cli(["validate", "-p", tmp_path])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("qsi: ")
    assert "programme.yaml" in result.stderr
    assert "Traceback" not in result.output


def test_missing_folder_cannot_run(tmp_path: Path) -> None:
    result = run_cli(["validate", "-p", tmp_path / "nowhere"])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_format_cannot_run(base_copy: Path) -> None:
    result = run_cli(["validate", "-p", base_copy, "--format", "xml"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# The installed executable -------------------------------------------------------------


def test_installed_qsi_validates_the_repository(installed_qsi: RunQsi) -> None:
    done = installed_qsi("validate", "--format", "json", cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    document = json.loads(done.stdout)
    assert document["summary"]["errors"] == 0


def test_installed_qsi_reports_problems_and_exit_codes(installed_qsi: RunQsi,
                                                       tmp_path: Path) -> None:
    folder = build_case(Case.load(NEGATIVE / "duplicate-key-in-scores"), tmp_path)
    done = installed_qsi("validate", "-p", folder)
    assert done.returncode == 1
    assert "scores/ajudge.yaml:6:5: duplicate-key " in done.stdout
    assert SUMMARY.match(done.stdout.splitlines()[-1])
    assert "Traceback" not in done.stdout + done.stderr

    github = installed_qsi("validate", "-p", folder, env={"GITHUB_ACTIONS": "true"})
    assert "::error file=scores/ajudge.yaml,line=6,col=5,title=duplicate-key::" in github.stdout

    empty = tmp_path / "empty"
    empty.mkdir()
    missing = installed_qsi("validate", cwd=empty)
    assert missing.returncode == 2
    assert missing.stderr.startswith("qsi: ") and "programme.yaml" in missing.stderr
    assert "Traceback" not in missing.stdout + missing.stderr
