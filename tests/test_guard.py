"""qsi guard against real git repositories.

The cases under tests/examples/guard/<case>/ are pull requests on top of
tests/examples/base: case.yaml names the `author`, files to `remove` and to `rename`
(`{from, to}`), the day the pull request is checked (`today`, by default 2020-01-20,
before base's submission deadline) and the findings to `expect`; files/ holds the files
the pull request adds or changes. Each case becomes a repository whose `main` is base and whose `pr`
branch commits the changes, exactly as a pull request would; guard runs with
`--base main`. The tests below the cases cover what a folder of files cannot show:
uncommitted changes, a programme in a subfolder, the GitHub reporter, rights that a
pull request tries to grant itself, and the commands that cannot run (exit 2).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BASE, EXAMPLES, copy_base, git, git_commit_all, git_init, run_cli
from qsi_awards.findings import RULES

GUARD_CASES = EXAMPLES / "guard"
GUARD_CODES = {"guard-not-allowed", "guard-sheet-entry", "guard-sheet-field",
               "guard-unreadable", "guard-other-committer", "guard-late-entry",
               "guard-category-move"}


@dataclass(frozen=True)
class GuardCase:
    name: str
    folder: Path
    author: str
    expect: tuple[dict[str, Any], ...]
    exit: int
    remove: tuple[str, ...] = ()
    rename: tuple[dict[str, str], ...] = ()
    committers: tuple[str, ...] = ()  # --committer: who else committed or pushed
    today: str = "2020-01-20"  # the submission window of tests/examples/base

    def options(self) -> list[str]:
        """guard's options for this case beside --author and --base."""
        return [*(option for login in self.committers for option in ("--committer", login)),
                "--today", self.today]


def guard_cases() -> list[GuardCase]:
    cases = []
    for folder in sorted(GUARD_CASES.iterdir()):
        raw = yaml.safe_load((folder / "case.yaml").read_text("utf-8"))
        unknown = set(raw) - {"about", "author", "expect", "exit", "remove", "rename",
                              "committers", "today"}
        assert not unknown, f"{folder.name}: unknown keys {unknown}"
        cases.append(GuardCase(folder.name, folder, str(raw["author"]),
                               tuple(raw["expect"]), int(raw["exit"]),
                               tuple(raw.get("remove", ())), tuple(raw.get("rename", ())),
                               tuple(raw.get("committers", ())),
                               str(raw.get("today", GuardCase.today))))
    return cases


CASES = guard_cases()


@pytest.fixture(scope="module")
def base_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/examples/base committed on main: copied by each test (a fresh repository)."""
    repo = git_init(copy_base(tmp_path_factory.mktemp("guard") / "repo"))
    git_commit_all(repo, "base")
    return repo


def fresh(base_repo: Path, tmp_path: Path, branch: str = "pr") -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(base_repo, repo, symlinks=True)
    git(repo, "checkout", "-q", "-b", branch)
    return repo


def apply(case: GuardCase, repo: Path) -> None:
    for rel in case.remove:
        git(repo, "rm", "-q", rel)
    for item in case.rename:
        git(repo, "mv", item["from"], item["to"])
    files = case.folder / "files"
    if files.is_dir():
        for source in sorted(files.rglob("*")):
            if source.is_file():
                target = repo / source.relative_to(files)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    git_commit_all(repo, case.name)


def guard_json(repo: Path, author: str, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli(["guard", "-p", repo, "--author", author, "--format", "json", *extra])
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def codes(findings: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((f["path"], f["code"]) for f in findings)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_guard_case(case: GuardCase, base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    apply(case, repo)
    exit_code, found = guard_json(repo, case.author, "--base", "main", *case.options())
    for expected in case.expect:
        matches = [f for f in found if (f["path"], f["line"], f["code"]) ==
                   (expected["path"], expected["line"], expected["code"])]
        assert matches, f"{case.name}: expected {expected}, guard reported {found}"
        if expected.get("column") is not None:
            assert expected["column"] in [f["column"] for f in matches]
        for match in matches:
            assert match["severity"] == "error" and "\n" not in match["message"]
    assert len(found) == len(case.expect), found
    assert exit_code == case.exit
    text = run_cli(["guard", "-p", repo, "--author", case.author, "--base", "main",
                    *case.options()])
    assert text.exit_code == case.exit
    for expected in case.expect:
        assert f" {expected['code']} " in text.stdout


def test_every_guard_rule_has_a_case() -> None:
    covered = {expected["code"] for case in CASES for expected in case.expect}
    assert covered == GUARD_CODES
    assert set(RULES) >= GUARD_CODES
    for code in GUARD_CODES:
        assert RULES[code].severity == "error" and RULES[code].example


# Entrants --------------------------------------------------------------------------------


def test_entrant_may_delete_only_their_own_entries(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    git(repo, "rm", "-q", "entries/falls-huddles.md")
    git_commit_all(repo)
    assert guard_json(repo, "pshah", "--base", "main") == (0, [])
    git(repo, "rm", "-q", "entries/patient-panel.md")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "pshah", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [("entries/patient-panel.md", "guard-not-allowed")]
    assert "names no submitted_by" in found[0]["message"]


def test_rename_into_someone_elses_name(base_repo: Path, tmp_path: Path) -> None:
    """Renaming your own entry is fine, but the new file must still name you."""
    repo = fresh(base_repo, tmp_path)
    git(repo, "mv", "entries/falls-huddles.md", "entries/huddles.md")
    text = (repo / "entries/huddles.md").read_text("utf-8")
    (repo / "entries/huddles.md").write_text(text.replace("submitted_by: pshah",
                                                          "submitted_by: other"), "utf-8")
    git_commit_all(repo)
    assert "R" in git(repo, "diff", "--name-status", "-M", "main")
    exit_code, found = guard_json(repo, "pshah", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [("entries/huddles.md", "guard-not-allowed")]
    assert "renamed from entries/falls-huddles.md" in found[0]["message"]
    assert found[0]["line"] == 8


def test_submitted_by_is_read_at_the_base(base_repo: Path, tmp_path: Path) -> None:
    """Rewriting submitted_by in the pull request does not make an entry yours."""
    repo = fresh(base_repo, tmp_path)
    path = repo / "entries/patient-panel.md"
    path.write_text(path.read_text("utf-8").replace("submitted: ", "submitted_by: thief\n"
                                                     "submitted: "), "utf-8")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "thief", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [("entries/patient-panel.md", "guard-not-allowed")]


def test_nobody_else_may_change_anything(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    (repo / "programme.yaml").write_text(
        (repo / "programme.yaml").read_text("utf-8").replace("[lead-handle]",
                                                             "[lead-handle, mallory]"), "utf-8")
    (repo / "templates").mkdir()
    (repo / "templates" / "page.html").write_text("<p>hi</p>\n", "utf-8")
    (repo / "entries" / "notes.txt").write_text("hello\n", "utf-8")
    git_commit_all(repo)
    # mallory added herself to the maintainers, but rights come from the base
    (repo / "entries/falls-huddles.md").write_text("gone\n", "utf-8")
    exit_code, found = guard_json(repo, "mallory", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [
        ("entries/falls-huddles.md", "guard-not-allowed"),
        ("entries/notes.txt", "guard-not-allowed"),
        ("programme.yaml", "guard-not-allowed"),
        ("templates/page.html", "guard-not-allowed"),
    ]
    # the same pull request by a maintainer is fine
    assert guard_json(repo, "lead-handle", "--base", "main") == (0, [])


# Judges ----------------------------------------------------------------------------------


def test_judge_may_not_touch_other_sheets_or_the_panel(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    judges = repo / "judges.yaml"
    # the judge makes themselves bjudge's GitHub handle too: still only rights at the base
    judges.write_text(judges.read_text("utf-8").replace("github: bjudge", "github: ajudge"),
                      "utf-8")
    sheet = repo / "scores/bjudge.yaml"
    sheet.write_text(sheet.read_text("utf-8") + "  falls-huddles: {ambition: 1, impact: 1}\n",
                     "utf-8")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "ajudge", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [("judges.yaml", "guard-not-allowed"),
                            ("scores/bjudge.yaml", "guard-not-allowed")]
    assert "scores/ajudge.yaml" in found[0]["message"]


def test_judge_may_not_rename_or_add_a_sheet(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    git(repo, "mv", "scores/ajudge.yaml", "scores/ajudge-2020.yaml")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "ajudge", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [("scores/ajudge-2020.yaml", "guard-not-allowed"),
                            ("scores/ajudge.yaml", "guard-not-allowed")]
    assert "renamed" in found[1]["message"]


def test_judge_handles_ignore_case_and_at(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    sheet = repo / "scores/ajudge.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace("impact: 8", "impact: 9"), "utf-8")
    git_commit_all(repo)
    assert guard_json(repo, "@AJudge", "--base", "main") == (0, [])


def test_judge_who_is_also_an_entrant(base_repo: Path, tmp_path: Path) -> None:
    """Rights add up: a judge may also change the entries they submitted."""
    repo = fresh(base_repo, tmp_path)
    entry = repo / "entries/falls-huddles.md"
    entry.write_text(entry.read_text("utf-8").replace("submitted_by: pshah",
                                                      "submitted_by: ajudge"), "utf-8")
    git_commit_all(repo)
    git(repo, "checkout", "-q", "-b", "pr2")
    entry.write_text(entry.read_text("utf-8").replace("Falls were common.", "Falls were rife."),
                     "utf-8")
    sheet = repo / "scores/ajudge.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace("impact: 8", "impact: 9"), "utf-8")
    git_commit_all(repo)
    assert guard_json(repo, "ajudge", "--base", "pr") == (0, [])


def test_unreadable_own_sheet(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    (repo / "scores/ajudge.yaml").write_text("judge: ajudge\nscores: [unclosed\n", "utf-8")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "ajudge", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [("scores/ajudge.yaml", "guard-unreadable")]


# Commits by others -------------------------------------------------------------------------


def test_commits_by_others_are_refused_even_in_a_maintainers_pull_request(
        base_repo: Path, tmp_path: Path) -> None:
    """A maintainer may change anything, so a judge's commit in a maintainer's pull request
    would otherwise go through with the maintainer's rights."""
    repo = fresh(base_repo, tmp_path)
    sheet = repo / "scores/bjudge.yaml"
    sheet.write_text(sheet.read_text("utf-8") + "  falls-huddles: {ambition: 10, impact: 10}\n",
                     "utf-8")
    git_commit_all(repo)
    assert guard_json(repo, "lead-handle", "--base", "main", "--committer", "lead-handle",
                      "--committer", "web-flow") == (0, [])
    exit_code, found = guard_json(repo, "lead-handle", "--base", "main",
                                  "--committer", "bjudge", "--committer", "web-flow")
    assert exit_code == 1
    assert [(f["path"], f["line"], f["code"]) for f in found] == [
        (".", None, "guard-other-committer")]
    assert found[0]["message"].startswith("bjudge has committed or pushed to lead-handle's pull")
    assert "ask bjudge to open their own pull request" in found[0]["message"]


def test_a_maintainers_commit_grants_no_rights(base_repo: Path, tmp_path: Path) -> None:
    """Commit names can be forged: a maintainer named as a committer is not refused, but
    the files are still checked with the author's rights."""
    repo = fresh(base_repo, tmp_path)
    sheet = repo / "scores/ajudge.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace("impact: 8", "impact: 1"), "utf-8")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "pshah", "--base", "main",
                                  "--committer", "@Lead-Handle", "--committer", "pshah")
    assert exit_code == 1
    assert codes(found) == [("scores/ajudge.yaml", "guard-not-allowed")]


def test_other_committer_in_github_format(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    result = run_cli(["guard", "-p", repo, "--author", "ajudge", "--committer", "mallory",
                      "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=.,title=guard-other-committer::mallory ")



# Git: uncommitted work, default base, subfolders, links ---------------------------------


def test_uncommitted_and_untracked_changes_count(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    (repo / "entries/new.md").write_text("---\nsubmitted_by: other\n---\n", "utf-8")
    sheet = repo / "scores/ajudge.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace("impact: 8", "impact: 9"), "utf-8")
    # no --base: origin/main does not exist, so HEAD
    exit_code, found = guard_json(repo, "pshah")
    assert exit_code == 1
    assert codes(found) == [("entries/new.md", "guard-not-allowed"),
                            ("scores/ajudge.yaml", "guard-not-allowed")]
    assert guard_json(repo, "lead-handle") == (0, [])


def test_a_link_is_unreadable(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    (repo / "entries/linked.md").symlink_to(repo / "entries/falls-huddles.md")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "pshah", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [("entries/linked.md", "guard-unreadable")]
    assert "symbolic link" in found[0]["message"]


def test_programme_in_a_subfolder(tmp_path: Path) -> None:
    repo = git_init(tmp_path / "repo")
    copy_base(repo / "awards")
    (repo / "README.md").write_text("# Our awards\n", "utf-8")
    git_commit_all(repo)
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / "README.md").write_text("# Our awards, changed\n", "utf-8")  # outside the programme
    sheet = repo / "awards/scores/bjudge.yaml"
    sheet.write_text(sheet.read_text("utf-8") + "  falls-huddles: {ambition: 1, impact: 1}\n",
                     "utf-8")
    git_commit_all(repo)
    programme = repo / "awards"
    result = run_cli(["guard", "-p", programme, "--author", "bjudge", "--base", "main",
                      "--format", "github"])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert lines == [
        "::error file=awards/scores/bjudge.yaml,line=5,col=3,title=guard-sheet-entry::"
        + lines[0].split("::", 2)[2]]
    assert "'falls-huddles' is not in your score sheet at main" in lines[0]
    # json and text paths stay relative to the programme folder
    assert codes(guard_json(programme, "bjudge", "--base", "main")[1]) == [
        ("scores/bjudge.yaml", "guard-sheet-entry")]
    # run from inside the folder, too
    inside = run_cli(["guard", "--author", "bjudge", "--base", "main"], cwd=programme)
    assert inside.exit_code == 1 and "scores/bjudge.yaml:5:3: guard-sheet-entry" in inside.stdout


def test_github_summary_has_its_own_heading(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    (repo / "programme.yaml").write_text("name: x\n", "utf-8")
    summary = tmp_path / "summary.md"
    result = run_cli(["guard", "-p", repo, "--author", "pshah"],
                     env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=programme.yaml,title=guard-not-allowed::")
    written = summary.read_text("utf-8")
    assert written.startswith("## qsi guard\n") and "`guard-not-allowed`" in written


# When guard cannot run: exit 2, a message, no traceback ---------------------------------


def test_cannot_run(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    missing_base = run_cli(["guard", "-p", repo, "--author", "pshah", "--base", "nope"])
    assert missing_base.exit_code == 2 and "'nope' does not exist" in missing_base.stderr
    no_author = run_cli(["guard", "-p", repo])
    assert no_author.exit_code == 2 and "--author" in no_author.stderr
    blank_author = run_cli(["guard", "-p", repo, "--author", " @ "])
    assert blank_author.exit_code == 2 and "--author HANDLE" in blank_author.stderr
    not_a_repo = copy_base(tmp_path / "plain")
    outside = run_cli(["guard", "-p", not_a_repo, "--author", "pshah"])
    assert outside.exit_code == 2 and "not inside a git repository" in outside.stderr
    no_folder = run_cli(["guard", "-p", tmp_path / "nowhere", "--author", "pshah"])
    assert no_folder.exit_code == 2 and "does not exist" in no_folder.stderr
    for result in (missing_base, no_author, outside, no_folder):
        assert "Traceback" not in result.output


def test_base_without_a_programme(tmp_path: Path) -> None:
    repo = git_init(tmp_path / "repo")
    (repo / "README.md").write_text("empty\n", "utf-8")
    git_commit_all(repo)
    shutil.copytree(BASE, repo, dirs_exist_ok=True)
    result = run_cli(["guard", "-p", repo, "--author", "lead-handle"])
    assert result.exit_code == 2
    assert "no programme.yaml at HEAD" in result.stderr
    (repo / "programme.yaml").unlink()
    git_commit_all(repo)
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / "programme.yaml").write_text("maintainers: [x\n", "utf-8")
    git(repo, "add", "programme.yaml")
    git(repo, "commit", "-q", "-m", "broken")
    broken = run_cli(["guard", "-p", repo, "--author", "x", "--base", "HEAD"])
    assert broken.exit_code == 2 and "cannot be read" in broken.stderr


# What an entrant turns their own entry into: guard reads both sides -----------------------

OWN = "entries/falls-huddles.md"  # submitted_by: pshah in tests/examples/base


def test_own_entry_turned_into_a_link_to_another_entry(base_repo: Path,
                                                      tmp_path: Path) -> None:
    """A link to another entry would give the linking entry that entry's text and
    category (git reports the change as a type change, T)."""
    repo = fresh(base_repo, tmp_path)
    (repo / OWN).unlink()
    (repo / OWN).symlink_to("patient-panel.md")
    git_commit_all(repo)
    assert git(repo, "diff", "--name-status", "main").split() == ["T", OWN]
    exit_code, found = guard_json(repo, "pshah", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [(OWN, "guard-unreadable")]
    assert "in this pull request (it is a symbolic link)" in found[0]["message"]
    assert guard_json(repo, "lead-handle", "--base", "main") == (0, [])


def test_own_entry_turned_into_a_submodule(base_repo: Path, tmp_path: Path) -> None:
    """A gitlink (mode 160000) in place of the entry, and a new entry that is one, checked
    out as a clone would be (empty folders where the submodules go)."""
    repo = fresh(base_repo, tmp_path)
    commit = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "rm", "-q", OWN)
    for path in (OWN, "entries/linked-project.md"):
        git(repo, "update-index", "--add", "--cacheinfo", f"160000,{commit},{path}")
    git(repo, "commit", "-q", "-m", "submodules")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--branch", "pr", str(repo), str(clone))
    git(clone, "branch", "-q", "main", "origin/main")
    assert (clone / OWN).is_dir()
    exit_code, found = guard_json(clone, "pshah", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [("entries/falls-huddles.md", "guard-unreadable"),
                            ("entries/linked-project.md", "guard-unreadable")]
    assert all("a folder or a git submodule" in f["message"] for f in found)
    assert guard_json(clone, "lead-handle", "--base", "main") == (0, [])
    # at the base, git itself says submodule
    git(clone, "checkout", "-q", "-b", "pr2")
    (clone / OWN).rmdir()
    git(clone, "rm", "-q", "--cached", OWN)
    shutil.copyfile(BASE / OWN, clone / OWN)
    git_commit_all(clone)
    exit_code, found = guard_json(clone, "pshah", "--base", "pr")
    assert exit_code == 1 and codes(found) == [(OWN, "guard-unreadable")]
    assert "at pr (it is a git submodule" in found[0]["message"]


def test_own_entry_over_one_mebibyte(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    text = (repo / OWN).read_text("utf-8")
    (repo / OWN).write_text(text + "Falls fell further. " * 60_000, "utf-8")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "pshah", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [(OWN, "guard-unreadable")]
    assert "over 1 MiB" in found[0]["message"]
    assert guard_json(repo, "lead-handle", "--base", "main") == (0, [])


def test_own_entry_with_broken_yaml(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    text = (repo / OWN).read_text("utf-8")
    (repo / OWN).write_text(text.replace("team: [Tom Clarke]", "team: [Tom Clarke"), "utf-8")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "pshah", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [(OWN, "guard-unreadable")]
    assert "in this pull request (its YAML cannot be read" in found[0]["message"]
    assert guard_json(repo, "lead-handle", "--base", "main") == (0, [])
    # front matter that is not a set of fields cannot say whose the entry is either
    (repo / OWN).write_text("---\n- a list\n---\nBody\n", "utf-8")
    exit_code, found = guard_json(repo, "pshah", "--base", "main")
    assert exit_code == 1 and codes(found) == [(OWN, "guard-unreadable")]


def test_own_score_sheet_turned_into_a_link(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    sheet = repo / "scores/ajudge.yaml"
    sheet.unlink()
    sheet.symlink_to("bjudge.yaml")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "ajudge", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [("scores/ajudge.yaml", "guard-unreadable")]
    assert "symbolic link" in found[0]["message"]


def test_outside_git_the_advice_fits_guard(tmp_path: Path) -> None:
    folder = copy_base(tmp_path / "plain")
    result = run_cli(["guard", "-p", folder, "--author", "pshah"])
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr
    assert "--changed" not in result.stderr  # guard has no --changed
    assert "clone of the programme's repository" in result.stderr
    # validate --changed keeps its own advice
    validate = run_cli(["validate", "-p", folder, "--changed"])
    assert validate.exit_code == 2 and "drop --changed" in validate.stderr


# Late entries: a new entry arrives the day guard checks it -------------------------------

NEW = "entries/night-checks.md"


def add_new_entry(repo: Path, submitted_by: str = "pshah") -> None:
    text = (BASE / OWN).read_text("utf-8")
    (repo / NEW).write_text(text.replace("title: Falls huddles", "title: Night checks")
                            .replace("submitted_by: pshah", f"submitted_by: {submitted_by}"),
                            "utf-8")


def with_exceptions(base_repo: Path, tmp_path: Path, records: str) -> Path:
    """A repository whose main adds deadline exceptions to decisions.yaml; on `pr`."""
    repo = tmp_path / "repo"
    shutil.copytree(base_repo, repo, symlinks=True)
    decisions = repo / "decisions.yaml"
    decisions.write_text(decisions.read_text("utf-8") + records, "utf-8")
    git_commit_all(repo, "exceptions")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


def test_new_entry_on_and_after_the_deadline(base_repo: Path, tmp_path: Path) -> None:
    """The deadline is 1 February 2020: submitted: (28 January) changes nothing."""
    repo = fresh(base_repo, tmp_path)
    add_new_entry(repo)
    git_commit_all(repo)
    assert guard_json(repo, "pshah", "--base", "main", "--today", "2020-02-01") == (0, [])
    exit_code, found = guard_json(repo, "pshah", "--base", "main", "--today", "2020-02-02")
    assert exit_code == 1
    assert codes(found) == [(NEW, "guard-late-entry")]
    assert "the submission deadline (1 February 2020) has passed" in found[0]["message"]
    assert "(lead-handle)" in found[0]["message"]
    # the real today is long after 2020
    assert codes(guard_json(repo, "pshah", "--base", "main")[1]) == [(NEW, "guard-late-entry")]
    # the programme team may add late entries; edits and renames of entries are not arrivals
    assert guard_json(repo, "lead-handle", "--base", "main") == (0, [])
    git(repo, "checkout", "-q", "-b", "pr2")
    git(repo, "mv", OWN, "entries/falls-safety-huddles.md")
    git_commit_all(repo)
    assert guard_json(repo, "pshah", "--base", "pr", "--today", "2020-03-01") == (0, [])


def test_extension_and_accepted_late_entry_at_the_base(base_repo: Path,
                                                      tmp_path: Path) -> None:
    repo = with_exceptions(base_repo, tmp_path, (
        "  - entries: [night-checks]\n"
        "    extended_to: 2020-02-08\n"
        "    reason: Agreed by the steering group.\n"))
    add_new_entry(repo)
    git_commit_all(repo)
    assert guard_json(repo, "pshah", "--base", "main", "--today", "2020-02-08") == (0, [])
    exit_code, found = guard_json(repo, "pshah", "--base", "main", "--today", "2020-02-09")
    assert exit_code == 1 and codes(found) == [(NEW, "guard-late-entry")]
    assert "its extended deadline (8 February 2020) has passed" in found[0]["message"]

    accepted = with_exceptions(base_repo, tmp_path / "accepted", (
        "  - entries: [night-checks]\n"
        "    accepted_late: true\n"
        "    reason: The NHSmail outage on 31 January.\n"))
    add_new_entry(accepted)
    git_commit_all(accepted)
    assert guard_json(accepted, "pshah", "--base", "main", "--today", "2020-03-01") == (0, [])


def test_a_pull_request_cannot_grant_its_own_extension(base_repo: Path,
                                                       tmp_path: Path) -> None:
    """Exceptions are read at the base; `transcribed` never excuses a pull request."""
    repo = fresh(base_repo, tmp_path)
    add_new_entry(repo)
    decisions = repo / "decisions.yaml"
    decisions.write_text(decisions.read_text("utf-8").replace(
        "[falls-huddles, patient-panel]", "[falls-huddles, patient-panel, night-checks]")
        + "  - entries: [night-checks]\n    accepted_late: true\n    reason: I say so.\n",
        "utf-8")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "pshah", "--base", "main", "--today", "2020-02-02")
    assert exit_code == 1
    assert codes(found) == [("decisions.yaml", "guard-not-allowed"),
                            (NEW, "guard-late-entry")]
    transcribed = with_exceptions(base_repo, tmp_path / "transcribed", (
        "  - entries: [night-checks]\n    transcribed: true\n    reason: By e-mail.\n"))
    add_new_entry(transcribed)
    git_commit_all(transcribed)
    found = guard_json(transcribed, "pshah", "--base", "main", "--today", "2020-02-02")[1]
    assert codes(found) == [(NEW, "guard-late-entry")]


def test_guard_today_must_be_a_date(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    result = run_cli(["guard", "-p", repo, "--author", "pshah", "--today", "tomorrow"])
    assert result.exit_code == 2 and "not a date like 2020-02-15" in result.stderr


# Moving an entry that is being judged to another category --------------------------------


def test_category_move_only_before_judging(base_repo: Path, tmp_path: Path) -> None:
    repo = fresh(base_repo, tmp_path)
    add_new_entry(repo)  # in no score sheet yet
    git_commit_all(repo)
    git(repo, "checkout", "-q", "-b", "pr2")
    for path in (OWN, NEW):
        text = (repo / path).read_text("utf-8")
        (repo / path).write_text(text.replace("category: safety-primary",
                                              "category: qi-patients"), "utf-8")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "pshah", "--base", "pr")
    assert exit_code == 1
    assert codes(found) == [(OWN, "guard-category-move")]  # not night-checks: unassigned
    assert (found[0]["line"], found[0]["column"]) == (3, 11)
    assert "programme team (lead-handle)" in found[0]["message"]
    assert guard_json(repo, "lead-handle", "--base", "pr") == (0, [])
    # renamed as well: still the entry the judges have
    git(repo, "mv", OWN, "entries/falls-safety-huddles.md")
    exit_code, found = guard_json(repo, "pshah", "--base", "pr")
    assert exit_code == 1
    assert codes(found) == [("entries/falls-safety-huddles.md", "guard-category-move")]
    # other edits of a judged entry are the entrant's to make
    git(repo, "checkout", "-q", "-f", "pr")
    git(repo, "checkout", "-q", "-b", "pr3")
    text = (repo / OWN).read_text("utf-8")
    (repo / OWN).write_text(text.replace("Falls were common.", "Falls were rife."), "utf-8")
    assert guard_json(repo, "pshah", "--base", "pr") == (0, [])


# Partly invalid files at the base: guard reads what it can of each ------------------------


def with_base(base_repo: Path, tmp_path: Path, files: dict[str, str]) -> Path:
    """A repository whose main replaces `files` (path -> text) of tests/examples/base; on
    a branch `pr`."""
    repo = tmp_path / "repo"
    shutil.copytree(base_repo, repo, symlinks=True)
    for rel, text in files.items():
        (repo / rel).write_text(text, "utf-8")
    git_commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


def test_maintainers_and_deadline_of_a_partly_invalid_programme(base_repo: Path,
                                                                tmp_path: Path) -> None:
    """programme.yaml at the base has problems (a maintainer that is not text, a
    milestone that is not a set of fields, one without a title, no rubric), but guard
    still reads its maintainers and its submission deadline."""
    text = (BASE / "programme.yaml").read_text("utf-8")
    text = (text.replace("maintainers: [lead-handle]", "maintainers: [5, lead-handle, '']")
            .replace("  - {id: open, title: Submissions open, date: 2019-11-01, "
                     "kind: submissions_open}", "  - kick-off")
            .replace("title: Deadline for submissions, ", "")
            .replace("rubric:", "rubrik:"))
    repo = with_base(base_repo, tmp_path, {"programme.yaml": text})
    assert run_cli(["validate", "-p", repo]).exit_code == 1
    add_new_entry(repo)
    (repo / "programme.yaml").write_text(text.replace("Testshire", "Kent"), "utf-8")
    git_commit_all(repo)
    assert guard_json(repo, "lead-handle", "--base", "main") == (0, [])
    exit_code, found = guard_json(repo, "pshah", "--base", "main", "--today", "2020-02-02")
    assert exit_code == 1
    assert codes(found) == [(NEW, "guard-late-entry"), ("programme.yaml", "guard-not-allowed")]
    assert found[0]["message"] == (
        "entries/night-checks.md is a new entry, and the submission deadline (1 February "
        "2020) has passed; only the programme team (lead-handle) can accept a late entry: "
        "ask them, and if they agree they record it in decisions.yaml under "
        "deadline_exceptions.")


def test_maintainers_that_are_not_a_list_name_nobody(base_repo: Path, tmp_path: Path) -> None:
    text = (BASE / "programme.yaml").read_text("utf-8").replace(
        "maintainers: [lead-handle]", "maintainers: lead-handle")
    repo = with_base(base_repo, tmp_path, {"programme.yaml": text})
    (repo / "programme.yaml").write_text(text.replace("Testshire", "Kent"), "utf-8")
    exit_code, found = guard_json(repo, "lead-handle", "--base", "main")
    assert exit_code == 1
    assert [f["message"] for f in found] == [
        "lead-handle may not change programme.yaml: entrants may change only entries that "
        "name them in submitted_by, and only the programme team may change anything else."]


@pytest.mark.parametrize("judge", ["ajudge", "bjudge"])
def test_judges_of_a_partly_invalid_panel_keep_their_rights(base_repo: Path, tmp_path: Path,
                                                            judge: str) -> None:
    """judges.yaml at the base has an item that is not a set of fields and a judge (ajudge)
    with no name: each judge whose id and github are text keeps the rights of that handle."""
    text = (BASE / "judges.yaml").read_text("utf-8").replace(
        "judges:\n", "judges:\n  - someone\n").replace("    name: Alex Judge\n", "")
    repo = with_base(base_repo, tmp_path, {"judges.yaml": text})
    assert run_cli(["validate", "-p", repo]).exit_code == 1
    sheet = repo / f"scores/{judge}.yaml"
    sheet.write_text("# my scores\n" + sheet.read_text("utf-8"), "utf-8")
    git_commit_all(repo)
    assert guard_json(repo, judge, "--base", "main") == (0, [])
    assert codes(guard_json(repo, "cjudge", "--base", "main")[1]) == [
        (f"scores/{judge}.yaml", "guard-not-allowed")]


@pytest.mark.parametrize("judges", ["judges: [unclosed\n", "- id: ajudge\n  github: ajudge\n"])
def test_an_unreadable_panel_gives_judges_no_rights(base_repo: Path, tmp_path: Path,
                                                    judges: str) -> None:
    repo = with_base(base_repo, tmp_path, {"judges.yaml": judges})
    sheet = repo / "scores/ajudge.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace("impact: 8", "impact: 9"), "utf-8")
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "ajudge", "--base", "main")
    assert exit_code == 1
    assert codes(found) == [("scores/ajudge.yaml", "guard-not-allowed")]
    assert "entrants may change only entries that name them" in found[0]["message"]
    assert guard_json(repo, "lead-handle", "--base", "main") == (0, [])


def test_deadline_exceptions_of_a_partly_invalid_decisions_file(base_repo: Path,
                                                                tmp_path: Path) -> None:
    """A record with no reason still extends the deadline; `accepted_late: yes` (text, not
    true) accepts nothing; a record whose entries are not a list names no entry."""
    repo = with_base(base_repo, tmp_path, {"decisions.yaml": (
        "deadline_exceptions:\n"
        "  - entries: night-checks\n"
        "    accepted_late: true\n"
        "    reason: Not a list.\n"
        "  - entries: [night-checks]\n"
        "    accepted_late: yes\n"
        "    extended_to: 2020-02-08\n")})
    assert run_cli(["validate", "-p", repo]).exit_code == 1
    add_new_entry(repo)
    git_commit_all(repo)
    assert guard_json(repo, "pshah", "--base", "main", "--today", "2020-02-08") == (0, [])
    exit_code, found = guard_json(repo, "pshah", "--base", "main", "--today", "2020-02-09")
    assert exit_code == 1 and codes(found) == [(NEW, "guard-late-entry")]
    assert "its extended deadline (8 February 2020) has passed" in found[0]["message"]


def test_an_unreadable_decisions_file_grants_nothing(base_repo: Path, tmp_path: Path) -> None:
    repo = with_base(base_repo, tmp_path, {"decisions.yaml": (
        "deadline_exceptions:\n  - entries: [night-checks]\n    accepted_late: [true\n")})
    add_new_entry(repo)
    git_commit_all(repo)
    exit_code, found = guard_json(repo, "pshah", "--base", "main", "--today", "2020-02-02")
    assert exit_code == 1 and codes(found) == [(NEW, "guard-late-entry")]
    assert "the submission deadline (1 February 2020) has passed" in found[0]["message"]


def test_submitted_by_that_is_not_text_names_nobody(base_repo: Path, tmp_path: Path) -> None:
    text = (BASE / OWN).read_text("utf-8").replace("submitted_by: pshah",
                                                   "submitted_by: [pshah]")
    repo = with_base(base_repo, tmp_path, {OWN: text})
    (repo / OWN).write_text(text.replace("Falls were common.", "Falls were rife."), "utf-8")
    exit_code, found = guard_json(repo, "pshah", "--base", "main")
    assert exit_code == 1
    assert [f["message"] for f in found] == [
        "pshah may not change or delete entries/falls-huddles.md: at main it names no "
        "submitted_by, and only its entrant or the programme team (lead-handle) may change it."]
