"""`qsi remind` in a ranked round: the list (text and JSON) and the reminder e-mail count a
judge's outstanding work the same way, a ballot per category still to rank."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import run_cli
from test_letters import parts, read
from test_rounds import two_rounds


def test_a_ranked_rounds_list_and_reminder_count_the_same_categories(tmp_path: Path) -> None:
    # one category, three finalists: j1 has ranked it, j2 and j3 have not
    root = two_rounds(tmp_path, ballots={"j1": {"cat-a": {"ranking": ["mill", "oak", "elm"]}},
                                         "j2": {"cat-a": {"ranking": None}},
                                         "j3": {"cat-a": {"ranking": None}}})
    panel = yaml.safe_load((root / "judges.yaml").read_text("utf-8"))
    for judge in panel["judges"]:
        judge["email"] = f"{judge['id']}@example.nhs.uk"
    (root / "judges.yaml").write_text(yaml.safe_dump(panel), "utf-8")
    with (root / "programme.yaml").open("a", encoding="utf-8") as settings:
        settings.write("email: awards@example.nhs.uk\n")
    out = tmp_path / "reminders"
    listed = run_cli(["remind", "-p", root, "--today", "2020-02-20", "--out", out])
    assert listed.exit_code == 0, listed.stderr
    assert "2 judges with categories to rank (2 in all):" in listed.stdout
    assert "j2  Judge 2: 1 of 1 category to rank" in listed.stdout
    document = json.loads(run_cli(["remind", "-p", root, "--today", "2020-02-20",
                                   "--format", "json"]).stdout)
    assert document["counts"] == "categories" and document["outstanding"] == 2
    assert document["judges"][0] == {"id": "j2", "name": "Judge 2", "assigned": 1,
                                     "complete": 0, "outstanding": 1}
    reminder = read(out / "j2.eml")
    # it counted the three finalists: "3 judgements still to do"
    assert reminder["Subject"] == "Test Awards 2020: 1 category still to rank by 1 March 2020"
    plain = " ".join(parts(reminder)[0].split())
    assert "you have 1 category still to rank, of the 1 on your ballot (Category A)." in plain
    assert "rounds/final/ballots/j2.yaml" in plain
    assert "write the finalists by the references in your judge pack." in plain
    assert "judgement" not in plain
