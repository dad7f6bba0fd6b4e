"""Behaviour at the edges, pinned through the command line and files on disk (issue 10,
step 4): each test names the plausible bug it catches. Expected values are worked out
here, by hand, never taken from qsi.

Tally arithmetic: with the builder's default rubric (ambition weight 20, impact 30) a
judgement score is S = (20·ambition + 30·impact) / 50 = 0.4·ambition + 0.6·impact.

Already pinned elsewhere, and not repeated here:
- text exactly at a word limit, and one word over: the summary in test_content.py
  (test_the_summary_counts_words_as_a_reader_sees_them, 5 words at a limit of 5 and 6),
  sections in test_content.py (test_validate_takes_an_indented_heading_and_counts_words_
  not_markers, 10 words at a limit of 10) and the negative examples too-many-words-section
  and too-many-words-subsection (31 at 30);
- a `## ` heading inside fenced code is no section: the negative example
  missing-section-in-code;
- a judge's handle compared ignoring case and '@': test_guard.py
  (test_judge_handles_ignore_case_and_at); maintainers' handles are pinned below;
- `|` in a title in the tally's Markdown: test_markdown_outputs.py (its tally case
  fails when `|` is left unescaped).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from builder import CRITERIA, entry_meta, entry_text, scores, write_programme
from conftest import BASE, REPO, copy_base, findings_of, git, git_commit_all, git_init, run_cli
from render_support import files_under, pdf_text

MIB = 1024 * 1024


def validate(root: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli(["validate", "-p", root, "--format", "json"])
    assert "Traceback" not in result.output
    return result.exit_code, findings_of(result.stdout)["findings"]


def coded(found: list[dict[str, Any]], *codes: str) -> list[tuple[str, int | None, str]]:
    """(path, line, code) of the findings with these codes, sorted."""
    return sorted((f["path"], f["line"], f["code"]) for f in found if f["code"] in codes)


def tally(root: Path, *args: str) -> dict[str, Any]:
    result = run_cli(["tally", "-p", root, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def rows(document: dict[str, Any], category: str = "cat-a") -> list[tuple[Any, ...]]:
    """(entry, rank, score, judgements, award, flags) per entry, in the tally's order."""
    (cat,) = [c for c in document["categories"] if c["id"] == category]
    return [(e["entry"], e["rank"], e["score"], e["judgements"], e["award"], e["flags"])
            for e in cat["entries"]]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), "utf-8")


def rubric(low: int, high: int, criteria: list[dict[str, Any]] | None = None
           ) -> dict[str, Any]:
    return {"rubric": {"scale": {"min": low, "max": high}, "criteria": criteria or CRITERIA}}


# Sections -------------------------------------------------------------------------------


@pytest.mark.parametrize("words", ["Falls halved.", "Falls *halved*, [see](chart.png)."])
def test_a_level_three_heading_is_not_a_section(tmp_path: Path, words: str) -> None:
    """Bug caught: counting `### Impact` as the required `## Impact` section (a heading
    pattern such as `^#+ ` or `^##`), which would let an entry without the section pass
    and leave its words uncounted against the section's limit. Plain prose and prose
    with Markdown in it: qsi reads the first with a fast path and the second with the
    Markdown parser, and neither may take the sub-heading for a section."""
    root = write_programme(tmp_path / "p", extra_settings={"entry_rules": {
        "sections": [{"title": "Challenge"}, {"title": "Impact"}]}})
    body = f"## Challenge\nFalls were common.\n\n### Impact\n{words}\n"
    (root / "entries" / "e1.md").write_text(entry_text(entry_meta("e1"), body), "utf-8")
    # the body runs from line 13 to 17; the missing section is reported at its end
    assert coded(validate(root)[1], "missing-section", "unexpected-section") == [
        ("entries/e1.md", 17, "missing-section")]
    body = f"## Challenge\nFalls were common.\n\n### Detail\nx\n\n## Impact\n{words}\n"
    (root / "entries" / "e1.md").write_text(entry_text(entry_meta("e1"), body), "utf-8")
    assert coded(validate(root)[1], "missing-section", "unexpected-section") == []


# The rubric scale -------------------------------------------------------------------------


@pytest.mark.parametrize(("low", "high"), [(1, 5), (-2, 2)])
def test_scores_at_both_ends_of_the_scale_are_accepted_and_tallied(
        tmp_path: Path, low: int, high: int) -> None:
    """Bug caught: a range check of `low < x <= high` or `low <= x < high` (an end of the
    scale refused), or one that assumes the scale starts at 0.

    top: both judges give (high, high) -> S = high twice -> score high
    bottom: both give (low, low) -> score low
    mixed: j1 (low, high) -> S = 0.4·low + 0.6·high; j2 (high, low) -> 0.4·high + 0.6·low;
           mean (low + high) / 2, spread 0.2·(high - low)
    """
    entries = {e: entry_meta(e) for e in ("top", "bottom", "mixed")}
    sheets = {"j1": {"top": scores(high, high), "bottom": scores(low, low),
                     "mixed": scores(low, high)},
              "j2": {"top": scores(high, high), "bottom": scores(low, low),
                     "mixed": scores(high, low)}}
    root = write_programme(tmp_path / "p", entries=entries, sheets=sheets,
                           extra_settings=rubric(low, high), judging={"highly_commended": 1})
    assert validate(root) == (0, [])
    got = {e["entry"]: e for e in tally(root)["categories"][0]["entries"]}
    assert (got["top"]["rank"], got["top"]["score"]) == (1, float(high))
    assert (got["mixed"]["rank"], got["mixed"]["score"]) == (2, (low + high) / 2)
    assert got["mixed"]["spread"] == pytest.approx(0.2 * (high - low))
    assert (got["bottom"]["rank"], got["bottom"]["score"]) == (3, float(low))


@pytest.mark.parametrize("outside", ["below", "above"])
def test_a_score_one_past_either_end_is_out_of_range(tmp_path: Path, outside: str) -> None:
    """Bug caught: an off-by-one that lets min - 1 or max + 1 through."""
    value = 0 if outside == "below" else 6
    root = write_programme(tmp_path / "p", entries={"e1": entry_meta("e1")},
                           sheets={"j1": {"e1": scores(value, 3)}, "j2": {"e1": scores(3, 3)}},
                           extra_settings=rubric(1, 5))
    exit_code, found = validate(root)
    assert exit_code == 1
    assert [(f["path"], f["code"], f["message"]) for f in found] == [
        ("scores/j1.yaml", "score-out-of-range",
         f"The ambition score {value} is outside the scale 1 to 5.")]


def test_a_scale_whose_min_equals_its_max_is_refused(tmp_path: Path) -> None:
    """Bug caught: checking `min > max` instead of `min >= max`. A one-point scale cannot
    tell entries apart (every score would be the same); qsi says so and will not tally."""
    root = write_programme(tmp_path / "p", entries={"e1": entry_meta("e1")},
                           sheets={"j1": {"e1": scores(5, 5)}, "j2": {"e1": scores(5, 5)}},
                           extra_settings=rubric(5, 5))
    exit_code, found = validate(root)
    assert exit_code == 1
    assert [(f["path"], f["code"], f["message"]) for f in found] == [
        ("programme.yaml", "bad-scale",
         "The rubric scale runs from 5 to 5; min must be below max.")]
    refused = run_cli(["tally", "-p", root, "--format", "json"])
    assert refused.exit_code == 1 and refused.stdout == ""


# Dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "late"), [("2020-04-01", False), ("2020-03-31", True)])
def test_an_adoption_dated_on_the_ceremony_day_is_fine(tmp_path: Path, day: str,
                                                       late: bool) -> None:
    """Bug caught: `date <= ceremony` for `date < ceremony`: a team that adopts a winning
    project on the day it is announced (1 April 2020 here) is not early."""
    root = write_programme(tmp_path / "p", entries={"e1": entry_meta("e1")},
                           sheets={"j1": {"e1": scores(5, 5)}, "j2": {"e1": scores(6, 6)}},
                           adoption=[{"entry": "e1", "organisation": "Another Trust",
                                      "stage": "interested", "date": day}])
    expected = [("adoption.yaml", 5, "adoption-before-ceremony")] if late else []
    assert coded(validate(root)[1], "adoption-before-ceremony") == expected


def test_a_milestone_dated_today_is_next_with_zero_days_to_go() -> None:
    """Bug caught: `date > today` for `date >= today` when looking for the next
    milestone, which would mark the judging deadline done on its own day and point at
    the ceremony instead. The example's judging deadline is 1 March 2020."""
    root = REPO  # the repository's example programme
    result = run_cli(["status", "-p", root, "--today", "2020-03-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["next_milestone"] == {
        "id": "judging", "title": "Review awards and agree winners / highly commended",
        "date": "2020-03-01", "days": 0}
    assert [(m["id"], m["status"]) for m in document["timeline"]] == [
        ("marketing", "done"), ("steering-group", "done"), ("deadline", "done"),
        ("shortlisting", "done"), ("shortlist", "done"), ("judging", "next"),
        ("ceremony", "upcoming"), ("spread", "upcoming")]
    text = run_cli(["status", "-p", root, "--today", "2020-03-01"]).stdout
    assert ("Next: Review awards and agree winners / highly commended, 1 Mar 2020 (today)"
            in text)


@pytest.mark.parametrize(("submitted", "late"), [("2020-02-01", False), ("2020-02-02", True)])
def test_an_entry_submitted_on_the_deadline_is_on_time(base_copy: Path, submitted: str,
                                                       late: bool) -> None:
    """Bug caught: `submitted >= deadline` for `submitted > deadline` (the deadline of
    tests/examples/base is 1 February 2020; the folder is not in git, so only submitted:
    counts)."""
    replace_in(base_copy / "entries/falls-huddles.md", "submitted: 2020-01-28",
               f"submitted: {submitted}")
    expected = [("entries/falls-huddles.md", 9, "late-submission")] if late else []
    assert coded(validate(base_copy)[1], "late-submission") == expected


@pytest.mark.parametrize(("deadline_offset", "late"), [(0, False), (-1, True)])
def test_an_entry_arriving_on_the_deadline_day_is_on_time(tmp_path: Path,
                                                          deadline_offset: int,
                                                          late: bool) -> None:
    """Bug caught: `arrived >= deadline`. An entry not yet committed arrives today; with
    the submission deadline today it is on time, with the deadline yesterday it is late.
    (Its submitted: date, 28 January 2020, is before either.)"""
    today = dt.date.today()
    repo = git_init(copy_base(tmp_path / "repo"))
    deadline = (today + dt.timedelta(days=deadline_offset)).isoformat()
    programme = repo / "programme.yaml"
    replace_in(programme, "date: 2020-02-01, kind: submission_deadline",
               f"date: {deadline}, kind: submission_deadline")
    for milestone in ("2020-03-01, kind: judging_deadline", "2020-04-01, kind: ceremony"):
        later = (today + dt.timedelta(days=30 if "judging" in milestone else 60)).isoformat()
        replace_in(programme, milestone, milestone.replace(milestone[:10], later))
    git_commit_all(repo, "base")
    text = (BASE / "entries/falls-huddles.md").read_text("utf-8")
    (repo / "entries/night-checks.md").write_text(
        text.replace("title: Falls huddles", "title: Night checks"), "utf-8")
    found = validate(repo)[1]
    if dt.date.today() != today:  # midnight passed while the test ran
        pytest.skip("the day changed during the test")
    expected = [("entries/night-checks.md", None, "late-submission")] if late else []
    assert coded(found, "late-submission") == expected


# YAML 1.1 booleans ------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "involved"), [
    ("true", True), ("True", True), ("TRUE", True),
    ("false", False), ("False", False), ("FALSE", False),
])
def test_true_and_false_are_booleans_in_their_case_forms(base_copy: Path, written: str,
                                                         involved: bool) -> None:
    """true and false, as YAML 1.2 writes them in any of its three cases, are the
    booleans. patient-panel is in qi-patients, which requires patient involvement.

    Bug caught: truthiness of the text (`false` as a non-empty string would be true,
    and the finding would vanish), or only the lower-case form accepted."""
    replace_in(base_copy / "entries/patient-panel.md", "patient_involvement: true",
               f"patient_involvement: {written}")
    expected = [] if involved else [("entries/patient-panel.md", 8,
                                     "needs-patient-involvement")]
    exit_code, found = validate(base_copy)
    assert coded(found, "needs-patient-involvement", "wrong-type") == expected
    assert exit_code == (0 if involved else 1)


@pytest.mark.parametrize(("written", "advice"), [
    ("yes", "write true for yes"), ("Yes", "write true for yes"), ("ON", "write true for yes"),
    ("no", "write false for no"), ("No", "write false for no"), ("off", "write false for no"),
    ("OFF", "write false for no"),
])
def test_yaml_1_1_booleans_are_findings_that_say_what_to_write(
        base_copy: Path, written: str, advice: str) -> None:
    """`yes` is not true unless written `true` (issue 10): YAML 1.1's yes/no/on/off in a
    true-or-false field are a wrong-type finding that says which word to write.

    Bug caught: a YAML 1.1 resolver (yes read as true: nothing reported), or a message
    that tells a ward manager to remove quotes they never wrote."""
    replace_in(base_copy / "entries/patient-panel.md", "patient_involvement: true",
               f"patient_involvement: {written}")
    exit_code, found = validate(base_copy)
    assert exit_code == 1
    assert [(f["line"], f["code"], f["message"]) for f in found] == [(8, "wrong-type", (
        f"'patient_involvement' should be true or false, but it is '{written}' ({advice})."))]


@pytest.mark.parametrize(("written", "finding"), [
    ('"yes"', "'patient_involvement' should be true or false, but it is 'yes' "
              "(write true for yes)."),
    ("y", "'patient_involvement' should be true or false, but it is 'y' "
          "(write true for yes)."),
])
def test_a_quoted_yes_and_a_bare_y_are_text_not_booleans(base_copy: Path, written: str,
                                                         finding: str) -> None:
    """PyYAML (and qsi) read `y` and `n` as text, though the YAML 1.1 type library lists
    them; a quoted "yes" is text too. Bug caught: a loader that takes the 1.1 list
    literally, or unquotes before typing."""
    replace_in(base_copy / "entries/patient-panel.md", "patient_involvement: true",
               f"patient_involvement: {written}")
    exit_code, found = validate(base_copy)
    assert exit_code == 1
    assert [(f["line"], f["code"], f["message"]) for f in found] == [(8, "wrong-type", finding)]


@pytest.mark.parametrize(("field", "written"), [
    ("title: Falls huddles", "title: yes"),
    ("organisation: Mill Practice", "organisation: Off"),
    ("submitted_by: pshah", "submitted_by: on"),
])
def test_a_text_field_written_yes_or_no_is_that_text(base_copy: Path, field: str,
                                                    written: str) -> None:
    """A text field written yes/no/on/off unquoted is that text, as the entrant meant.
    Bugs caught: a YAML 1.1 resolver (a finding, or worse an organisation called "False"
    after coercing the boolean back to text)."""
    entry = base_copy / "entries/falls-huddles.md"
    replace_in(entry, field, written)
    assert validate(base_copy) == (0, [])
    name, value = written.split(": ")
    data = json.loads(run_cli(["tally", "-p", base_copy, "--format", "json"]).stdout)
    if name in ("title", "organisation"):
        (falls,) = [e for c in data["categories"] for e in c["entries"]
                    if e["entry"] == "falls-huddles"]
        assert falls[name] == value


def test_an_id_written_no_is_the_id_as_a_key_and_as_a_value(base_copy: Path) -> None:
    """An entry called `no` (entries/no.md): as a mapping key in a score sheet `no:` is
    the ID "no", and as a value in a list of IDs a bare `no` is the ID "no" too.

    Bugs caught: typing keys or values as YAML 1.1 booleans (the key false, then an
    unknown entry or a crash sorting mixed keys; the value false, a wrong-type finding
    for an ID the entrant wrote plainly)."""
    (base_copy / "entries/patient-panel.md").rename(base_copy / "entries/no.md")
    for sheet in ("ajudge", "bjudge", "djudge"):
        replace_in(base_copy / f"scores/{sheet}.yaml", "  patient-panel:", "  no:")
    decisions = base_copy / "decisions.yaml"
    replace_in(decisions, "[falls-huddles, patient-panel]", '[falls-huddles, "no"]')
    assert validate(base_copy) == (0, [])
    # ajudge (6, 5) -> S 5.4; djudge (8, 7) -> S 7.4: mean 6.4; bjudge recused
    (no,) = [e for c in tally(base_copy)["categories"] for e in c["entries"]
             if e["entry"] == "no"]
    assert (no["score"], no["judgements"]) == (6.4, 2)
    replace_in(decisions, '[falls-huddles, "no"]', "[falls-huddles, no]")
    assert validate(base_copy) == (0, [])


# Files of exactly 1 MiB -------------------------------------------------------------------


def pad_to(path: Path, size: int) -> None:
    """Append a YAML comment so that the file is exactly `size` bytes."""
    raw = path.read_bytes()
    filler = size - len(raw) - len(b"# \n")
    assert filler > 0
    path.write_bytes(raw + b"# " + b"x" * filler + b"\n")
    assert path.stat().st_size == size


@pytest.mark.parametrize(("size", "too_large"), [(MIB, False), (MIB + 1, True)])
def test_validate_reads_a_file_of_exactly_one_mebibyte(base_copy: Path, size: int,
                                                       too_large: bool) -> None:
    """Files may be at most 1 MiB. Bug caught: `size >= MAX` for `size > MAX`, or
    reading MAX bytes and calling the file too large when the read filled the buffer."""
    pad_to(base_copy / "scores/ajudge.yaml", size)
    exit_code, found = validate(base_copy)
    if too_large:
        assert exit_code == 1
        assert coded(found, "too-large") == [("scores/ajudge.yaml", 1, "too-large")]
    else:
        assert (exit_code, found) == (0, [])


def test_a_file_just_over_the_limit_is_not_said_to_be_one_mebibyte(base_copy: Path) -> None:
    """A file one byte over the limit is told its size in bytes. Bug caught: a rounded
    '1.0 MiB', which reads as within a limit of 1 MiB."""
    pad_to(base_copy / "scores/ajudge.yaml", MIB + 1)
    (finding,) = [f for f in validate(base_copy)[1] if f["code"] == "too-large"]
    assert finding["message"] == (
        "scores/ajudge.yaml is 1,048,577 bytes, over the 1 MiB (1,048,576 bytes) a file may "
        "be; shorten it.")


@pytest.mark.parametrize(("size", "allowed"), [(MIB, True), (MIB + 1, False)])
def test_guard_reads_a_score_sheet_of_exactly_one_mebibyte(tmp_path: Path, size: int,
                                                           allowed: bool) -> None:
    """The judge's own sheet is exactly 1 MiB at the base (read from git) and in the pull
    request (read from the working tree); the judge changes one score. Bug caught:
    `>=` for `>` in either of guard's size checks."""
    repo = git_init(copy_base(tmp_path / "repo"))
    sheet = repo / "scores/ajudge.yaml"
    pad_to(sheet, size)
    git_commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    replace_in(sheet, "impact: 8", "impact: 9")
    git_commit_all(repo, "my scores")
    exit_code, found = guard(repo, "ajudge")
    if allowed:
        assert (exit_code, found) == (0, [])
    else:
        assert exit_code == 1
        assert [(f["path"], f["code"]) for f in found] == [
            ("scores/ajudge.yaml", "guard-unreadable")]


# guard: judges' sheets and maintainers ----------------------------------------------------


def guard(repo: Path, author: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli(["guard", "-p", repo, "--author", author, "--base", "main",
                      "--format", "json", "--today", "2020-01-20"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, findings_of(result.stdout)["findings"]


@pytest.fixture
def guard_repo(tmp_path: Path) -> Path:
    """tests/examples/base committed on main, with a branch `pr` checked out."""
    repo = git_init(copy_base(tmp_path / "repo"))
    git_commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


@pytest.mark.parametrize(("change", "line"), [
    # a new top-level field, before or after scores:
    (lambda text: "note: I was away in March\n" + text, 1),
    (lambda text: text + "signed: Alex\n", 10),
    # a new field holding a list, between judge: and scores:
    (lambda text: text.replace("judge: ajudge\n", "judge: ajudge\nextra:\n  - 1\n"), 2),
])
def test_a_judge_may_not_change_any_top_level_field_of_their_sheet(
        guard_repo: Path, change: Any, line: int) -> None:
    """SPEC §6: a judge may change only the scores of the entries in their own sheet;
    any other top-level field is guard-sheet-field. Bug caught: checking only the
    `judge:` line (the one case tests/examples/guard/sheet-field covers)."""
    sheet = guard_repo / "scores/ajudge.yaml"
    sheet.write_text(change(sheet.read_text("utf-8")), "utf-8")
    git_commit_all(guard_repo)
    exit_code, found = guard(guard_repo, "ajudge")
    assert exit_code == 1
    assert [(f["path"], f["line"], f["code"]) for f in found] == [
        ("scores/ajudge.yaml", line, "guard-sheet-field")]


def test_a_judge_may_add_a_yaml_comment_and_change_a_score(guard_repo: Path) -> None:
    """The companion of the test above: comments are not fields. Bug caught: comparing
    the sheet's text outside the scores instead of its fields."""
    sheet = guard_repo / "scores/ajudge.yaml"
    text = sheet.read_text("utf-8").replace("impact: 8", "impact: 9  # on reflection")
    sheet.write_text("# Alex's sheet\n" + text, "utf-8")
    git_commit_all(guard_repo)
    assert guard(guard_repo, "ajudge") == (0, [])


@pytest.mark.parametrize(("written", "author"), [
    ("lead-handle", "@Lead-Handle"),
    ("lead-handle", "LEAD-HANDLE"),
    ("'@Lead-Handle'", "lead-handle"),
])
def test_maintainer_handles_ignore_case_and_a_leading_at(tmp_path: Path, written: str,
                                                         author: str) -> None:
    """GitHub handles are case-insensitive and `@name` is `name`. A maintainer may change
    anything (here programme.yaml). Bug caught: the maintainers list compared as written
    (`author in maintainers`), while judges' handles are normalised."""
    repo = copy_base(tmp_path / "repo")
    replace_in(repo / "programme.yaml", "maintainers: [lead-handle]",
               f"maintainers: [{written}]")
    git_commit_all(git_init(repo), "base")
    git(repo, "checkout", "-q", "-b", "pr")
    replace_in(repo / "programme.yaml", "name: Test Awards", "name: Testshire Awards")
    git_commit_all(repo)
    assert guard(repo, author) == (0, [])
    exit_code, found = guard(repo, "lead-handle-2")
    assert exit_code == 1
    assert [(f["path"], f["code"]) for f in found] == [("programme.yaml", "guard-not-allowed")]


# assign and conflicts declared by entry -------------------------------------------------


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def conflicted(judge: dict[str, Any], entry_id: str, organisation: str) -> bool:
    """The oracle, from the SPEC's words (§1 judges.yaml): the judge's own organisation or
    one they declared, compared ignoring case and surrounding white space, or an entry
    they declared. (The generated names need nothing more of name matching.)"""
    declared = judge.get("conflicts") or {}
    own = {o.strip().casefold() for o in [judge["organisation"],
                                          *declared.get("organisations", [])]}
    return organisation.strip().casefold() in own or entry_id in declared.get("entries", [])


ORGANISATIONS = ["Org A", "Org B", "Org C", "Org D"]


@st.composite
def panels(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], int]:
    entry_ids = [f"e{i}" for i in range(draw(st.integers(1, 6)))]
    entries = {e: entry_meta(e, category=draw(st.sampled_from(["cat-a", "cat-b"])),
                             organisation=draw(st.sampled_from(
                                 [*ORGANISATIONS, " org a ", "ORG B", "Org E"])))
               for e in entry_ids}
    judges = []
    for i in range(draw(st.integers(3, 6))):
        judge: dict[str, Any] = {"id": f"j{i}", "name": f"Judge {i}",
                                 "organisation": draw(st.sampled_from(
                                     [*ORGANISATIONS, *(f"Panel {n}" for n in range(6))]))}
        declared: dict[str, Any] = {}
        picked = draw(st.lists(st.sampled_from(entry_ids), max_size=2, unique=True))
        if picked:
            declared["entries"] = picked
        if draw(st.integers(0, 2)) == 0:
            declared["organisations"] = [draw(st.sampled_from(ORGANISATIONS))]
        if declared:
            judge["conflicts"] = declared
        if draw(st.integers(0, 3)) == 0:
            judge["categories"] = [draw(st.sampled_from(["cat-a", "cat-b"]))]
        judges.append(judge)
    return judges, entries, draw(st.sampled_from([2, 1, 2, 3]))


CATEGORIES = [{"id": "cat-a", "title": "A", "theme": "safety"},
              {"id": "cat-b", "title": "B", "theme": "qi"}]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels(), st.integers(0, 3))
def test_assign_never_gives_a_judge_an_entry_they_declared(
        panel: tuple[list[dict[str, Any]], dict[str, dict[str, Any]], int], seed: int) -> None:
    """`qsi assign` on generated panels whose judges declare conflicts by entry (and by
    organisation), checked by reading the sheets it wrote against the oracle above.
    Where every entry has enough judges who are neither conflicted nor outside their
    categories, each entry gets exactly judges_per_entry of them; where one does not,
    assign names it, exits 1 and writes nothing.

    Bug caught: an assignment that honours organisations but forgets `conflicts.entries`
    (or the reverse), or that counts a conflicted judge towards an entry's panel."""
    judges, entries, per_entry = panel
    with_judges = {j["id"]: j for j in judges}
    with tempfile.TemporaryDirectory() as folder:
        root = write_programme(Path(folder) / "p", judges=judges, categories=CATEGORIES,
                               entries=entries, judging={"judges_per_entry": per_entry})
        result = run_cli(["assign", "-p", root, "--seed", str(seed)])
        eligible = {e: [j["id"] for j in judges
                        if not conflicted(j, e, meta["organisation"])
                        and meta["category"] in j.get("categories", [meta["category"]])]
                    for e, meta in entries.items()}
        short = sorted(e for e, panel_of in eligible.items() if len(panel_of) < per_entry)
        sheets = sorted((root / "scores").glob("*.yaml"))
        event("some entry cannot be covered" if short else "every entry covered")
        if short:
            assert result.exit_code == 1, result.output
            assert sheets == []
            named = re.findall(r"^  (e\d+): it needs", result.stderr, re.MULTILINE)
            assert named == short, result.stderr
            return
        assert result.exit_code == 0, result.output
        panels_of: dict[str, list[str]] = {e: [] for e in entries}
        for path in sheets:
            sheet = read_yaml(path)
            judge = with_judges[sheet["judge"]]
            for entry_id in sheet["scores"]:
                assert not conflicted(judge, entry_id, entries[entry_id]["organisation"]), (
                    judge, entry_id)
                panels_of[entry_id].append(judge["id"])
        assert {e: len(p) for e, p in panels_of.items()} == dict.fromkeys(entries, per_entry)
        assert all(set(p) <= set(eligible[e]) for e, p in panels_of.items())


def test_assign_takes_the_only_judges_an_entry_conflict_leaves(tmp_path: Path) -> None:
    """Three judges, two per entry; j1 declared a conflict with e1, so e1's panel can only
    be j2 and j3, for every seed. (Entries and judges share no organisation.)"""
    judges: list[dict[str, Any]] = [
        {"id": "j1", "name": "One", "organisation": "Panel 1", "conflicts": {"entries": ["e1"]}},
        {"id": "j2", "name": "Two", "organisation": "Panel 2"},
        {"id": "j3", "name": "Three", "organisation": "Panel 3"}]
    entries = {e: entry_meta(e) for e in ("e1", "e2", "e3")}
    for seed in range(6):
        root = write_programme(tmp_path / f"seed-{seed}", judges=judges, entries=entries)
        assert run_cli(["assign", "-p", root, "--seed", str(seed)]).exit_code == 0
        holders = sorted(path.stem for path in (root / "scores").glob("*.yaml")
                         if "e1" in read_yaml(path)["scores"])
        assert holders == ["j2", "j3"], seed


# Tally: ties and tiebreaks ----------------------------------------------------------------


def test_tiebreak_means_compare_entries_with_different_numbers_of_judges(tmp_path: Path
                                                                         ) -> None:
    """SPEC §4: a tiebreak criterion is the mean of that criterion over the entry's
    judgements. Every entry scores exactly 7:

    a: three judges, each (7, 7): S = 7 each; impact mean 21/3 = 7 (sum 21)
    b: two judges, each (4, 9): S = 0.4·4 + 0.6·9 = 7 each; impact mean 18/2 = 9 (sum 18)
    c: two judges, each (7, 7): S = 7 each; impact mean 14/2 = 7 (sum 14)

    So b ranks first; a and c stay tied second (competition ranking: 1, 2, 2). Bug
    caught: a tiebreak by sums (a 21 > b 18 > c 14), or a mean divided by
    judges_per_entry instead of the entry's own number of judgements (a: 21/2)."""
    sheets = {"j1": {"a": scores(7, 7), "b": scores(4, 9), "c": scores(7, 7)},
              "j2": {"a": scores(7, 7), "b": scores(4, 9), "c": scores(7, 7)},
              "j3": {"a": scores(7, 7)}}
    root = write_programme(tmp_path / "p", entries={e: entry_meta(e) for e in "abc"},
                           sheets=sheets, judging={"tiebreak": ["impact"],
                                                   "highly_commended": 2})
    assert rows(tally(root)) == [
        ("b", 1, 7.0, 2, "winner", []),
        ("a", 2, 7.0, 3, "highly_commended", ["tie"]),
        ("c", 2, 7.0, 2, "highly_commended", ["tie"])]


def test_scores_that_show_the_same_are_still_ranked_apart(tmp_path: Path) -> None:
    """Ranking uses full precision; only the output is rounded to 2 decimals. Criteria x
    (weight 1) and y (weight 9999): S = (x + 9999·y) / 10000.

    p: (10, 7) twice -> S = 70003/10000 = 7.0003, shown 7.0
    q: (0, 7) twice  -> S = 69993/10000 = 6.9993, shown 7.0

    Bug caught: rounding to 2 decimals before ranking (p and q would tie)."""
    criteria = [{"id": "x", "title": "X", "weight": 1}, {"id": "y", "title": "Y",
                                                        "weight": 9999}]
    sheets = {judge: {"p": {"x": 10, "y": 7}, "q": {"x": 0, "y": 7}} for judge in ("j1", "j2")}
    root = write_programme(tmp_path / "p", criteria=criteria, sheets=sheets,
                           entries={e: entry_meta(e) for e in "pq"},
                           judging={"highly_commended": 1})
    assert rows(tally(root)) == [("p", 1, 7.0, 2, "winner", []),
                                 ("q", 2, 7.0, 2, "highly_commended", [])]


def test_scores_equal_to_nine_decimal_places_are_a_tie(tmp_path: Path) -> None:
    """SPEC §4: equal scores are compared to 9 decimal places. Criteria x (weight
    0.000001) and y (weight 1000000): S = (0.000001·x + 1000000·y) / 1000000.000001.

    p: (10, 7) twice -> S = 7000000.00001 / 1000000.000001 = 7.000000000003 (to 12 places)
    q: (0, 7) twice  -> S = 7000000 / 1000000.000001       = 6.999999999993
    The difference, 10^-11, is below the 9th decimal place: both are 7.000000000.

    Bug caught: comparing exact (or float) scores, which ranks p above q and awards a
    winner by a difference no judge could see."""
    criteria = [{"id": "x", "title": "X", "weight": 1}, {"id": "y", "title": "Y",
                                                        "weight": 1000000}]
    sheets = {judge: {"p": {"x": 10, "y": 7}, "q": {"x": 0, "y": 7}} for judge in ("j1", "j2")}
    root = write_programme(tmp_path / "p", criteria=criteria, sheets=sheets,
                           entries={e: entry_meta(e) for e in "pq"},
                           judging={"highly_commended": 1})
    # a weight of 0.000001 written as a plain decimal (safe_dump would write 1e-06)
    replace_in(root / "programme.yaml", "weight: 1\n", "weight: 0.000001\n")
    document = tally(root)
    assert rows(document) == [("p", 1, 7.0, 2, "highly_commended", ["tie"]),
                              ("q", 1, 7.0, 2, "highly_commended", ["tie"])]
    assert document["categories"][0]["undecided"] == [{"awards": ["winner"],
                                                       "entries": ["p", "q"]}]


# Certificates from a programme whose results are known ------------------------------------


def test_certificates_are_the_awards_worked_out_by_hand(tmp_path: Path) -> None:
    """Three categories, one highly commended place each, two judges per entry:

    cat-a: a1 (9, 9) -> 9; a2 (8, 8) -> 8, not consenting to publication; a3 (5, 5) -> 5;
           a4 has one judgement of two: incomplete, never awarded.
           a1 winner, a2 highly commended (certificates go to teams, consent or not).
    cat-b: b1 (8, 6) and (6, 8): S 6.8 and 7.2 -> 7; b2 (6, 8) and (8, 6) -> 7; b3 (4, 4).
           No tiebreak: b1 and b2 tie for first, so both are highly commended and the
           winner's place stays open; b3 is shortlisted.
    cat-c: c1 (9, 9) -> 9, c2 (7, 7) -> 7, c3 (6, 6) -> 6, but decisions.yaml makes c3
           the winner and c2 highly commended: c1 gets no certificate.

    Bug caught: certificates for the tally's awards instead of the decided ones, for a
    tie's open winner place, for incomplete or shortlisted entries, or skipping an entry
    that did not consent to publication."""
    categories = [{"id": c, "title": f"Category {c[-1].upper()}", "theme": "safety"}
                  for c in ("cat-a", "cat-b", "cat-c")]
    marks = {"a1": [(9, 9), (9, 9)], "a2": [(8, 8), (8, 8)], "a3": [(5, 5), (5, 5)],
             "a4": [(9, 9)],
             "b1": [(8, 6), (6, 8)], "b2": [(6, 8), (8, 6)], "b3": [(4, 4), (4, 4)],
             "c1": [(9, 9), (9, 9)], "c2": [(7, 7), (7, 7)], "c3": [(6, 6), (6, 6)]}
    entries = {e: entry_meta(e, category=f"cat-{e[0]}", title=f"Project {e.upper()}",
                             consent_to_publish=e != "a2") for e in marks}
    sheets: dict[str, dict[str, Any]] = {"j1": {}, "j2": {}}
    for entry_id, given_marks in marks.items():
        for judge, (ambition, impact) in zip(("j1", "j2"), given_marks, strict=False):
            sheets[judge][entry_id] = scores(ambition, impact)
    root = write_programme(tmp_path / "p", categories=categories, entries=entries,
                           sheets=sheets, judging={"highly_commended": 1},
                           decisions=[{"category": "cat-c", "winner": "c3",
                                       "highly_commended": ["c2"], "reason": "Panel vote."}])
    out = tmp_path / "certificates"
    result = run_cli(["render", "certificates", "-p", root, "--out", out])
    assert result.exit_code == 0, result.output
    expected = {"cat-a/a1-winner.pdf": ("Winner", "Project A1", "Category A"),
                "cat-a/a2-highly-commended.pdf": ("Highly Commended", "Project A2",
                                                  "Category A"),
                "cat-b/b1-highly-commended.pdf": ("Highly Commended", "Project B1",
                                                  "Category B"),
                "cat-b/b2-highly-commended.pdf": ("Highly Commended", "Project B2",
                                                  "Category B"),
                "cat-c/c3-winner.pdf": ("Winner", "Project C3", "Category C"),
                "cat-c/c2-highly-commended.pdf": ("Highly Commended", "Project C2",
                                                  "Category C")}
    assert files_under(out) == set(expected)
    for name, words in expected.items():
        text = pdf_text(out / name).casefold()
        for word in (*words, f"Org of {name.split('/')[1].split('-')[0]}"):
            assert " ".join(word.casefold().split()) in text, (name, word, text)
        other = "highly commended" if words[0] == "Winner" else "winner"
        assert other not in text, (name, text)
