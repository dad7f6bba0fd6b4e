"""`qsi render letters` and `qsi remind` (issue 15 §2): a message per entry by its outcome
and per judge, as .eml files read back by Python's mail parser (email.parser with
policy.default), or one mail-merge CSV; reminders to the judges with judging to do."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from builder import entry_meta, scores, write_programme
from conftest import run_cli
from render_support import files_under, need

BEFORE, AFTER = "2020-03-15", "2020-04-02"  # the release is the ceremony, 1 April 2020
JUDGING, THANKS = "2020-02-15", "2020-03-02"  # judging closes on 1 March 2020
TITLES = {"a1": "Project Ä1 – safer nights", "a2": "Better handover", "a3": "Clean hands",
          "a4": "Anchor <script>alert(1)</script> project", "a5": "=HYPERLINK(\"http://x.invalid\")"}
# the tally, by hand: shortlist 3, one highly commended; a6 was withdrawn and a7
# disqualified, and neither was judged (in the tally they are not shortlisted)
OUTCOMES = {"a1": "winner", "a2": "highly-commended", "a3": "shortlisted",
            "a4": "not-shortlisted", "a5": "not-shortlisted", "a6": "withdrawn",
            "a7": "ineligible"}
SUBJECTS = {
    "winner": "Test Awards 2020: your entry has won Category A",
    "highly-commended": "Test Awards 2020: your entry is highly commended",
    "shortlisted": "Test Awards 2020: your entry was shortlisted",
    "not-shortlisted": "Test Awards 2020: thank you for your entry",
    "withdrawn": "Test Awards 2020: your entry has been withdrawn",
    "ineligible": "Test Awards 2020: your entry could not be accepted",
}
REASON = "The project started after the submission deadline."


def make(root: Path, *, email: bool = True, judge_emails: bool = True) -> Path:
    entries: dict[str, dict[str, Any]] = {
        e: entry_meta(e, "cat-a", title=t) for e, t in TITLES.items()}
    entries["a1"]["lead"] = {"name": 'Jo O\'Neill, "JJ"', "email": "jo.oneill@example.nhs.uk"}
    entries["a6"] = entry_meta("a6", "cat-a", title="Withdrawn work",
                               withdrawn={"date": "2020-02-10", "reason": "The team asked."})
    entries["a7"] = entry_meta("a7", "cat-a", title="Late work",
                               disqualified={"date": "2020-02-11", "reason": REASON})
    marks = {"a1": 9, "a2": 8, "a3": 7, "a4": 4, "a5": 3}
    sheets: dict[str, dict[str, Any]] = {
        "j1": {e: scores(m, m) for e, m in marks.items()},
        "j2": {e: scores(m, m) for e, m in marks.items()}}
    sheets["j2"]["a4"] = scores(None, 4)  # j2 has one judgement to do
    judges = [{"id": "j1", "name": "Jo Judge", "organisation": "X"},
              {"id": "j2", "name": "Sam Søren", "organisation": "Y"},
              {"id": "j3", "name": "Unassigned Judge", "organisation": "Z"}]
    if judge_emails:
        for judge in judges:
            judge["email"] = f"{judge['id']}@example.nhs.uk"
    extra: dict[str, Any] = {"timeline": [
        {"id": "deadline", "title": "Deadline", "date": "2020-02-01",
         "kind": "submission_deadline"},
        {"id": "judging", "title": "Judging closes", "date": "2020-03-01",
         "kind": "judging_deadline"},
        {"id": "ceremony", "title": "Ceremony", "date": "2020-04-01", "kind": "ceremony"}]}
    if email:
        extra["email"] = "awards@example.nhs.uk"
    write_programme(root, entries=entries, sheets=sheets, judges=judges,
                    judging={"shortlist_size": 3, "highly_commended": 1},
                    extra_settings=extra)
    return root


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("letters") / "programme")


def letters(programme: Path, out: Path, *args: str | Path, expect: int = 0) -> Any:
    result = run_cli(["render", "letters", "-p", programme, "--out", out, *args])
    assert result.exit_code == expect, result.stdout + result.stderr
    return result


def with_addresses(root: Path) -> Path:
    """The programme with an e-mail address for itself and for every judge."""
    import yaml

    panel = yaml.safe_load((root / "judges.yaml").read_text("utf-8"))
    for judge in panel["judges"]:
        judge["email"] = f"{judge['id']}@example.nhs.uk"
    (root / "judges.yaml").write_text(yaml.safe_dump(panel), "utf-8")
    with (root / "programme.yaml").open("a", encoding="utf-8") as settings:
        settings.write("email: awards@example.nhs.uk\n")
    return root


def read(path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML parts, which every message has, in UTF-8 (with the
    message's CRLF line ends as \n)."""
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content_charset() == html.get_content_charset() == "utf-8"
    assert message.get_content_type() in ("multipart/alternative", "multipart/mixed")
    return (plain.get_content().replace("\r\n", "\n"),
            html.get_content().replace("\r\n", "\n"))


def test_a_letter_for_every_entry_by_its_outcome(programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = letters(programme, out, "--today", AFTER)
    assert "qsi send" in result.stdout and "--dry-run" in result.stdout
    assert files_under(out) == {f"entries/a{n}.eml" for n in range(1, 8)} | {
        "judges/j1.eml", "judges/j2.eml"}
    for entry_id, outcome in OUTCOMES.items():
        message = read(out / "entries" / f"{entry_id}.eml")
        assert not message.defects
        assert message["Subject"] == SUBJECTS[outcome], entry_id
        assert message["From"] == "Test Awards <awards@example.nhs.uk>"
        [to] = message["To"].addresses
        lead = "jo.oneill@example.nhs.uk" if entry_id == "a1" else f"{entry_id}@example.nhs.uk"
        assert to.addr_spec == lead
        assert message["Message-ID"].endswith("@example.nhs.uk>")
        plain, html = parts(message)
        title = TITLES.get(entry_id) or {"a6": "Withdrawn work", "a7": "Late work"}[entry_id]
        assert f'"{title}"' in plain
        assert "Dear " in plain and "Dear " in html
    a1 = read(out / "entries" / "a1.eml")
    assert a1["To"].addresses[0].display_name == 'Jo O\'Neill, "JJ"'
    assert a1["Date"] == "Wed, 01 Apr 2020 09:00:00 +0000"  # the release, not the clock
    plain, html = parts(a1)
    assert "Project Ä1 – safer nights" in plain and "Project Ä1 – safer nights" in html
    plain, html = parts(read(out / "entries" / "a4.eml"))
    assert TITLES["a4"] in plain  # the plain text is as written; the HTML escapes it
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    a7 = read(out / "entries" / "a7.eml")
    assert REASON in parts(a7)[0]
    assert a7["Date"] == "Tue, 11 Feb 2020 09:00:00 +0000"  # when it was disqualified
    # every body part is 7-bit clean, so any mail server takes it
    for path in out.rglob("*.eml"):
        assert max(path.read_bytes()) < 128


def test_withdrawn_and_disqualified_come_before_the_tally(programme: Path,
                                                          tmp_path: Path) -> None:
    """a6 and a7 are in the tally without an award; their letters are the withdrawn and
    the ineligible one, not the 'not shortlisted' one."""
    out = tmp_path / "out"
    letters(programme, out, "--today", AFTER, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO((out / "letters.csv").read_text("utf-8"))))
    outcomes = {r["entry"]: r["outcome"] for r in rows if r["entry"]}
    assert outcomes == {"a1": "Winner", "a2": "Highly commended", "a3": "Shortlisted",
                        "a4": "Not shortlisted", "a5": "Not shortlisted", "a6": "Withdrawn",
                        "a7": "Ineligible"}


def test_a_render_again_is_byte_identical(programme: Path, tmp_path: Path) -> None:
    letters(programme, tmp_path / "one", "--today", AFTER)
    letters(programme, tmp_path / "two", "--today", "2020-06-30")
    names = files_under(tmp_path / "one")
    assert names == files_under(tmp_path / "two")
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    ids = [read(tmp_path / "one" / name)["Message-ID"] for name in sorted(names)]
    assert len(set(ids)) == len(ids)


def test_embargo_outcomes_wait_for_the_release(programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "before"
    result = letters(programme, out, "--today", BEFORE)
    # the withdrawn and ineligible letters say nothing of the results
    assert {n for n in files_under(out) if n.startswith("entries/")} == {
        "entries/a6.eml", "entries/a7.eml"}
    assert "5 letters that tell entries their outcome are not written" in result.stderr
    assert "--confidential" in result.stderr
    out = tmp_path / "confidential"
    letters(programme, out, "--today", BEFORE, "--confidential")
    a1 = read(out / "entries" / "a1.eml")
    assert a1["X-QSI-Embargoed-Until"] == "2020-04-01"
    assert a1["Subject"] == "[Confidential] " + SUBJECTS["winner"]
    plain, html = parts(a1)
    assert plain.startswith("CONFIDENTIAL — EMBARGOED UNTIL 1 APRIL 2020")
    assert "CONFIDENTIAL — EMBARGOED UNTIL 1 APRIL 2020" in html
    assert read(out / "entries" / "a6.eml")["X-QSI-Embargoed-Until"] is None


def test_judges_are_invited_then_thanked(programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = letters(programme, out, "--today", JUDGING)
    assert {n for n in files_under(out) if n.startswith("judges/")} == {
        "judges/j1.eml", "judges/j2.eml"}
    assert "invitations with their assignments until 1 March 2020" in result.stderr
    assert "1 judge(s) on the panel have no entries" in result.stderr  # j3
    j2 = read(out / "judges" / "j2.eml")
    invitation = j2["Message-ID"]
    assert j2["Subject"] == "Test Awards 2020: your judging, by 1 March 2020"
    assert j2["To"].addresses[0].display_name == "Sam Søren"
    plain, _ = parts(j2)
    assert "You score 5 entries, in Category A" in plain
    assert "Jo O'Neill" not in plain and "Project Ä1" not in plain  # no entrant in it
    # after the deadline, the invitations give way to thank-you letters
    result = letters(programme, out, "--today", THANKS)
    assert {n for n in files_under(out) if n.startswith("judges/")} == {
        "judges/j1.eml", "judges/j2.eml"}
    assert "thank-you letters: judging closed on 1 March 2020" in result.stderr
    assert read(out / "judges" / "j2.eml")["Message-ID"] != invitation  # a new message
    j1 = read(out / "judges" / "j1.eml")
    assert j1["Date"] == "Mon, 02 Mar 2020 09:00:00 +0000"
    assert "You read and judged 5 entries" in parts(j1)[0]


def test_feedback_reports_are_attached(programme: Path, tmp_path: Path) -> None:
    need("pdftotext")
    from weasyprint import HTML

    feedback = tmp_path / "feedback"
    feedback.mkdir()
    pdf = HTML(string="<p>Feedback for entry a3</p>").write_pdf()
    assert pdf is not None
    (feedback / "a3.pdf").write_bytes(pdf)
    (feedback / "a3.html").write_text("<p>Feedback</p>", "utf-8")
    out = tmp_path / "out"
    letters(programme, out, "--today", AFTER, "--feedback", feedback)
    a3 = read(out / "entries" / "a3.eml")
    assert a3.get_content_type() == "multipart/mixed"
    [attachment] = list(a3.iter_attachments())
    assert attachment.get_filename() == "a3-feedback.pdf"
    assert attachment.get_content_type() == "application/pdf"
    data = attachment.get_content()
    assert data == pdf
    (tmp_path / "got.pdf").write_bytes(data)
    text = subprocess.run(["pdftotext", tmp_path / "got.pdf", "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Feedback for entry a3" in text
    assert "Your feedback report is attached" in parts(a3)[0]
    a2 = read(out / "entries" / "a2.eml")
    assert list(a2.iter_attachments()) == []
    assert "feedback report" not in parts(a2)[0]
    missing = letters(programme, tmp_path / "x", "--feedback", tmp_path / "nowhere", expect=2)
    assert "--feedback" in missing.stderr


def test_mail_merge_csv(programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    letters(programme, out, "--today", AFTER, "--format", "csv")
    assert files_under(out) == {"letters.csv"}
    rows = list(csv.DictReader(io.StringIO((out / "letters.csv").read_text("utf-8"))))
    assert len(rows) == 9  # seven entries, two judges
    by_file = {r["file"]: r for r in rows}
    a1 = by_file["entries/a1.eml"]
    assert (a1["to_email"], a1["subject"], a1["date"]) == (
        "jo.oneill@example.nhs.uk", SUBJECTS["winner"], "2020-04-01")
    assert "is the winner of Category A" in a1["text"]
    # a title a spreadsheet would run as a formula stays text
    assert by_file["entries/a5.eml"]["title"] == "'" + TITLES["a5"]
    assert by_file["judges/j2.eml"]["to_email"] == "j2@example.nhs.uk"


def test_templates_can_be_overridden_and_are_sandboxed(tmp_path: Path) -> None:
    root = make(tmp_path / "programme")
    (root / "templates").mkdir()
    (root / "templates" / "letter-winner.txt").write_text(
        "Subject: Well done, {{ entry.title }}\n\nYou won, {{ entry.lead_name }}.\n", "utf-8")
    out = tmp_path / "out"
    letters(root, out, "--today", AFTER)
    a1 = read(out / "entries" / "a1.eml")
    assert a1["Subject"] == "Well done, Project Ä1 – safer nights"
    assert parts(a1)[0] == "You won, Jo O'Neill, \"JJ\".\n"
    (root / "templates" / "letter-winner.txt").write_text("Hello\n", "utf-8")
    result = letters(root, tmp_path / "o2", "--today", AFTER, expect=1)
    assert "templates/letter-winner.txt" in result.stderr and "Subject:" in result.stderr
    (root / "templates" / "letter-winner.txt").write_text(
        "Subject: x\n\n{{ entry.__class__.__mro__ }}\n", "utf-8")
    result = letters(root, tmp_path / "o3", "--today", AFTER, expect=1)
    assert "templates/letter-winner.txt" in result.stderr
    assert not (tmp_path / "o3" / "entries").exists()


def test_missing_addresses(tmp_path: Path) -> None:
    root = make(tmp_path / "programme", email=False, judge_emails=False)
    result = letters(root, tmp_path / "out", "--today", AFTER, expect=1)
    assert "programme.yaml has no e-mail address" in result.stderr
    (root / "programme.yaml").write_text(
        (root / "programme.yaml").read_text("utf-8") + "email: awards@example.nhs.uk\n",
        "utf-8")
    result = letters(root, tmp_path / "out", "--today", AFTER)
    assert "No e-mail address in judges.yaml for j1, j2" in result.stderr
    assert not (tmp_path / "out" / "judges").exists()


def test_remind_lists_outstanding_judgements(programme: Path, tmp_path: Path) -> None:
    result = run_cli(["remind", "-p", programme, "--today", "2020-02-20"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Test Awards 2020, as on 20 February 2020\n"
                                    "Deadline: 1 March 2020 (in 10 days)\n")
    assert "j2  Sam Søren: 1 of 5 to do" in result.stdout
    assert "j1" not in result.stdout.split("Deadline")[1]
    result = run_cli(["remind", "-p", programme, "--today", "2020-02-20", "--format", "json",
                      "--out", tmp_path / "reminders"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["deadline"] == "2020-03-01" and document["days"] == 10
    assert document["judges"] == [{"id": "j2", "name": "Sam Søren", "assigned": 5,
                                   "complete": 4, "outstanding": 1}]
    assert files_under(tmp_path / "reminders") == {"j2.eml"}
    reminder = read(tmp_path / "reminders" / "j2.eml")
    assert reminder["To"].addresses[0].addr_spec == "j2@example.nhs.uk"
    assert reminder["Subject"] == "Test Awards 2020: 1 judgement still to do by 1 March 2020"
    assert reminder["Date"] == "Thu, 20 Feb 2020 09:00:00 +0000"
    assert "10 days from now" in parts(reminder)[0]
    # another day's reminder is another message; the same day's is the same one
    again = tmp_path / "again"
    run_cli(["remind", "-p", programme, "--today", "2020-02-20", "--out", again])
    assert (again / "j2.eml").read_bytes() == (tmp_path / "reminders" / "j2.eml").read_bytes()
    later = tmp_path / "later"
    run_cli(["remind", "-p", programme, "--today", "2020-02-27", "--out", later])
    assert read(later / "j2.eml")["Message-ID"] != reminder["Message-ID"]


def test_judges_letters_follow_the_rounds(tmp_path: Path) -> None:
    """With rounds, a judge's letter is for the current round: its own panel, its
    deadline, and in a ranked round the finalists to rank."""
    from test_rounds import two_rounds

    root = with_addresses(two_rounds(tmp_path))
    out = tmp_path / "out"
    letters(root, out, "--today", "2020-02-10")
    assert files_under(out) == {"judges/j1.eml", "judges/j4.eml"}
    plain, _ = parts(read(out / "judges" / "j4.eml"))
    assert "In Shortlisting, you score 4 entries, in Category A" in plain
    assert read(out / "judges" / "j4.eml")["Subject"] == \
        "Test Awards 2020: your judging, by 15 February 2020"
    letters(root, out, "--today", "2020-02-20")
    assert files_under(out) == {"judges/j1.eml", "judges/j2.eml", "judges/j3.eml"}
    plain, _ = parts(read(out / "judges" / "j2.eml"))
    assert "In Final panel, you rank the finalists of Category A: 3 entries in all." in plain
    assert "by 1 March 2020" in plain
