"""qsi compare: editions or regions side by side, each a programme folder or a git
revision (REV, or REV:FOLDER relative to the programme folder), in real git repositories.

The first commit is tests/examples/base: 2 entries (falls-huddles, Mill Practice,
safety-primary, primary; patient-panel, East Practice, qi-patients, community); scores
as in tests/test_exports.py: entry scores 6.8 and 6.4, mean 6.6, each a winner; 4
counted judgements; results released at the ceremony, 1 April 2020.

The second commit adds night-checks (qi-patients, community) from "EAST  practice" (the
same organisation as a person reads it), unscored; records the results' release on
2 March 2020; and adds adoption: Dartford Trust interested then piloting falls-huddles,
Medway Practice adopted patient-panel.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl

from conftest import copy_base, git_commit_all, git_init, run_cli

RELEASE = """
results_released:
  date: 2020-03-02
  by: Steering group
  reason: Winners agreed on 1 March 2020.
"""
ADOPTION = """adoption:
  - {entry: falls-huddles, organisation: Dartford Trust, stage: interested, date: 2020-05-01}
  - {entry: falls-huddles, organisation: Dartford Trust, stage: piloting, date: 2020-06-01}
  - {entry: patient-panel, organisation: Medway Practice, stage: adopted, date: 2020-07-01}
"""


def second_edition(root: Path) -> None:
    panel = (root / "entries" / "patient-panel.md").read_text("utf-8")
    (root / "entries" / "night-checks.md").write_text(
        panel.replace("organisation: East Practice", "organisation: EAST  practice"), "utf-8")
    with (root / "decisions.yaml").open("a", encoding="utf-8") as decisions:
        decisions.write(RELEASE)
    (root / "adoption.yaml").write_text(ADOPTION, "utf-8")


def history(tmp_path: Path, folder: str = "") -> Path:
    """A repository whose programme (in `folder`) has the two commits above."""
    repo = git_init(tmp_path / "repo")
    root = copy_base(repo / folder if folder else repo / "programme-tmp")
    if not folder:  # the programme at the top of the repository
        for item in root.iterdir():
            item.rename(repo / item.name)
        root.rmdir()
        root = repo
    git_commit_all(repo, "2020 edition")
    second_edition(root)
    git_commit_all(repo, "second edition")
    return root


def compare_json(root: Path, *args: str) -> dict[str, Any]:
    result = run_cli(["compare", "-p", root, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_two_revisions_side_by_side(tmp_path: Path) -> None:
    root = history(tmp_path)
    # on 10 March 2020 the second edition's results are released, the first's are not
    document = compare_json(root, "HEAD~1", "HEAD", "--today", "2020-03-10")
    first, second = document["editions"]
    assert (first["label"], second["label"]) == ("HEAD~1", "HEAD")
    assert (first["entries"], second["entries"]) == (2, 3)
    assert (first["organisations"], second["organisations"]) == (2, 2)
    assert [(c["id"], c["entries"]) for c in second["categories"]] == [
        ("safety-primary", 1), ("qi-patients", 2)]
    assert second["settings"] == {"community": 2, "primary": 1}
    assert second["themes"] == {"qi": 2, "safety": 1}
    assert first["results"] == {"released": False, "release_date": "2020-04-01"}
    assert second["results"] == {"released": True, "release_date": "2020-03-02"}
    assert first["scores"] == "embargoed"
    assert second["scores"] == {"judgements": 4, "scored": 2, "mean": 6.6, "lowest": 6.4,
                                "highest": 6.8, "winners": 2, "highly_commended": 0}
    # tests/examples/base/programme.yaml: the rules are not results, never embargoed
    assert first["rules"] == {"judges_per_entry": 2, "method": "mean", "scale": "0–10",
                              "criteria": 2, "shortlist_size": 3, "highly_commended": 1}
    assert first["adoption"] == dict.fromkeys(
        ("interested", "planning", "piloting", "adopted", "declined"), 0)
    assert second["adoption"] == {"interested": 0, "planning": 0, "piloting": 1,
                                  "adopted": 1, "declined": 0}


def test_a_folder_and_a_revision(tmp_path: Path) -> None:
    root = history(tmp_path)
    (root / "entries" / "night-checks.md").unlink()  # not committed: the folder has 2
    # a folder is relative to the current folder, as the shell has it; a revision is the
    # programme folder's (-p) as it was
    document = compare_json(root, str(root), "HEAD", "--today", "2020-05-01")
    assert [(e["label"], e["entries"]) for e in document["editions"]] == [
        (str(root), 2), ("HEAD", 3)]
    assert [e["scores"]["mean"] for e in document["editions"]] == [6.6, 6.6]


def test_embargoed_results_are_never_shown(tmp_path: Path) -> None:
    root = history(tmp_path)
    text = run_cli(["compare", "-p", root, "HEAD~1", "HEAD", "--today", "2020-02-15"])
    assert text.exit_code == 0
    scores = text.stdout.split("\nScores and awards")[1].split("\nAdoption")[0]
    assert "6.60" not in scores and "6.80" not in scores
    assert [line.split()[-2:] for line in scores.splitlines()[2:] if line] == [
        ["embargoed", "embargoed"]] * 7
    markdown = run_cli(["compare", "-p", root, "HEAD", "--today", "2020-02-15", "--format",
                        "markdown"]).stdout
    assert "| Mean entry score | embargoed |" in markdown


def test_regions_in_folders_of_one_repository(tmp_path: Path) -> None:
    """-p kent: HEAD is kent as committed, HEAD:../sussex the other region's folder."""
    kent = history(tmp_path, "kent")
    sussex = copy_base(kent.parent / "sussex")
    settings = sussex / "programme.yaml"
    settings.write_text(settings.read_text("utf-8").replace("region: Testshire",
                                                            "region: Sussex"), "utf-8")
    git_commit_all(kent.parent, "sussex")
    document = compare_json(kent, "HEAD", "HEAD:../sussex", "--today", "2020-05-01")
    assert [(e["label"], e["region"], e["entries"]) for e in document["editions"]] == [
        ("HEAD", "Testshire", 3), ("HEAD:../sussex", "Sussex", 2)]


def test_workbook(tmp_path: Path) -> None:
    root = history(tmp_path)
    out = tmp_path / "compare.xlsx"
    result = run_cli(["compare", "-p", root, "HEAD~1", "HEAD", "--today", "2020-03-10",
                      "--format", "xlsx", "--out", out])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Programme", "Entries", "Categories", "Care settings",
                               "Themes", "Judging rules", "Scores and awards", "Adoption"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    rows = {name: {row[0]: row[1:] for row in book[name].iter_rows(min_row=2,
                                                                    values_only=True)}
            for name in book.sheetnames}
    assert [c.value for c in book["Entries"][1]] == ["Measure", "HEAD~1", "HEAD"]
    assert rows["Entries"]["Entries"] == (2, 3)
    assert rows["Programme"]["Results released"] == (False, True)
    assert rows["Categories"]["Best QI initiative involving patients (qi-patients)"] == (1, 2)
    assert rows["Scores and awards"]["Mean entry score"] == ("embargoed", 6.6)
    assert rows["Scores and awards"]["Winners"] == ("embargoed", 2)
    assert rows["Adoption"]["Piloting"] == (0, 1)


def test_what_cannot_be_compared(tmp_path: Path) -> None:
    root = history(tmp_path)
    for source, says in [
        ("v1999", "'v1999' is neither a folder nor a git revision"),
        ("HEAD:entries", "At HEAD, the folder 'entries' holds no programme.yaml"),
        ("HEAD:nowhere", "At HEAD there is no folder 'nowhere'"),
        ("HEAD:../..", "outside the git repository"),
        # never passed to git as an option
        (f"--output={tmp_path / 'made'}", "is neither a folder nor a git revision"),
    ]:
        result = run_cli(["compare", "-p", root, "--", source])
        assert result.exit_code == 2, source
        assert says in result.stderr, result.stderr
    assert not (tmp_path / "made").exists()
    plain = copy_base(tmp_path / "plain")  # not in a repository
    result = run_cli(["compare", "-p", plain, "HEAD"])
    assert result.exit_code == 2 and "not inside a git repository" in result.stderr


def test_an_edition_with_errors(tmp_path: Path) -> None:
    root = history(tmp_path)
    (root / "judges.yaml").write_text("judges: [\n", "utf-8")
    result = run_cli(["compare", "-p", root, "HEAD", str(root)])
    assert result.exit_code == 1
    errors = json.loads(run_cli(["validate", "-p", root, "--format", "json"]).stdout)[
        "summary"]["errors"]
    assert errors > 1
    assert f"qsi: {root} has {errors} errors, so it cannot be compared" in result.stderr


def test_never_written_over_a_compared_programme(tmp_path: Path) -> None:
    """--out is checked against every folder compared, not only --programme's."""
    here = copy_base(tmp_path / "here")
    other = copy_base(tmp_path / "other")
    before = (other / "judges.yaml").read_bytes()
    result = run_cli(["compare", "-p", here, str(here), str(other), "--out",
                      other / "judges.yaml"])
    assert result.exit_code == 2 and "input file" in result.stderr
    assert (other / "judges.yaml").read_bytes() == before
