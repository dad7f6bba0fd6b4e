"""When did an entry arrive? `qsi validate` on real git repositories, and entry links.

The evidence is the day the entry first reached the branch: the commit on the branch's
first-parent history that added it (a pull request's merge commit), today for an entry
not committed yet; `submitted:` is checked as well. decisions.yaml `deadline_exceptions`
extends a deadline, accepts a late entry, or says the entries were copied into git from
another system (`transcribed`). Commit dates are set with GIT_COMMITTER_DATE. The
deadline of tests/examples/base is 1 February 2020.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import BASE, REPO, copy_base, git, git_commit_all, git_init, run_cli

OWN = "entries/falls-huddles.md"
NEW = "entries/night-checks.md"


def validate(folder: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli(["validate", "-p", folder, "--format", "json"])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def late(found: list[dict[str, Any]]) -> list[tuple[str, int | None]]:
    return sorted((f["path"], f["line"]) for f in found if f["code"] == "late-submission")


def on_time(folder: Path) -> bool:
    """No error at all (a new entry has no judges yet: warnings are fine)."""
    exit_code, found = validate(folder)
    return exit_code == 0 and late(found) == []


def on(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """Commits made from now on are dated `day` (noon, UTC)."""
    for name in ("GIT_COMMITTER_DATE", "GIT_AUTHOR_DATE"):
        monkeypatch.setenv(name, f"{day}T12:00:00+00:00")


def add_new_entry(folder: Path) -> None:
    text = (BASE / OWN).read_text("utf-8")
    (folder / NEW).write_text(text.replace("title: Falls huddles", "title: Night checks"),
                              "utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tests/examples/base committed on main on 10 January 2020, before the deadline."""
    on(monkeypatch, "2020-01-10")
    folder = git_init(copy_base(tmp_path / "repo"))
    git_commit_all(folder, "base")
    return folder


def test_an_entry_committed_after_the_deadline_is_late(repo: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """submitted: says 28 January; the entry reached git on 3 February."""
    assert validate(repo) == (0, [])
    on(monkeypatch, "2020-02-03")
    add_new_entry(repo)
    git_commit_all(repo)
    exit_code, found = validate(repo)
    assert exit_code == 1
    assert late(found) == [(NEW, None)]  # the file, not its submitted: line
    message = found[0]["message"]
    assert "first reached this branch in git on 3 February 2020" in message
    assert "after the deadline of 1 February 2020" in message
    assert "deadline_exceptions" in message


def test_a_merge_commit_is_when_a_pull_request_arrives(repo: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The entrant's own commit is dated before the deadline (a date anyone can set); the
    merge into main, on main's first-parent history, comes after it."""
    git(repo, "checkout", "-q", "-b", "entry")
    on(monkeypatch, "2020-01-30")
    add_new_entry(repo)
    git_commit_all(repo, "my entry")
    git(repo, "checkout", "-q", "main")
    on(monkeypatch, "2020-02-05")
    git(repo, "merge", "-q", "--no-ff", "entry", "-m", "merge the entry")
    exit_code, found = validate(repo)
    assert exit_code == 1 and late(found) == [(NEW, None)]
    assert "on 5 February 2020" in found[0]["message"]
    # merged on the day of the deadline: on time
    git(repo, "reset", "-q", "--hard", "HEAD^")
    on(monkeypatch, "2020-02-01")
    git(repo, "merge", "-q", "--no-ff", "entry", "-m", "merge the entry")
    assert on_time(repo)


def test_an_entry_not_committed_arrives_today(repo: Path) -> None:
    add_new_entry(repo)  # untracked: today, years after 2020
    exit_code, found = validate(repo)
    assert exit_code == 1 and late(found) == [(NEW, None)]
    assert "is not committed to git yet, so it arrives today" in found[0]["message"]
    git(repo, "add", NEW)  # staged is not committed either
    assert late(validate(repo)[1]) == [(NEW, None)]


def test_a_rename_keeps_the_arrival_date(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, "2020-03-01")
    git(repo, "mv", OWN, "entries/falls-safety-huddles.md")
    git_commit_all(repo, "rename")
    assert late(validate(repo)[1]) == []  # (the score sheets now name an unknown entry)


def test_extension_and_accepted_late_entry(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, "2020-02-05")
    add_new_entry(repo)
    git_commit_all(repo)
    decisions = repo / "decisions.yaml"
    kept = decisions.read_text("utf-8")
    decisions.write_text(kept + "  - entries: [night-checks]\n    extended_to: 2020-02-07\n"
                         "    reason: Steering group, 20 January 2020.\n", "utf-8")
    assert on_time(repo)
    decisions.write_text(kept + "  - entries: [night-checks]\n    extended_to: 2020-02-04\n"
                         "    reason: Steering group, 20 January 2020.\n", "utf-8")
    exit_code, found = validate(repo)
    assert exit_code == 1 and late(found) == [(NEW, None)]
    assert "after its extended deadline of 4 February 2020 (decisions.yaml)" in (
        found[0]["message"])
    decisions.write_text(kept + "  - entries: [night-checks]\n    accepted_late: true\n"
                         "    reason: The NHSmail outage.\n", "utf-8")
    assert on_time(repo)
    # an extension covers submitted: too; accepted_late covers everything
    text = (repo / NEW).read_text("utf-8").replace("submitted: 2020-01-28", "submitted: 2020-03-01")
    (repo / NEW).write_text(text, "utf-8")
    assert on_time(repo)
    decisions.write_text(kept + "  - entries: [night-checks]\n    extended_to: 2020-02-07\n"
                         "    reason: Steering group, 20 January 2020.\n", "utf-8")
    assert late(validate(repo)[1]) == [(NEW, 9)]


def test_transcribed_entries_go_by_submitted(tmp_path: Path) -> None:
    """Why the example programmes pass in git: their decisions.yaml records the entries as
    copied into git from e-mail. Without that record, committing them today makes every
    one late; with it, submitted: still counts."""
    folder = git_init(copy_base(tmp_path / "repo"))
    git_commit_all(folder)  # today, years after the 2020 deadline
    assert validate(folder) == (0, [])
    (folder / "decisions.yaml").unlink()
    exit_code, found = validate(folder)
    assert exit_code == 1
    assert late(found) == [(OWN, None), ("entries/patient-panel.md", None)]
    shutil.copyfile(BASE / "decisions.yaml", folder / "decisions.yaml")
    text = (folder / OWN).read_text("utf-8")
    (folder / OWN).write_text(text.replace("submitted: 2020-01-28", "submitted: 2020-02-02"),
                              "utf-8")
    assert late(validate(folder)[1]) == [(OWN, 9)]


def test_the_repository_example_passes_by_its_record() -> None:
    """The repository is the example programme, committed in 2026: its entries are
    recorded as transcribed, and every entry is in that record."""
    exit_code, found = validate(REPO)
    assert (exit_code, found) == (0, [])
    decisions = (REPO / "decisions.yaml").read_text("utf-8")
    for path in (REPO / "entries").glob("*.md"):
        assert path.stem in decisions


def test_without_git_only_submitted_counts(tmp_path: Path) -> None:
    """Not in a repository, or in someone's repository without being committed to it."""
    folder = copy_base(tmp_path / "plain")
    (folder / "decisions.yaml").unlink()
    assert validate(folder) == (0, [])
    outer = git_init(tmp_path / "home")
    (outer / "notes.txt").write_text("my notes\n", "utf-8")
    git_commit_all(outer)
    inside = copy_base(outer / "awards")
    (inside / "decisions.yaml").unlink()
    assert validate(inside) == (0, [])


def test_a_shallow_clone_does_not_invent_arrivals(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A clone with --depth 1 shows every file as added in its one commit: that commit's
    date says nothing about when those files arrived."""
    on(monkeypatch, "2020-01-10")
    origin = git_init(copy_base(tmp_path / "origin"))
    (origin / "decisions.yaml").unlink()
    git_commit_all(origin, "base")
    on(monkeypatch, "2020-03-01")
    sheet = origin / "scores/ajudge.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace("impact: 8", "impact: 9"), "utf-8")
    git_commit_all(origin, "a score changes after the deadline")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), str(clone))
    assert validate(clone) == (0, [])
    add_new_entry(clone)  # what is not committed still arrives today
    assert late(validate(clone)[1]) == [(NEW, None)]


# deadline_exceptions themselves ----------------------------------------------------------


def test_deadline_exception_records_are_checked(tmp_path: Path) -> None:
    folder = copy_base(tmp_path / "programme")
    (folder / "decisions.yaml").write_text(
        "deadline_exceptions:\n"
        "  - entries: [falls-huddles]\n"  # line 2
        "    reason: Says nothing.\n"
        "  - entries: [patient-panel]\n"  # line 4
        "    extended_to: 2020-02-08\n"
        "    accepted_late: true\n"
        "    reason: Says too much.\n"
        "  - entries: [patient-panel, no-such-entry]\n"  # line 8
        "    transcribed: true\n"
        "    reason: Named twice, and an entry that is not there.\n"
        "  - entries: [still-coming]\n"  # line 11
        "    extended_to: 2020-02-08\n"
        "    reason: Agreed before it arrived.\n"
        "  - entries: [falls-huddles]\n"
        "    transcribed: maybe\n"  # line 15
        "    reason: Not true or false.\n", "utf-8")
    exit_code, found = validate(folder)
    assert exit_code == 1
    assert sorted((f["line"], f["column"], f["code"]) for f in found) == [
        (2, 5, "bad-deadline-exception"),
        (4, 5, "bad-deadline-exception"),
        (8, 15, "bad-deadline-exception"),
        (8, 30, "unknown-entry"),
        (11, 15, "extension-awaiting-entry"),
        (15, 18, "wrong-type"),
    ]
    assert {f["severity"] for f in found if f["code"] == "extension-awaiting-entry"} == {
        "warning"}


# Entry links: never read, never counted twice --------------------------------------------


def test_an_entry_link_inside_the_folder_is_not_read(tmp_path: Path) -> None:
    """A link to another entry would be that entry a second time (its text, its
    category); qsi reports the link and reads only the real file."""
    folder = copy_base(tmp_path / "programme")
    (folder / "entries/copy.md").symlink_to("falls-huddles.md")
    exit_code, found = validate(folder)
    assert exit_code == 1
    assert [(f["path"], f["line"], f["code"]) for f in found] == [
        ("entries/copy.md", None, "symbolic-link")]  # and no too-few-judges for 'copy'
    assert "link to entries/falls-huddles.md" in found[0]["message"]
    status = json.loads(run_cli(["status", "-p", folder, "--format", "json",
                                 "--today", "2020-02-15"]).stdout)
    assert status["entries"] == 2
    assert [c["entries"] for c in status["categories"]] == [1, 1]


def test_a_score_sheet_or_programme_file_link_is_not_read(tmp_path: Path) -> None:
    folder = copy_base(tmp_path / "programme")
    (folder / "scores/ajudge.yaml").unlink()
    (folder / "scores/ajudge.yaml").symlink_to("cjudge.yaml")
    (folder / "elsewhere").mkdir()
    shutil.move(folder / "categories.yaml", folder / "elsewhere/categories.yaml")
    (folder / "categories.yaml").symlink_to("elsewhere/categories.yaml")
    found = validate(folder)[1]
    assert {(f["path"], f["code"]) for f in found} >= {
        ("scores/ajudge.yaml", "symbolic-link"), ("categories.yaml", "symbolic-link")}


def test_a_submodule_where_an_entry_should_be(tmp_path: Path) -> None:
    """A gitlink checks out as an empty folder: reported, never read as an entry."""
    origin = git_init(copy_base(tmp_path / "origin"))
    commit = git_commit_all(origin)
    git(origin, "update-index", "--add", "--cacheinfo", f"160000,{commit},entries/linked.md")
    git(origin, "commit", "-q", "-m", "a submodule")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    assert (clone / "entries/linked.md").is_dir()
    exit_code, found = validate(clone)
    assert exit_code == 1
    assert [(f["path"], f["code"]) for f in found] == [("entries/linked.md", "unreadable")]


def test_the_git_log_started_beside_the_rules(repo: Path) -> None:
    """The rules start the `git log` of arrivals before they need it; read, it gives
    what a `git log` run there and then gives, and one nobody reads is ended, not left
    running (a rule that fails before the dates are checked)."""
    from qsi_awards import gitops, load
    from qsi_awards.checks.context import Context

    folder = load.load(repo)
    read = Context(folder)
    read.start()
    assert read.arrivals == gitops.arrivals(repo)
    assert read.arrivals is not None and OWN in read.arrivals

    unread = Context(folder)
    unread.start()
    process = unread._git
    assert process is not None
    unread.stop()
    assert process.returncode is not None
    assert process.stdout is not None and process.stdout.closed
