"""The map of where qsi publishes personal data (privacy/where.py) is what the outputs
really hold: every output is rendered for a programme whose every personal field holds
a marker word of its own, and the files each marker is found in are the files the map
names, no more and no fewer, for entries with and without consent, at every award
level, and for a judge's recusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder import entry_text, scores, write_programme
from conftest import run_cli
from qsi_awards.privacy.where import Subject, published, subjects
from qsi_awards.programme import open_programme
from render_support import pdf_text, render

# entry -> (category, consent): the scores below give the awards in AWARDS
ENTRIES = {"win": ("cat-a", True), "hc": ("cat-a", False), "short": ("cat-a", True),
           "out": ("cat-a", True), "bwin": ("cat-b", False), "bout": ("cat-b", False)}
AWARDS = {"win": "winner", "hc": "highly_commended", "short": "shortlisted", "out": None,
          "bwin": "winner", "bout": "shortlisted"}  # the decision names no highly commended
POINTS = {"win": 9, "hc": 8, "short": 7, "out": 6, "bwin": 9, "bout": 5}
JUDGES = {"j1": "Alpha Jnameone", "j2": "Beta Jnametwo", "j3": "Gamma Jnamethree"}
# an entry field -> the marker it holds for entry E (a word no other field holds)
FIELDS = {"entry.title": "Tmark{e}", "entry.organisation": "Omark{e}",
          "entry.lead.name": "Lmark{e}", "entry.lead.role": "Rmark{e}",
          "entry.lead.email": "mail{e}", "entry.team": "Xmark{e}",
          "entry.submitted_by": "hmark{e}", "entry.summary": "Smark{e}",
          "entry.body": "Bmark{e}"}


def meta(e: str) -> dict[str, object]:
    category, consent = ENTRIES[e]
    return {"title": f"Title Tmark{e}", "category": category,
            "organisation": f"Org Omark{e}", "care_setting": "primary",
            "lead": {"name": f"Lead Lmark{e}", "role": f"Role Rmark{e}",
                     "email": f"mail{e}@example.nhs.uk"},
            "team": [f"Team Xmark{e}"], "submitted_by": f"hmark{e}",
            "submitted": "2020-01-15", "consent_to_publish": consent,
            "summary": f"Summary Smark{e}."}


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("where") / "programme"
    sheets: dict[str, dict[str, object]] = {"j1": {}, "j2": {}, "j3": {}}
    for e, points in POINTS.items():
        for judge in ("j1", "j2"):
            extra = ({"comment": "Cmarkone", "private_comment": "Pmarkone"}
                     if (judge, e) == ("j1", "win") else {})
            sheets[judge][e] = scores(points, points, **extra)
    sheets["j3"]["hc"] = {"conflict": "Knows the team Kmark"}  # recused: in j3's workbook only
    write_programme(
        root,
        judging={"shortlist_size": 3, "highly_commended": 1},
        categories=[{"id": "cat-a", "title": "Category A", "theme": "safety"},
                    {"id": "cat-b", "title": "Category B", "theme": "qi"}],
        judges=[{"id": j, "name": name, "organisation": f"Panel {j}", "github": f"gh{j}mark",
                 "email": f"jmail{j}@example.nhs.uk"} for j, name in JUDGES.items()],
        entries={e: meta(e) for e in ENTRIES}, sheets=sheets,
        decisions=[{"category": "cat-b", "winner": "bwin", "reason": "Reason Dmark"}],
        adoption=[{"entry": e, "organisation": f"Adopter of {e}", "stage": "interested",
                   "date": "2020-05-01", "contact": f"Contact Amark{e}",
                   "notes": f"Notes Nmark{e}"} for e in ("win", "hc")],
        extra_settings={"maintainers": ["mntmark"], "email": "awards@example.nhs.uk"})
    for e in ENTRIES:
        (root / "entries" / f"{e}.md").write_text(entry_text(
            meta(e), f"## Challenge\nBody Bmark{e}.\n\n## Impact\nIt got better.\n"), "utf-8")
    assert run_cli(["validate", "-p", root]).exit_code == 0
    return root


@pytest.fixture(scope="module")
def outputs(programme: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[tuple[str, str], str]:
    """(output, file) -> its text, for every output qsi makes of the programme."""
    out = tmp_path_factory.mktemp("outputs")
    found: dict[tuple[str, str], str] = {}
    for kind in ("shortlist", "certificates", "announcement", "site", "packs", "workbooks",
                 "feedback"):
        render(kind, programme, out / kind)
        for path in sorted((out / kind).rglob("*")):
            rel = path.relative_to(out / kind).as_posix()
            if not path.is_file() or rel.startswith("."):
                continue
            output = "references" if rel == "CONFIDENTIAL_references.csv" else kind
            found[(output, rel)] = _text(path)
    # the letters (after the release: today is years after the example's ceremony), as
    # messages and as the mail-merge file
    render("letters", programme, out / "letters")
    assert run_cli(["render", "letters", "-p", programme, "--out", out / "merge",
                    "--format", "csv"]).exit_code == 0
    for path in sorted((out / "letters").rglob("*.eml")):
        found[("letters", path.relative_to(out / "letters").as_posix())] = _text(path)
    found[("letters", "letters.csv")] = (out / "merge" / "letters.csv").read_text("utf-8")
    found[("codeowners", ".github/CODEOWNERS")] = run_cli(["codeowners", "-p", programme]).stdout
    for command, args in (("qsi tally", ["tally", "--format", "json"]),
                          ("qsi status", ["status", "--format", "json"]),
                          ("qsi adoption", ["adoption", "--format", "json"])):
        found[("reports", command)] = run_cli([*args, "-p", programme]).stdout
    return found


def _text(path: Path) -> str:
    if path.suffix == ".eml":  # its headers and its parts, decoded
        from email import policy
        from email.parser import BytesParser

        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        return " ".join([*(str(value) for _, value in message.items()),
                         *(str(part.get_content()) for part in message.walk()
                           if not part.is_multipart())])
    if path.suffix == ".pdf":
        return pdf_text(path)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        return " ".join(str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows()
                        for cell in row if cell.value is not None)
    return path.read_text("utf-8")


def holding(outputs: dict[tuple[str, str], str], marker: str) -> set[tuple[str, str]]:
    return {place for place, text in outputs.items() if marker.casefold() in text.casefold()}


def mapped(field: str, subject: Subject) -> set[tuple[str, str]]:
    return {(item.output, name) for item in published(field, subject) for name in item.files}


@pytest.mark.slow
def test_every_entry_field_is_where_the_map_says(programme: Path,
                                                 outputs: dict[tuple[str, str], str]) -> None:
    prog = open_programme(programme)
    found = subjects(prog, prog.results())
    assert {e: found.entry(e).award for e in ENTRIES} == AWARDS
    for e in ENTRIES:
        for field, marker in FIELDS.items():
            expected = mapped(field, found.entry(e))
            actual = holding(outputs, marker.format(e=e))
            assert actual == expected, (e, field, actual - expected, expected - actual)


@pytest.mark.slow
def test_the_map_for_judges_and_the_other_files(programme: Path,
                                                outputs: dict[tuple[str, str], str]) -> None:
    prog = open_programme(programme)
    found = subjects(prog, prog.results())
    for judge, name in JUDGES.items():
        marker = name.split()[1]
        assert holding(outputs, marker) == mapped("judge.name", found.judge(judge)), judge
        assert holding(outputs, f"gh{judge}mark") == mapped("judge.github", found.judge(judge))
        assert holding(outputs, f"jmail{judge}@") == mapped("judge.email", found.judge(judge))
    # j3 recused from their one entry, so has nothing to judge and no letter
    assert holding(outputs, "jmailj3@") == set()
    assert holding(outputs, "Cmarkone") == mapped("sheet.comment", found.judge("j1")) == {
        ("workbooks", "j1.xlsx"), ("feedback", "win.html"), ("feedback", "win.pdf")}
    # a private comment stays in the judge's own workbook
    assert holding(outputs, "Pmarkone") == mapped("sheet.notes", found.judge("j1")) == {
        ("workbooks", "j1.xlsx")}
    assert holding(outputs, "Kmark") == mapped("sheet.notes", found.judge("j3")) == {
        ("workbooks", "j3.xlsx")}
    for e in ("win", "hc"):
        assert holding(outputs, f"Amark{e}") == mapped("adoption.contact", found.entry(e))
        assert holding(outputs, f"Nmark{e}") == mapped("adoption.notes", found.entry(e)), e
    assert holding(outputs, "Dmark") == mapped("decision.reason", Subject())
    assert holding(outputs, "mntmark") == mapped("programme.maintainers", Subject())


@pytest.mark.slow
def test_hand_checked_places(outputs: dict[tuple[str, str], str]) -> None:
    """A few places written out by hand, from the render modules and templates."""
    # a lead's e-mail address is in no output but the letter to them (and the mail merge)
    for e in ENTRIES:
        assert holding(outputs, f"mail{e}@") == {("letters", f"entries/{e}.eml"),
                                                 ("letters", "letters.csv")}
    # without consent, a highly commended entry's team is only on its certificate
    assert holding(outputs, "Xmarkhc") == {("certificates", "cat-a/hc-highly-commended.pdf")}
    # its summary reaches only the packs of the judges who did not recuse
    assert holding(outputs, "Smarkhc") == {("packs", "j1.html"), ("packs", "j1.pdf"),
                                           ("packs", "j2.html"), ("packs", "j2.pdf")}
    # a consenting entry that was not shortlisted is on the site only, and judged, and
    # in its own letter
    assert {output for output, _ in holding(outputs, "Tmarkout")} == {
        "site", "packs", "workbooks", "references", "reports", "feedback", "letters"}
    json.loads(outputs[("reports", "qsi tally")])  # the reports are what they claim to be
