"""Ballots written with the references of the judges' packs (README "Ballots: a ranked
round"): a judge names a finalist by its entry ID or by the reference (`E-7K3Q9X`, in
either case) their pack shows, and qsi reads each reference as its entry's ID, so the
count is the same whichever way a ballot is written. The references come from the
programme team's key the packs are rendered with (CONFIDENTIAL_references.csv)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder import dump
from conftest import copy_example, run_cli
from test_rounds import two_rounds

FINAL_OPEN = "2020-02-26"  # the example's final round is open


def key_of(root: Path, out: Path) -> dict[str, str]:
    """entry ID -> reference, from the key written beside the final round's packs."""
    result = run_cli(["render", "packs", "-p", root, "--round", "final", "--today", FINAL_OPEN,
                      "--out", out])
    assert result.exit_code == 0, result.output
    with (out / "CONFIDENTIAL_references.csv").open(encoding="utf-8", newline="") as file:
        return {row["entry"]: row["reference"] for row in csv.DictReader(file)}


def by_reference(root: Path, key: dict[str, str]) -> None:
    """Rewrite every ballot of the final: finalists by reference in capitals, by reference
    in small letters and by entry ID in turn; every conflict by reference, small."""
    turn = 0

    def written(entry_id: str) -> str:
        nonlocal turn
        turn += 1
        return (key[entry_id], key[entry_id].lower(), entry_id)[turn % 3]

    for path in sorted((root / "rounds" / "final" / "ballots").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for ballot in data["ballots"].values():
            if ballot.get("ranking") is not None:
                ballot["ranking"] = [written(place) if isinstance(place, str)
                                     else [written(name) for name in place]
                                     for place in ballot["ranking"]]
            if ballot.get("conflicts"):
                ballot["conflicts"] = {key[entry_id].lower(): why
                                       for entry_id, why in ballot["conflicts"].items()}
        path.write_text(dump(data), "utf-8")


def outputs(root: Path) -> dict[str, str]:
    """What the final's count and progress say, as each command prints it."""
    commands = {
        "tally": ["tally", "--round", "final", "--format", "json"],
        # a 2-2 split; a finalist a judge declared a conflict with; one tied in a ballot
        **{f"explain {entry_id}": ["tally", "--round", "final", "--explain", entry_id]
           for entry_id in ("syringe-driver-safety", "spot-sepsis-carers",
                            "lithium-monitoring")},
        "status": ["status", "--today", FINAL_OPEN, "--format", "json"],
        "remind": ["remind", "--today", FINAL_OPEN, "--format", "json"],
        "validate": ["validate", "--round", "final", "--format", "json"],
    }
    found = {}
    for name, args in commands.items():
        result = run_cli([*args, "-p", root])
        assert result.exit_code == 0, (name, result.output)
        found[name] = result.stdout
    return found


@pytest.mark.slow  # the example's final packs, PDFs and all
def test_ballots_by_reference_count_as_the_same_ballots_by_entry_id(tmp_path: Path) -> None:
    by_id = copy_example(tmp_path / "by-id")
    by_ref = copy_example(tmp_path / "by-reference")
    key = key_of(by_id, tmp_path / "packs")
    by_reference(by_ref, key)
    ballots = {p.name: p.read_text("utf-8")
               for p in (by_ref / "rounds" / "final" / "ballots").glob("*.yaml")}
    # what the ballots hold now: references in both cases, IDs too, a tie, a conflict
    sthorne = yaml.safe_load(ballots["sthorne.yaml"])["ballots"]
    assert sthorne["safety-patients"]["conflicts"] == {
        key["spot-sepsis-carers"].lower(): "My mother was one of the carers the Medway team "
                                           "trained."}
    mwhitlock = yaml.safe_load(ballots["mwhitlock.yaml"])["ballots"]
    assert isinstance(mwhitlock["safety-primary"]["ranking"][-1], list)  # a tie
    assert len(mwhitlock["safety-community"]["ranking"]) == 4  # a partial ranking of five
    text = "".join(ballots.values())
    assert key["pph-bundle"] in text and key["pph-bundle"].lower() in text
    assert "pph-bundle" in text

    expected = outputs(by_id)
    assert json.loads(expected["validate"])["findings"] == []
    assert outputs(by_ref) == expected

    # an archive keeps the ballots as written, and counts them the same
    result = run_cli(["archive", "-p", by_ref, "--out", tmp_path / "archive",
                      "--today", "2020-04-02"])
    assert result.exit_code == 0, result.output
    assert "E-" in (tmp_path / "archive" / "rounds" / "final" / "ballots" /
                    "judge-01.yaml").read_text("utf-8")
    assert run_cli(["tally", "-p", tmp_path / "archive", "--round", "final", "--format",
                    "json"]).stdout == expected["tally"]


def findings(root: Path) -> list[dict[str, Any]]:
    result = run_cli(["validate", "-p", root, "--format", "json"])
    assert result.exit_code == 1, result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return found


@pytest.fixture
def final(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The two-round programme of test_rounds (oak, elm and mill in the final of cat-a;
    ash not shortlisted) and its key."""
    root = two_rounds(tmp_path)
    return root, key_of(root, tmp_path / "packs")


def write_ballot(root: Path, judge_id: str, text: str) -> None:
    (root / "rounds" / "final" / "ballots" / f"{judge_id}.yaml").write_text(text, "utf-8")


def test_packs_from_ballots_by_reference_are_the_packs_from_ballots_by_id(
        final: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """A judge's pack leaves out the finalists they declared a conflict with in their
    ballot, by reference as by ID."""
    root, key = final
    packs = {}
    for how, oak in (("id", "oak"), ("reference", key["oak"].lower())):
        write_ballot(root, "j2", (
            "judge: j2\n"
            "ballots:\n"
            "  cat-a:\n"
            "    ranking: [mill, elm]\n"
            "    conflicts:\n"
            f"      {oak}: I advised the team\n"))
        assert key_of(root, tmp_path / how) == key
        packs[how] = (tmp_path / how / "j2.html").read_text("utf-8")
    assert packs["reference"] == packs["id"]
    assert key["oak"] not in packs["id"] and key["mill"] in packs["id"]


def test_a_reference_that_is_no_entrys(final: tuple[Path, dict[str, str]]) -> None:
    root, key = final
    assert "E-ZZZZZZ" not in key.values()
    write_ballot(root, "j1", (
        "judge: j1\n"
        "ballots:\n"
        "  cat-a:\n"
        f"    ranking: [{key['mill']}, E-ZZZZZZ, oak]\n"
        "    conflicts:\n"
        "      e-zzzzzz: a typing slip\n"))
    assert [(f["path"], f["line"], f["column"], f["code"], f["message"])
            for f in findings(root)] == [
        ("rounds/final/ballots/j1.yaml", 4, 25, "unknown-entry",
         "'E-ZZZZZZ' is not the reference of any entry; check it against the finalists' "
         "references in your judge pack, and correct it."),
        ("rounds/final/ballots/j1.yaml", 6, 7, "unknown-entry",
         "'e-zzzzzz' is not the reference of any entry; check it against the finalists' "
         "references in your judge pack, and correct it.")]


def test_the_reference_of_an_entry_not_in_the_final(final: tuple[Path, dict[str, str]]) -> None:
    root, key = final
    written = key["ash"].lower()  # ash was not shortlisted
    write_ballot(root, "j2", (
        "judge: j2\n"
        "ballots:\n"
        "  cat-a:\n"
        f"    ranking: [{written}, oak, mill, elm]\n"))
    assert [(f["path"], f["line"], f["column"], f["code"], f["message"])
            for f in findings(root)] == [
        ("rounds/final/ballots/j2.yaml", 4, 15, "not-a-finalist",
         f"'{written}' is not a finalist of 'cat-a' in the round 'final' (it is not on the "
         "shortlist of the round before); check it against your judge pack: a ballot ranks "
         "only its category's finalists.")]


def test_a_finalist_ranked_by_its_id_and_by_its_reference(
        final: tuple[Path, dict[str, str]]) -> None:
    root, key = final
    write_ballot(root, "j3", (
        "judge: j3\n"
        "ballots:\n"
        "  cat-a:\n"
        f"    ranking: [mill, [{key['oak']}, elm], {key['mill'].lower()}]\n"))
    column = len("    ranking: [mill, [E-XXXXXX, elm], ") + 1
    assert [(f["path"], f["line"], f["column"], f["code"], f["message"])
            for f in findings(root)] == [
        ("rounds/final/ballots/j3.yaml", 4, column, "ranked-twice",
         f"'{key['mill'].lower()}' is ranked twice in the ballot for 'cat-a' (as 'mill' too: "
         "the same finalist); an entry has one place, so remove one (equal places are "
         "written as a list, [a, b]).")]


def test_a_conflict_declared_by_reference_is_a_conflict(
        final: tuple[Path, dict[str, str]]) -> None:
    root, key = final
    write_ballot(root, "j1", (
        "judge: j1\n"
        "ballots:\n"
        "  cat-a:\n"
        f"    ranking: [{key['oak']}, mill]\n"
        "    conflicts:\n"
        f"      {key['oak'].lower()}: I advised the team\n"))
    assert [(f["line"], f["column"], f["code"], f["message"]) for f in findings(root)] == [
        (4, 15, "conflicted-ranking",
         f"Judge j1 may not rank '{key['oak']}': they declared a conflict with it in this "
         "ballot. Remove it from the ranking: a conflicted judge has no say on its pairs.")]


@pytest.mark.parametrize("written", ["E-OOOOOO", "E-7K3Q9", "E-7K3Q9XY", "F-7K3Q9X",
                                     "Oak", "E_7K3Q9X"])
def test_what_is_neither_an_id_nor_a_reference(final: tuple[Path, dict[str, str]],
                                               written: str) -> None:
    root, _ = final
    write_ballot(root, "j1", (
        "judge: j1\n"
        "ballots:\n"
        "  cat-a:\n"
        f"    ranking: [{written}, mill]\n"))
    assert [(f["line"], f["column"], f["code"], f["message"]) for f in findings(root)] == [
        (4, 15, "bad-id",
         f"'ballots.cat-a.ranking[1]' is '{written}', which is neither an entry ID nor a "
         "reference: write the finalist's reference as your judge pack shows it (E- and six "
         "letters and digits, such as E-7K3Q9X; there is no I, L, O or U in one), or its "
         "entry ID.")]


def test_a_reference_is_in_crockfords_alphabet_in_either_case() -> None:
    """The schema takes E- (or e-) and six characters of Crockford's base 32 in either
    case: the digits and letters but I, L, O and U, as the packs' references are made."""
    import string

    from pydantic import ValidationError

    from qsi_awards.judging.references import ALPHABET
    from qsi_awards.model import Ballot

    assert set(ALPHABET) == set(string.digits + string.ascii_uppercase) - set("ILOU")
    for character in string.digits + string.ascii_uppercase:
        for written in (f"E-{character * 6}", f"E-{character.lower() * 6}",
                        f"e-7K3Q9{character}"):
            try:
                Ballot.model_validate({"ranking": [written], "conflicts": {written: "why"}})
                taken = True
            except ValidationError:
                taken = False
            assert taken == (character not in "ILOU"), written


def test_explain_takes_a_reference_too(final: tuple[Path, dict[str, str]]) -> None:
    """`qsi tally --explain` explains an entry named by its packs' reference (either
    case) exactly as by its ID, in a rubric round and in a ranked one."""
    root, key = final
    for rnd in ("shortlisting", "final"):
        by_id = run_cli(["tally", "-p", root, "--round", rnd, "--explain", "oak"])
        assert by_id.exit_code == 0, by_id.output
        assert "oak" in by_id.stdout
        for name in (key["oak"], key["oak"].lower()):
            by_ref = run_cli(["tally", "-p", root, "--round", rnd, "--explain", name])
            assert (by_ref.exit_code, by_ref.stdout) == (0, by_id.stdout), by_ref.output
    unknown = run_cli(["tally", "-p", root, "--round", "shortlisting", "--explain",
                       "E-ZZZZZZ"])
    assert unknown.exit_code == 2
    assert "There is no entry 'E-ZZZZZZ'" in unknown.stderr
