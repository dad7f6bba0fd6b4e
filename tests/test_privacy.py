"""qsi privacy: the programme's personal data, who it is about, where qsi publishes it,
consent per entry, and contact details where they should not be (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, copy_base, run_cli

FALLS = """\
---
title: Falls huddles
category: safety-primary
organisation: Mill Practice
care_setting: primary
lead: {name: Priya Shah, role: Practice Nurse, email: priya.shah@example.nhs.uk}
team: [Tom Clarke <tom.clarke@example.nhs.uk>]
submitted_by: pshah
submitted: 2020-01-28
patient_involvement: false
consent_to_publish: true
summary: Daily huddles cut falls; mail falls@mill.example.nhs.uk.
---
## Challenge
Falls were common.

## Impact
Falls halved. Ask priya.shah@example.nhs.uk for the script.
"""
PANEL = """\
---
title: Patient panel, call 01622 224000
category: qi-patients
organisation: East Practice
care_setting: community
lead: {name: Sam Lee, email: sam.lee@example.nhs.uk}
submitted: 2020-01-15
patient_involvement: true
consent_to_publish: false
summary: Patients co-designed the clinic; sam.lee@example.nhs.uk.
---
## Challenge
Clinic letters confused people. Ring 07700 900123.

## Impact
Complaints fell.
"""
ADOPTION = """\
adoption:
  - entry: falls-huddles
    organisation: Hill Surgery
    stage: interested
    date: 2020-05-01
    contact: Jo Bloggs <jo.bloggs@example.org>
    notes: Ring Jo on 07700 900123.
"""


@pytest.fixture
def leaky(tmp_path: Path) -> Path:
    root = copy_base(tmp_path / "programme")
    (root / "entries" / "falls-huddles.md").write_text(FALLS, "utf-8")
    (root / "entries" / "patient-panel.md").write_text(PANEL, "utf-8")
    (root / "adoption.yaml").write_text(ADOPTION, "utf-8")
    sheet = root / "scores" / "ajudge.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace("comment: Good.",
                                                      "comment: Good; call 0300 123 4567."))
    return root


def privacy(root: Path, expect: int) -> dict[str, Any]:
    result = run_cli(["privacy", "-p", root, "--format", "json"])
    assert result.exit_code == expect, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_contact_details_published_without_a_basis_are_problems(leaky: Path) -> None:
    found = privacy(leaky, 1)
    contacts = {(c["path"], c["line"], c["field"], c["kind"], c["problem"] is not None)
                for c in found["contact_details"]}
    assert contacts == {
        # a name field: the site and the certificate publish it as a name
        ("entries/falls-huddles.md", 7, "team[0]", "e-mail address", True),
        # the entrant consented, and wrote it into their own summary: theirs to publish
        ("entries/falls-huddles.md", 12, "summary", "e-mail address", False),
        # the lead's own e-mail address, which qsi promises never to publish
        ("entries/falls-huddles.md", 18, "body (## Impact)", "e-mail address", True),
        # no consent, but the shortlist and the certificate show the title all the same
        ("entries/patient-panel.md", 2, "title", "phone number", True),
        # no consent: the summary and write-up are never published (the packs anonymise
        # e-mail addresses, not phone numbers)
        ("entries/patient-panel.md", 10, "summary", "e-mail address", False),
        ("entries/patient-panel.md", 13, "body (## Challenge)", "phone number", False),
        # the site publishes adoption notes: the adopter's people have not consented
        ("adoption.yaml", 7, "adoption[0].notes", "phone number", True),
        # the contact field itself is only in the programme team's report
        ("adoption.yaml", 6, "adoption[0].contact", "e-mail address", False),
        # judges' comments go only into the judge's own workbook
        ("scores/ajudge.yaml", 6, "scores.falls-huddles.comment", "phone number", False),
    }
    assert found["summary"] == {"entries": 2, "consented": 1, "contact_details": 9,
                                "problems": 4}
    title = next(c for c in found["contact_details"] if c["field"] == "title")
    assert [p["output"] for p in title["published"]] == [
        "shortlist", "certificates", "packs", "workbooks", "references", "reports",
        "feedback", "letters"]
    assert title["problem"] == (
        "the entrant has not consented to publication, but the shortlist and the "
        "certificates publish this field all the same; take the phone number out")
    # the packs take e-mail addresses out, not phone numbers
    outputs = {(c["path"], c["line"]): [p["output"] for p in c["published"]]
               for c in found["contact_details"]}
    assert outputs[("entries/patient-panel.md", 10)] == []
    assert outputs[("entries/patient-panel.md", 13)] == ["packs"]


def test_the_text_report_marks_each_problem(leaky: Path) -> None:
    result = run_cli(["privacy", "-p", leaky])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    at = lines.index("  PROBLEM entries/falls-huddles.md:7: team[0]: an e-mail address; site "
                     "(entries/falls-huddles.html); certificates "
                     "(safety-primary/falls-huddles-winner.pdf)")
    assert lines[at + 1] == ("    a name field holds an e-mail address, and the site and the "
                             "certificates publish it as a name; write only the name here.")
    at = next(i for i, line in enumerate(lines) if line.startswith("  PROBLEM adoption.yaml:7"))
    assert lines[at] == ("  PROBLEM adoption.yaml:7: adoption[0].notes: a phone number; site "
                         "(entries/falls-huddles.html, adoption/falls-huddles.html); reports "
                         "(qsi adoption)")
    assert lines[at + 1] == ("    the site publishes adoption notes, and the people at the "
                             "adopting organisation have not consented; take the phone number "
                             "out.")
    assert lines[-1] == "4 problems: contact details qsi would publish without a basis."


def test_the_example_programme(installed_qsi: Any) -> None:
    done = installed_qsi("privacy", "--format", "json", cwd=REPO)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert [e["entry"] for e in found["entries"] if not e["consent_to_publish"]] == [
        "crisis-team-medicines", "day-hospice-codesign", "doac-dosing-review", "total-triage"]
    assert len(found["entries"]) == 42
    holdings = {(h["file"], h["field"]): h for h in found["holdings"]}
    # the lead's e-mail address goes only into the letters to the lead
    assert holdings[("entries/*.md", "lead.email")]["published"] == [
        {"output": "letters", "when": "always"}]
    assert holdings[("entries/*.md", "lead.name")]["published"] == [
        {"output": "site", "when": "with consent"},
        {"output": "certificates", "when": "winners and highly commended"},
        {"output": "letters", "when": "always"}]
    assert holdings[("judges.yaml", "judges[].name")]["values"] == 13
    assert found["contact_details"] == []
    text = installed_qsi("privacy", cwd=REPO).stdout
    assert "Consent to publish: 38 of 42 entries.\n  Not given: crisis-team-medicines " \
           "(highly commended), day-hospice-codesign (shortlisted), doac-dosing-review " \
           "(shortlisted), total-triage (shortlisted).\n" in text


def test_a_programme_with_errors_is_not_inventoried(base_copy: Path) -> None:
    (base_copy / "entries" / "bad.md").write_text("no front matter\n", "utf-8")
    result = run_cli(["privacy", "-p", base_copy])
    assert result.exit_code == 1
    assert "no-front-matter" in result.stderr and result.stdout == ""


def test_contact_details_hidden_by_yaml_escapes_are_found(base_copy: Path) -> None:
    entry = base_copy / "entries" / "patient-panel.md"
    entry.write_text(entry.read_text("utf-8").replace(
        "title: Patient panel", 'title: "Patient panel: panel\\u0040east.example.org"'))
    found = privacy(base_copy, 1)
    assert [(c["path"], c["line"], c["field"], c["kind"]) for c in found["contact_details"]] == [
        ("entries/patient-panel.md", 2, "title", "e-mail address")]


PLUGIN = '''\
from pathlib import Path


class Watcher:
    """A pydantic plugin, as an installed package can declare one: it sees every value."""

    def new_schema_validator(self, schema, schema_type, schema_type_path, schema_kind,
                             config, plugin_settings):
        with open(Path(__file__).with_name("seen.txt"), "a") as seen:
            seen.write(f"{schema_type_path.name}\\n")
        return None, None, None


plugin = Watcher()
'''


def test_no_pydantic_plugin_sees_what_qsi_reads(tmp_path: Path, installed_qsi: Any) -> None:
    """A package installed beside qsi can declare a pydantic plugin, which pydantic would
    run on every validation: it would see every entry, score and e-mail address. The qsi
    executable runs none. The same plugin does run for a plain pydantic program, so the
    test would notice if it were never found at all."""
    import subprocess
    import sys

    site = tmp_path / "site"
    (site / "watcher").mkdir(parents=True)
    (site / "watcher" / "__init__.py").write_text(PLUGIN, encoding="utf-8")
    info = site / "watcher-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: watcher\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text("[pydantic]\nwatcher = watcher:plugin\n",
                                           encoding="utf-8")
    seen = site / "watcher" / "seen.txt"
    env = {"PYTHONPATH": str(site)}

    # PYTHONPROFILEIMPORTTIME: Python lists every module it imports on standard error
    done = installed_qsi("validate", cwd=REPO, env={**env, "PYTHONPROFILEIMPORTTIME": "1"})
    assert done.returncode == 0, done.stderr
    assert not seen.exists(), seen.read_text(encoding="utf-8")
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    assert "qsi_awards.model" in imported  # the listing is there: the models were made
    # qsi does not even look for plugins: pydantic's loader looks through the installed
    # packages' metadata
    assert "importlib.metadata" not in imported

    program = "from pydantic import BaseModel\nclass Judgement(BaseModel):\n    score: int\n"
    subprocess.run([sys.executable, "-c", program], env={**env, "PATH": "/usr/bin:/bin"},
                   check=True)
    assert seen.read_text(encoding="utf-8") == "Judgement\n"


LOADER_PROBE = """
import sys
from qsi_awards.main import PLUGIN_LOADER, _no_plugin_loader
_no_plugin_loader()
from pydantic import BaseModel
class Judgement(BaseModel):
    score: int
stand_in = sys.modules[PLUGIN_LOADER]
print(Judgement(score=7).score, list(stand_in.get_plugins()), "importlib.metadata" in sys.modules)
from pydantic.plugin._loader import _plugins  # a name only the real loader has
print(_plugins, sys.modules[PLUGIN_LOADER] is stand_in, "importlib.metadata" in sys.modules)
"""


def test_the_stand_in_plugin_loader_hands_anything_else_to_pydantics_own() -> None:
    """qsi puts a loader that has no plugin in place of pydantic's. pydantic makes and
    validates models with it, without importlib.metadata; a name only pydantic's own
    loader has is answered by that loader, which then takes its place (a later pydantic
    that asks its loader for more still works)."""
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", LOADER_PROBE], capture_output=True,
                          text=True, check=False,
                          env={**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["7 [] False", "None False True"]
