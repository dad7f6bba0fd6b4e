"""qsi person, for a subject access request. tests/examples/privacy is an overlay on the
base programme in which Dr Jo O'Neill (jo.oneill@nhs.net, @jo-oneill) is written in
every way people write a name, and near-misses are not her: every line that mentions
her, and the field it is in, is listed here by hand, with the outputs that carry it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, REPO, apply_overlay, copy_base, run_cli

PRIVACY = EXAMPLES / "privacy"

# (path, line, field) of every mention of Jo O'Neill by name or e-mail address
JO = {
    ("adoption.yaml", 6, "adoption[0].contact"),        # O'Neill, Jo
    ("entries/jo-clinic.md", 7, "lead.name"),            # Dr Jo O'Neill
    ("entries/jo-clinic.md", 9, "lead.email"),           # Jo.ONeill@nhs.net
    ("entries/jo-clinic.md", 15, "summary"),             # JO O’NEILL
    ("entries/jo-clinic.md", 18, "body (## Challenge)"),  # jo.oneill@NHS.NET
    ("entries/patient-panel.md", 16, "body (## Impact)"),  # Jo M. O'Neill
    ("judges.yaml", 16, "a YAML comment"),               # # Jo O'Neill suggested ...
    ("scores/cjudge.yaml", 6, "scores.falls-huddles.comment"),  # Dr. Jo O'Neill's
}
# Not her: Mary-Jo O'Neill (a team member), Jo O'Neill-Smith (in a write-up), the
# judge Joanne O'Neill (joanne-oneill) and the handle jo-oneill (not linked to her name).

# what carries each of them, by hand from the render modules: jo-clinic consented and is
# highly commended in safety-primary (judged by ajudge and cjudge); patient-panel did not
# consent (judged by ajudge and djudge; bjudge recused)
OUTPUTS = {
    ("adoption.yaml", 6): {"reports": ["qsi adoption"]},
    # the lead's name and e-mail address are also in the letter to them
    ("entries/jo-clinic.md", 7): {
        "site": ["entries/jo-clinic.html"],
        "certificates": ["safety-primary/jo-clinic-highly-commended.pdf"],
        "letters": ["entries/jo-clinic.eml", "letters.csv"]},
    ("entries/jo-clinic.md", 9): {"letters": ["entries/jo-clinic.eml", "letters.csv"]},
    # the packs take 'JO O’NEILL' out too: the lead is 'Dr Jo O'Neill'
    ("entries/jo-clinic.md", 15): {"shortlist": ["shortlist.md", "shortlist.html"],
                                   "site": ["index.html", "entries/jo-clinic.html"]},
    # every e-mail address is taken out of the packs
    ("entries/jo-clinic.md", 18): {"site": ["entries/jo-clinic.html"]},
    # a pack takes every entrant's name out of every entry, not only the entry's own
    ("entries/patient-panel.md", 16): {},
    ("judges.yaml", 16): {},
    ("scores/cjudge.yaml", 6): {"workbooks": ["cjudge.xlsx"]},
}


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return apply_overlay(PRIVACY, copy_base(tmp_path_factory.mktemp("people") / "programme"))


def person(root: Path, query: str, expect: int = 0) -> dict[str, Any]:
    result = run_cli(["person", query, "-p", root, "--format", "json"])
    assert result.exit_code == expect, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def places(document: dict[str, Any]) -> set[tuple[str, int | None, str | None]]:
    return {(m["path"], m["line"], m["field"]) for m in document["mentions"]}


@pytest.mark.parametrize("query", [
    "Dr Jo O'Neill", "jo o’neill", "JO O'NEILL", "O'Neill, Jo", "Jo M. O'Neill",
    "Prof. Jó O’Néill PhD", "Jo.ONeill@nhs.net", "JO.ONEILL@NHS.NET", " jo.oneill@nhs.net "])
def test_every_mention_of_jo_by_name_or_e_mail(people: Path, query: str) -> None:
    found = person(people, query)
    assert places(found) == JO
    # the query, and what entries/jo-clinic.md links to it: her e-mail address or name
    assert [(t["kind"], t["why"]) for t in found["searched_for"]] == [
        ("e-mail address", "as asked"),
        ("name", "the name of the lead of entries/jo-clinic.md")] if "@" in query else [
        ("name", "as asked"),
        ("e-mail address", "the e-mail address of the lead of entries/jo-clinic.md")]
    assert found["summary"] == {"mentions": 8, "files": 5, "not_searched": 0, "errors": 0}


def test_each_mention_comes_with_the_outputs_that_carry_it(people: Path) -> None:
    found = person(people, "Dr Jo O'Neill")
    carried = {(m["path"], m["line"]): {p["output"]: p["files"] for p in m["published"]}
               for m in found["mentions"]}
    assert carried == OUTPUTS
    assert {p["output"] for p in found["outputs"]} == {
        "reports", "site", "certificates", "shortlist", "workbooks", "letters"}


def test_the_packs_really_carry_what_qsi_person_says(people: Path, tmp_path: Path) -> None:
    """The lead 'Dr Jo O'Neill', written 'JO O’NEILL' in the summary, is not in ajudge's
    pack, nor is the e-mail address; the summary's other words are."""
    assert run_cli(["render", "packs", "-p", people, "--out", tmp_path]).exit_code == 0
    pack = (tmp_path / "ajudge.html").read_text("utf-8")
    assert "Led by [name], the practice recalled every patient" in pack
    assert "JO O’NEILL," not in pack
    assert "jo.oneill@NHS.NET" not in pack and "@jo-oneill" not in pack


def test_a_handle_finds_the_handle(people: Path) -> None:
    for query in ("@jo-oneill", "jo-oneill", "@JO-ONEILL"):
        found = person(people, query)
        assert places(found) == {("entries/jo-clinic.md", 11, "submitted_by"),
                                 ("scores/ajudge.yaml", 13, "scores.jo-clinic.comment")}
        assert [t["text"].casefold() for t in found["searched_for"]] == ["jo-oneill"]
        carried = {m["line"]: [p["output"] for p in m["published"]] for m in found["mentions"]}
        assert carried == {11: ["codeowners"], 13: ["workbooks"]}


def test_a_judge_by_name_brings_their_id_handle_and_score_sheet(people: Path) -> None:
    found = person(people, "Joanne O'Neill")
    assert places(found) == {("judges.yaml", 20, "judges[4].id"),
                             ("judges.yaml", 21, "judges[4].name"),
                             ("judges.yaml", 23, "judges[4].github")}
    found = person(people, "alex judge")
    assert places(found) == {("judges.yaml", 2, "judges[0].id"),
                             ("judges.yaml", 3, "judges[0].name"),
                             ("judges.yaml", 5, "judges[0].github"),
                             ("scores/ajudge.yaml", None, "the file's name"),
                             ("scores/ajudge.yaml", 1, "judge")}


def test_nobody_is_found_quietly(people: Path) -> None:
    found = person(people, "Nobody Here")
    assert found["mentions"] == [] and found["outputs"] == []
    text = run_cli(["person", "Nobody Here", "-p", people]).stdout
    assert "No file mentions them." in text
    assert text.endswith("0 mentions in 0 files.\n")


def test_text_report(people: Path) -> None:
    result = run_cli(["person", "Dr Jo O'Neill", "-p", people])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Mentions of Dr Jo O'Neill in Test Awards 2020"
    assert "  e-mail address Jo.ONeill@nhs.net: the e-mail address of the lead of " \
           "entries/jo-clinic.md" in lines
    at = lines.index("entries/patient-panel.md")
    assert lines[at + 1:at + 3] == [
        "  line 16, body (## Impact): Jo M. O'Neill",
        "    published in: not published"]
    assert lines[-1] == "8 mentions in 5 files."


def test_with_errors_the_mentions_are_still_found(people: Path, tmp_path: Path) -> None:
    """A programme with errors: every mention, but no outputs (exit 1, saying why)."""
    root = apply_overlay(PRIVACY, copy_base(tmp_path / "programme"))
    entry = root / "entries" / "jo-clinic.md"
    entry.write_text(entry.read_text("utf-8").replace("care_setting: primary",
                                                      "care_setting: hospital"), "utf-8")
    found = person(root, "Dr Jo O'Neill", expect=1)
    assert places(found) == JO
    assert all(m["published"] is None for m in found["mentions"])
    assert found["outputs"] is None and found["summary"]["errors"] == 1
    text = run_cli(["person", "Dr Jo O'Neill", "-p", root]).stdout
    assert "The programme has 1 error, so qsi cannot tell which outputs" in text


def test_files_it_cannot_read_are_listed(people: Path, tmp_path: Path) -> None:
    root = apply_overlay(PRIVACY, copy_base(tmp_path / "programme"))
    (root / "templates").mkdir()
    (root / "templates" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    (root / "forms").mkdir()
    (root / "forms" / "export.csv").write_text("Name,Email\nJo O'Neill,x@y.org\n", "utf-8")
    (root / "README.md").symlink_to(root / "judges.yaml")
    found = person(root, "Dr Jo O'Neill")
    assert {(n["path"]) for n in found["not_searched"]} == {"templates/logo.png", "README.md"}
    assert ("forms/export.csv", 2, None) in places(found)


@pytest.mark.parametrize("query", ["", "   ", "@", "@ @", "a@b", "!! ?"])
def test_a_query_with_nothing_to_look_for(people: Path, query: str) -> None:
    result = run_cli(["person", query, "-p", people])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"qsi: '{query}' is not a name, an e-mail address or a "
                                    "GitHub handle qsi can look for")


def test_hostile_queries_give_no_traceback(people: Path) -> None:
    for query in ["\x1b[2J", "(" * 500, "Jo" * 10_000, ".*", "[a-", "\\", "O'"]:
        result = run_cli(["person", query, "-p", people])
        assert result.exit_code in (0, 2), result.output
        assert "\x1b" not in result.stdout


def test_a_name_hidden_by_yaml_escapes_is_found(tmp_path: Path) -> None:
    """A double-quoted value with escapes ("Jo O\\u2019Neill") shows the name only once
    it is read: found at the line the value starts on."""
    root = apply_overlay(PRIVACY, copy_base(tmp_path / "programme"))
    entry = root / "entries" / "patient-panel.md"
    entry.write_text(entry.read_text("utf-8").replace(
        "submitted: 2020-01-15", 'team: ["J\\u006f O\\u2019Neill"]\nsubmitted: 2020-01-15'))
    found = person(root, "Dr Jo O'Neill")
    moved = ("entries/patient-panel.md", 16, "body (## Impact)")  # a line further down now
    assert places(found) == JO - {moved} | {("entries/patient-panel.md", 7, "team[0]"),
                                            ("entries/patient-panel.md", 17, moved[2])}
    mention = next(m for m in found["mentions"] if m["field"] == "team[0]")
    assert mention["text"] == "Jo O’Neill"
    assert [p["output"] for p in mention["published"]] == ["certificates"]  # no consent


def test_a_judges_ballot_file_in_a_later_round_is_searched() -> None:
    """The example's final: Sarah Thorne's ballot file (rounds/final/ballots/sthorne.yaml)
    names her in its comment and by ID, and holds the conflict she declared. Bug caught:
    rounds/ was not searched, so a subject access request missed her ballots."""
    document = person(REPO, "Sarah Thorne")
    found = [(m["path"], m["line"], m["field"], m["text"]) for m in document["mentions"]
             if m["path"].startswith("rounds/")]
    assert found == [("rounds/final/ballots/sthorne.yaml", 1, "a YAML comment", "Sarah Thorne"),
                     ("rounds/final/ballots/sthorne.yaml", 2, "judge", "sthorne")]
