"""qsi archive --out DIR: a finished edition without the personal data the retention
rules do not keep, from which `qsi tally` gives the same results, written only into a
new or empty folder, never touching the programme."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder import entry_text, scores, write_programme
from conftest import REPO, copy_base, copy_example, findings_of, run_cli
from qsi_awards.render.text import EMAIL_ANYWHERE

# the example programme: everything qsi reads, without the repository around it
PLACEHOLDER = "removed@example.invalid"


def hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def texts(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text("utf-8")
            for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in (".md", ".yaml")}


def tally(root: Path, *args: str) -> str:
    result = run_cli(["tally", "-p", root, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """The example programme, its archive, and the programme's file hashes before."""
    base = tmp_path_factory.mktemp("example")
    root = copy_example(base / "programme")
    before = hashes(root)
    result = run_cli(["archive", "-p", root, "--out", base / "archive", "--today", "2020-04-02"])
    assert result.exit_code == 0, result.output
    return root, base / "archive", before


def test_the_programme_is_never_changed(example: tuple[Path, Path, dict[str, str]]) -> None:
    root, _, before = example
    assert hashes(root) == before


def test_the_tally_is_the_same_from_the_archive(
        example: tuple[Path, Path, dict[str, str]]) -> None:
    root, archive, _ = example
    assert tally(archive) == tally(root)  # the ranked final: the panel's ballots
    assert tally(archive, "--round", "shortlisting") == tally(root, "--round", "shortlisting")
    assert tally(archive, "--round", "shortlisting", "--method", "zscore") == \
        tally(root, "--round", "shortlisting", "--method", "zscore")
    assert run_cli(["validate", "-p", archive, "--strict"]).exit_code == 0


def test_the_measures_data_is_copied_as_it_is(
        example: tuple[Path, Path, dict[str, str]]) -> None:
    # periods and values only: the charts of the archive are the programme's
    root, archive, _ = example
    csvs = sorted(p.relative_to(root).as_posix()
                  for p in [*root.glob("entries/*.csv"), *root.glob("*.csv")])
    assert "entries/falls-huddles.falls-rate.csv" in csvs
    for rel in csvs:
        assert (archive / rel).read_bytes() == (root / rel).read_bytes(), rel


def test_what_the_default_rules_keep(example: tuple[Path, Path, dict[str, str]]) -> None:
    _, archive, _ = example
    everything = "\n".join(texts(archive).values())
    # winners and highly commended that consented keep their names ...
    assert "Priya Shah" in everything  # falls-huddles: winner
    assert "Donna Whitfield" in everything  # discharge-lounge: highly commended
    # ... nobody else does: total-triage (no award, no consent), crisis-team-medicines
    # (highly commended, no consent)
    for name in ("Victoria Pryce", "Matthew Oakes", "Leah Fischer", "Tunde Bakare"):
        assert name not in everything, name
    # no e-mail address but the placeholder a lead's e-mail field must hold
    assert set(EMAIL_ANYWHERE.findall(everything)) == {PLACEHOLDER}
    # judges are judge-01 ... judge-13, in every file, and named nowhere
    assert sorted(p.name for p in (archive / "scores").iterdir()) == [
        f"judge-{n:02d}.yaml" for n in range(1, 14)]
    judges = yaml.safe_load((archive / "judges.yaml").read_text("utf-8"))["judges"]
    assert sorted(j["id"] for j in judges) == [f"judge-{n:02d}" for n in range(1, 14)]
    assert all("github" not in j for j in judges)
    # the final's panel (hmarsh, aharrow, sthorne, nadeyemi, mwhitlock) and its ballots
    # are pseudonymised too, by the judges' places in ID order (aharrow 01 ... tquigley 13)
    settings = yaml.safe_load((archive / "programme.yaml").read_text("utf-8"))
    assert settings["rounds"][1]["judges"] == [
        "judge-05", "judge-01", "judge-12", "judge-09", "judge-08"]
    assert sorted(p.name for p in (archive / "rounds" / "final" / "ballots").iterdir()) == [
        "judge-01.yaml", "judge-05.yaml", "judge-08.yaml", "judge-09.yaml", "judge-12.yaml"]
    ballots = yaml.safe_load(
        (archive / "rounds" / "final" / "ballots" / "judge-12.yaml").read_text("utf-8"))
    assert ballots["judge"] == "judge-12"
    assert ballots["ballots"]["safety-patients"]["conflicts"] == {
        "spot-sepsis-carers": "Conflict declared"}  # sthorne's reason is a judge's note
    assert "My mother" not in everything and "could not separate" not in everything
    for name in ("Helen Marsh", "hmarsh", "Dev Banerjee", "dev-banerjee"):
        assert name not in everything, name
    # handles and YAML comments are gone; organisations stay
    assert "kmqsi-lead" not in everything and "submitted_by" not in everything
    assert not any(line.lstrip().startswith("#")
                   for rel, text in texts(archive).items() if rel.endswith(".yaml")
                   for line in text.splitlines())
    assert "Maidstone and Tunbridge Wells NHS Trust" in everything
    assert (archive / "ARCHIVE.md").read_text("utf-8").startswith(
        "# Archive: Kent & Medway Quality, Safety & Improvement Awards 2020\n\nMade by `qsi "
        "archive` on 2 April 2020, after the ceremony")
    assert (archive / "templates" / "certificate.html").read_bytes() == \
        (REPO / "templates" / "certificate.html").read_bytes()
    assert not (archive / "PRIVACY.md").exists() and not (archive / "forms").exists()


def test_refused_before_the_edition_is_finished(base_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "archive"
    result = run_cli(["archive", "-p", base_copy, "--out", out, "--today", "2020-04-01"])
    assert result.exit_code == 1
    assert result.stderr == (
        "qsi: The edition is not finished: its ceremony is on 1 April 2020, so it can be "
        "archived from 2 April 2020. Nothing was written.\n")
    assert not out.exists()
    settings_file = base_copy / "programme.yaml"
    settings_file.write_text(settings_file.read_text("utf-8").replace(", kind: ceremony", ""))
    result = run_cli(["archive", "-p", base_copy, "--out", out, "--today", "2030-01-01"])
    assert result.exit_code == 1
    assert "has no milestone with kind: ceremony" in result.stderr
    assert not out.exists()


def test_out_is_checked_as_every_writer_checks_it(base_copy: Path, tmp_path: Path) -> None:
    before = hashes(base_copy)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", "utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "full")
    (tmp_path / "file").write_text("x", "utf-8")
    for out in (base_copy, base_copy / "entries", base_copy / "scores" / "new", tmp_path / "link",
                tmp_path / "file", tmp_path / "full", base_copy.parent):
        result = run_cli(["archive", "-p", base_copy, "--out", out, "--today", "2020-04-02"])
        assert result.exit_code == 2, (out, result.output)
        assert result.stderr.startswith("qsi: --out ")
    assert hashes(base_copy) == before
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]


def test_a_folder_an_interrupted_run_left_is_cleared(base_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "archive"
    (out / ".qsi-archive-0123456789ab" / "entries").mkdir(parents=True)
    result = run_cli(["archive", "-p", base_copy, "--out", out, "--today", "2020-04-02"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "ARCHIVE.md", "categories.yaml", "decisions.yaml", "entries", "judges.yaml",
        "programme.yaml", "scores"]


def set_rules(root: Path, **rules: str) -> None:
    path = root / "programme.yaml"
    path.write_text(path.read_text("utf-8") + "retention:\n" + "".join(
        f"  {key}: {value}\n" for key, value in rules.items()), "utf-8")


def archived(root: Path, out: Path, **rules: str) -> str:
    set_rules(root, **rules)
    result = run_cli(["archive", "-p", root, "--out", out, "--today", "2020-04-02",
                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert tally(out) == tally(root)
    return "\n".join(texts(out).values())


def test_keeping_everything(base_copy: Path, tmp_path: Path) -> None:
    kept = archived(base_copy, tmp_path / "out", entrant_names="keep", contact_details="keep",
                    handles="keep", judges="keep", judges_notes="keep")
    for text in ("Sam Lee", "sam.lee@example.nhs.uk", "pshah", "Alex Judge", "judge: ajudge",
                 'comment: "Good."', "Sits on the practice's patient group", "lead-handle"):
        assert text in kept, text


def test_dropping_every_name(base_copy: Path, tmp_path: Path) -> None:
    kept = archived(base_copy, tmp_path / "out", entrant_names="drop")
    for text in ("Priya Shah", "Tom Clarke", "Sam Lee", "Practice Nurse", "Good.",
                 "Sits on the practice"):
        assert text not in kept, text
    assert 'conflict: "Conflict declared"' in kept


def test_a_private_comment_goes_with_the_comments(base_copy: Path, tmp_path: Path) -> None:
    other = copy_base(tmp_path / "other")
    for root in (base_copy, other):
        sheet = root / "scores" / "ajudge.yaml"
        sheet.write_text(sheet.read_text("utf-8").replace(
            "comment: Good.\n", "comment: Good.\n    private_comment: Knows Qzfriend.\n"),
            "utf-8")
        assert "Qzfriend" in sheet.read_text("utf-8")
    assert "Qzfriend" not in archived(base_copy, tmp_path / "out", judges_notes="drop")
    assert "Qzfriend" in archived(other, tmp_path / "kept", judges_notes="keep")


def test_with_consent_keeps_names_whatever_the_award(base_copy: Path, tmp_path: Path) -> None:
    kept = archived(base_copy, tmp_path / "out", entrant_names="with-consent")
    assert "Priya Shah" in kept and "Sam Lee" not in kept  # patient-panel did not consent


def test_the_report(base_copy: Path, tmp_path: Path) -> None:
    result = run_cli(["archive", "-p", base_copy, "--out", tmp_path / "out", "--today",
                      "2020-04-02", "--format", "json"])
    document = json.loads(result.stdout)
    assert document["names_kept"] == ["falls-huddles"]
    # patient-panel's lead's name; both leads' e-mail addresses; the maintainer's, pshah's,
    # ajudge's and bjudge's handles; four judges; ajudge's comment and bjudge's reason
    assert document["removed"] == {"names": 1, "e-mail addresses": 2, "phone numbers": 0,
                                   "GitHub handles": 4, "adoption contacts": 0,
                                   "judges pseudonymised": 4, "judges' notes": 2}
    text = run_cli(["archive", "-p", base_copy, "--out", tmp_path / "text", "--today",
                    "2020-04-02"]).stdout
    assert "Names kept for 1 entry. Taken out (names, addresses, numbers and handles counted " \
           "where they were): 1 names, 2 e-mail addresses, 4 GitHub handles, 4 judges " \
           "pseudonymised, 2 judges' notes." in text


def test_retention_rules_are_validated(base_copy: Path) -> None:
    set_rules(base_copy, entrant_names="everyone", judge="keep")
    found = findings_of(run_cli(["validate", "-p", base_copy, "--format", "json"]).stdout)
    codes = {(f["code"], f["line"]) for f in found["findings"]}
    lines = (base_copy / "programme.yaml").read_text("utf-8").splitlines()
    at = lines.index("retention:") + 1
    assert codes == {("bad-choice", at + 1), ("unknown-field", at + 2)}


# Property: any text, any rules -----------------------------------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8)
EMAILS = st.builds(lambda a, b: f"{a}.{b}@example.nhs.uk", WORD, WORD)
PHONES = st.sampled_from(["01622 224000", "07700 900123", "+44 (0)20 7946 0958"])
PIECE = st.one_of(WORD, EMAILS, PHONES, st.sampled_from(["Jo O'Neill", "@jo-oneill", "Ana Bell"]))
TEXT = st.lists(PIECE, min_size=1, max_size=6).map(" ".join)
RULES = st.fixed_dictionaries({
    "entrant_names": st.sampled_from(["keep", "with-consent", "awarded-with-consent", "drop"]),
    "contact_details": st.sampled_from(["drop", "keep"]),
    "handles": st.sampled_from(["drop", "keep"]),
    "judges": st.sampled_from(["pseudonymise", "keep"]),
    "judges_notes": st.sampled_from(["drop", "keep"])})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(summaries=st.lists(TEXT, min_size=3, max_size=3), notes=TEXT, points=st.lists(
    st.integers(0, 10), min_size=6, max_size=6), consent=st.lists(st.booleans(), min_size=3,
                                                                  max_size=3), rules=RULES)
def test_the_archive_keeps_no_e_mail_and_the_same_tally(
        tmp_path_factory: pytest.TempPathFactory, summaries: list[str], notes: str,
        points: list[int], consent: list[bool], rules: dict[str, str]) -> None:
    root = tmp_path_factory.mktemp("property") / "programme"
    ids = ["e1", "e2", "e3"]
    entries = {e: {"title": f"Project {e}", "category": "cat-a", "organisation": f"Org {e}",
                   "care_setting": "primary",
                   "lead": {"name": "Jo O'Neill" if e == "e1" else f"Lead {e.upper()} Person",
                            "email": f"{e}@example.nhs.uk"},
                   "team": ["Ana Bell <ana.bell@example.org>"], "submitted_by": "jo-oneill",
                   "submitted": "2020-01-15", "consent_to_publish": given_consent,
                   "summary": summary}
               for e, summary, given_consent in zip(ids, summaries, consent, strict=True)}
    sheets = {"j1": {e: scores(points[i], points[i + 3], comment=notes)
                     for i, e in enumerate(ids)},
              "j2": {e: scores(points[i + 3], points[i]) for i, e in enumerate(ids)}}
    write_programme(root, entries=entries, sheets=sheets,
                    judges=[{"id": "j1", "name": "Jo O'Neill", "organisation": "Panel",
                             "github": "jo-oneill"},
                            {"id": "j2", "name": "Kit Lane", "organisation": "Panel"}],
                    adoption=[{"entry": "e1", "organisation": "Elsewhere", "stage": "adopted",
                               "date": "2020-06-01", "contact": "Ana Bell", "notes": notes}])
    for e in ids:
        (root / "entries" / f"{e}.md").write_text(entry_text(
            entries[e], f"## Notes\n{notes}\n"), "utf-8")
    set_rules(root, **rules)
    before = hashes(root)
    out = root.parent / "archive"
    result = run_cli(["archive", "-p", root, "--out", out, "--today", "2020-04-02"])
    assert result.exit_code == 0, result.output
    assert hashes(root) == before
    assert tally(out) == tally(root)
    everything = "\n".join(texts(out).values())
    if rules["contact_details"] == "drop":
        assert set(EMAIL_ANYWHERE.findall(everything)) <= {PLACEHOLDER}
        assert not re.search(r"\d{4} ?\d{6}|900123|7946", everything)
    if rules["handles"] == "drop":
        assert "@jo-oneill" not in everything and "jo-oneill" not in everything.split()
    if rules["judges"] == "pseudonymise":
        assert "Kit Lane" not in everything and "j1" not in everything.split()


def test_hostile_text_is_archived_as_it_reads(base_copy: Path, tmp_path: Path) -> None:
    """Escaped control and bidirectional characters, a name across a line break and a
    value that YAML would read as something else all come back the same from the
    archive; the contact details in them go."""
    entry = base_copy / "entries" / "falls-huddles.md"
    entry.write_text(entry.read_text("utf-8").replace(
        "team: [Tom Clarke]", 'team: ["Tom \\u202eClarke", "no", "010"]').replace(
        "summary: Daily huddles cut falls in half.",
        'summary: "Daily \\e[31m huddles; call\\n01622 224000 or mail a@b.org."'))
    out = tmp_path / "out"
    result = run_cli(["archive", "-p", base_copy, "--out", out, "--today", "2020-04-02"])
    assert result.exit_code == 0, result.output
    assert tally(out) == tally(base_copy)
    front = (out / "entries" / "falls-huddles.md").read_text("utf-8")
    assert 'team:\n  - "Tom \\u202eClarke"\n  - "no"\n  - "010"\n' in front
    assert 'summary: "Daily \\e[31m huddles; call\\n[phone] or mail [e-mail]."\n' in front


def test_judges_e_mail_addresses_go_with_the_contact_details(base_copy: Path,
                                                             tmp_path: Path) -> None:
    """A judge's `email:` (where their letters go) is a contact detail like any other."""
    judges = base_copy / "judges.yaml"
    judges.write_text(judges.read_text("utf-8").replace(
        "    github: ajudge\n", "    github: ajudge\n    email: alex.judge@example.nhs.uk\n", 1),
        "utf-8")
    dropped = archived(base_copy, tmp_path / "dropped", contact_details="drop")
    assert "alex.judge@example.nhs.uk" not in dropped and "Alex Judge" not in dropped
    settings = base_copy / "programme.yaml"
    settings.write_text(settings.read_text("utf-8").replace(
        "contact_details: drop", "contact_details: keep"), "utf-8")
    result = run_cli(["archive", "-p", base_copy, "--out", tmp_path / "kept", "--today",
                      "2020-04-02"])
    assert result.exit_code == 0, result.output
    assert "alex.judge@example.nhs.uk" in "\n".join(texts(tmp_path / "kept").values())
