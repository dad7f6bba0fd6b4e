"""`qsi remind` in a ranked round: the list (text and JSON) and the reminder e-mail count a
judge's outstanding work the same way, a ballot per category still to rank."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from test_letters import parts, read, with_addresses
from test_rounds import two_rounds


def test_a_ranked_rounds_list_and_reminder_count_the_same_categories(tmp_path: Path) -> None:
    # one category, three finalists: j1 has ranked it, j2 and j3 have not
    root = two_rounds(tmp_path, ballots={"j1": {"cat-a": {"ranking": ["mill", "oak", "elm"]}},
                                         "j2": {"cat-a": {"ranking": None}},
                                         "j3": {"cat-a": {"ranking": None}}})
    with_addresses(root)
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


def test_the_letters_and_the_reminder_give_templates_the_same_counts(tmp_path: Path) -> None:
    """In a ranked round `assigned` and `complete` are finalists in every judge letter,
    the invitation and the reminder alike; the reminder's `outstanding` is ballots."""
    from test_letters import letters

    # one category, three finalists: j1 has ranked it, j2 has not
    root = two_rounds(tmp_path, ballots={"j1": {"cat-a": {"ranking": ["mill", "oak", "elm"]}},
                                         "j2": {"cat-a": {"ranking": None}},
                                         "j3": {"cat-a": {"ranking": ["oak"]}}})
    with_addresses(root)
    (root / "templates").mkdir()
    counts = ("Subject: counts\n\nassigned {{ assigned }}, complete {{ complete }}, "
              "categories {{ categories | length }}{% if outstanding is defined %}, "
              "outstanding {{ outstanding }}{% endif %}\n")
    for name in ("letter-judge-invitation.txt", "letter-judge-reminder.txt"):
        (root / "templates" / name).write_text(counts, "utf-8")
    letters(root, tmp_path / "letters", "--today", "2020-02-20")
    remind = run_cli(["remind", "-p", root, "--today", "2020-02-20", "--out",
                      tmp_path / "reminders"])
    assert remind.exit_code == 0, remind.stderr
    for judge, ranked in (("j1", 3), ("j2", 0)):
        invitation = parts(read(tmp_path / "letters" / "judges" / f"{judge}.eml"))[0]
        assert f"assigned 3, complete {ranked}, categories 1" in invitation
    reminder = parts(read(tmp_path / "reminders" / "j2.eml"))[0]
    assert "assigned 3, complete 0, categories 1, outstanding 1" in reminder
