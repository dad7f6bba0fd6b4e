"""qsi new entry: entries/<slug>.md with every field and section, ready to fill in."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

from conftest import BASE, copy_base, findings_of, installed_qsi_path, run_cli
from qsi_awards.fileio import create_atomic
from qsi_awards.load import ID_RE, WINDOWS_NAMES, split_front_matter, yamlparse
from qsi_awards.model import EntryFile
from qsi_awards.writes.new_entry import slugify, unique_slug


def front_matter(path: Path) -> dict[str, object]:
    split = split_front_matter(path.read_text("utf-8"))
    assert not isinstance(split, str)
    data, problems = yamlparse.parse(split[0])
    assert problems == [] and isinstance(data, dict)
    return data


def test_creates_a_complete_entry(base_copy: Path) -> None:
    result = run_cli(["new", "entry", "-p", base_copy, "--category", "qi-patients",
                      "--title", "Patients: co-designing café menus!", "--submitted-by",
                      "@amy-lee"])
    assert result.exit_code == 0, result.output
    path = base_copy / "entries" / "patients-co-designing-cafe-menus.md"
    assert result.stdout.startswith("Created entries/patients-co-designing-cafe-menus.md.")
    meta = front_matter(path)
    # every field, in the documented order, but `source:` (only imported entries have one)
    # and `measures:` (written when there is data: README, Measures for improvement), and
    # `withdrawn:` and `disqualified:` (written only when an entry leaves the awards)
    assert list(meta) == [name for name in EntryFile.model_fields if name not in (
        "source", "measures", "withdrawn", "disqualified")]
    assert meta["title"] == "Patients: co-designing café menus!"
    assert meta["category"] == "qi-patients"
    assert meta["submitted_by"] == "amy-lee"
    assert meta["patient_involvement"] is True  # the category requires it
    text = path.read_text("utf-8")
    # the programme's required sections, in order, with their word limits
    assert "## Challenge\n\n<!-- at most 30 words -->" in text
    assert text.index("## Challenge") < text.index("## Impact")
    assert "<!-- at most 30 words -->" in text.split("## Impact")[1]
    assert "summary:  # one paragraph, at most 20 words" in text
    # validate lists exactly what is left to fill in
    found = findings_of(run_cli(["validate", "-p", base_copy, "--format", "json"]).stdout)
    mine = sorted((f["line"], f["code"]) for f in found["findings"]
                  if f["path"] == "entries/patients-co-designing-cafe-menus.md"
                  and f["severity"] == "error")
    # organisation, care_setting, lead.name, lead.email and summary
    assert [code for _, code in mine] == ["wrong-type"] * 5
    # once filled in, the entry is valid
    filled = (text.replace("organisation:  #", "organisation: Mill Practice  #")
              .replace("care_setting:  #", "care_setting: community  #")
              .replace("  name:  #", "  name: Amy Lee  #")
              .replace("  email:  #", "  email: amy.lee@example.nhs.uk  #")
              .replace("summary:  #", "summary: Patients chose the menu.  #")
              .replace("submitted: ", "submitted: 2020-01-10  # was "))
    path.write_text(filled, "utf-8")
    found = findings_of(run_cli(["validate", "-p", base_copy, "--format", "json"]).stdout)
    assert [f for f in found["findings"] if f["path"].startswith("entries/patients")
            and f["severity"] == "error"] == []


def test_category_setting_is_filled_in(base_copy: Path) -> None:
    run_cli(["new", "entry", "-p", base_copy, "-c", "safety-primary", "-t", "Night checks",
             "--organisation", "Mill Practice"])
    meta = front_matter(base_copy / "entries" / "night-checks.md")
    assert meta["care_setting"] == "primary"
    assert meta["organisation"] == "Mill Practice"
    assert meta["patient_involvement"] is False
    assert meta["submitted_by"] is None


def test_slugs_never_collide(base_copy: Path) -> None:
    (base_copy / "entries" / "Night-Checks.md").write_text("x", "utf-8")  # differs in case only
    before = (base_copy / "entries" / "falls-huddles.md").read_bytes()
    names = []
    for title in ("Falls huddles", "Falls huddles", "Night checks"):
        result = run_cli(["new", "entry", "-p", base_copy, "-c", "safety-primary", "-t", title])
        assert result.exit_code == 0
        names.append(result.stdout.split()[1].rstrip("."))
    assert names == ["entries/falls-huddles-2.md", "entries/falls-huddles-3.md",
                     "entries/night-checks-2.md"]
    assert (base_copy / "entries" / "falls-huddles.md").read_bytes() == before


@pytest.mark.parametrize(("title", "slug"), [
    ("Reducing inpatient falls with safety huddles",
     "reducing-inpatient-falls-with-safety-huddles"),
    ("  ÉCOLE   d'été -- 2020!  ", "ecole-d-ete-2020"),
    ("!!!", "entry"),
    ("日本語", "entry"),
    ("word " * 40, ("word-" * 11).rstrip("-")),
    ("x" * 100, "x" * 56),
    # names Windows keeps for devices: git cannot check out entries/con.md there
    ("Con", "con-entry"),
    ("AUX!", "aux-entry"),
    ("nul", "nul-entry"),
    ("PRN", "prn-entry"),
    ("COM1", "com1-entry"),
    ("lpt9", "lpt9-entry"),
    ("Con artists", "con-artists"),
    ("com10", "com10"),
])
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert ID_RE.match(slug)
    assert slug not in WINDOWS_NAMES
    assert ID_RE.match(unique_slug(slug, {slug} | {f"{slug}-{n}" for n in range(2, 120)}))


def test_write_new_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("mine", "utf-8")
    assert create_atomic(target, b"theirs") is False
    assert target.read_text("utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]  # no temporary file left


def test_bad_arguments(base_copy: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in (base_copy / "entries").iterdir())
    cases = [
        (["-c", "nope", "-t", "T"], "There is no category 'nope'; the categories are: "
                                    "safety-primary, qi-patients."),
        (["-t", "T"], "Give --category"),
        (["-c", "qi-patients"], "Give --title"),
        (["-c", "qi-patients", "-t", "two\nlines"], "title on one line"),
        (["-c", "qi-patients", "-t", "   "], "title on one line"),
        (["-c", "qi-patients", "-t", "T", "--care-setting", "hospital"], "not a care setting"),
    ]
    for args, message in cases:
        result = run_cli(["new", "entry", "-p", base_copy, *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr and "Traceback" not in result.output
    assert sorted(p.name for p in (base_copy / "entries").iterdir()) == before
    nowhere = run_cli(["new", "entry", "-p", tmp_path / "nowhere", "-c", "x", "-t", "T"])
    assert nowhere.exit_code == 2 and "does not exist" in nowhere.stderr
    help_text = run_cli(["new", "entry", "--help"]).stdout
    assert "Example: qsi new entry --category" in help_text


def test_entries_folder_must_be_real(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "p")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for item in (root / "entries").iterdir():
        item.unlink()
    (root / "entries").rmdir()
    (root / "entries").symlink_to(outside)
    result = run_cli(["new", "entry", "-p", root, "-c", "qi-patients", "-t", "T"])
    assert result.exit_code == 2 and list(outside.iterdir()) == []


def test_asks_on_a_terminal(tmp_path: Path) -> None:
    """Without --category and --title, on a terminal, it asks for them (the real qsi,
    on a pseudo-terminal)."""
    executable = installed_qsi_path()
    assert executable is not None
    root = copy_base(tmp_path / "p")
    master, slave = pty.openpty()
    process = subprocess.Popen([executable, "new", "entry", "-p", str(root)], stdin=slave,
                               stdout=slave, stderr=slave, close_fds=True,
                               env={**os.environ, "NO_COLOR": "1"})
    os.close(slave)
    output = b""
    answers = [(b"Category (number or ID)", b"2\n"), (b"Title", b"Patient panel\n")]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            output += chunk
        if answers and answers[0][0] in output:
            os.write(master, answers.pop(0)[1])
        if process.poll() is not None and not ready:
            break
    process.wait(timeout=30)
    os.close(master)
    text = output.decode("utf-8", "replace")
    assert process.returncode == 0, text
    assert "1. safety-primary: Best safety initiative in primary care" in text
    assert "Created entries/patient-panel-2.md" in text  # patient-panel exists already
    assert front_matter(root / "entries" / "patient-panel-2.md")["category"] == "qi-patients"


def test_base_untouched() -> None:
    assert not (BASE / "entries" / "night-checks.md").exists()


@pytest.mark.parametrize("category", ["no", "on", "null", "007", "1e3", "0x1f"])
def test_category_ids_that_look_like_other_types_read_back(tmp_path: Path,
                                                           category: str) -> None:
    root = copy_base(tmp_path / "p")
    (root / "categories.yaml").write_text(
        f'categories:\n  - id: "{category}"\n    title: Odd\n    theme: qi\n', "utf-8")
    for entry in (root / "entries").iterdir():
        entry.unlink()
    for sheet in (root / "scores").iterdir():
        sheet.unlink()
    result = run_cli(["new", "entry", "-p", root, "-c", category, "-t", "Odd one",
                      "--submitted-by", "1234"])
    assert result.exit_code == 0, result.output
    meta = front_matter(root / "entries" / "odd-one.md")
    assert meta["category"] == category
    assert meta["submitted_by"] == "1234"


def test_never_creates_a_windows_device_name(base_copy: Path) -> None:
    names = []
    for title in ("CON", "Con", "aux", "NUL", "com1", "LPT3"):
        result = run_cli(["new", "entry", "-p", base_copy, "-c", "qi-patients", "-t", title])
        assert result.exit_code == 0, result.output
        names.append(result.stdout.split()[1].rstrip("."))
    assert names == ["entries/con-entry.md", "entries/con-entry-2.md", "entries/aux-entry.md",
                     "entries/nul-entry.md", "entries/com1-entry.md", "entries/lpt3-entry.md"]
    assert front_matter(base_copy / "entries" / "con-entry.md")["title"] == "CON"
