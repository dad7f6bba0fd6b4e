"""Numbers are written as plain decimals (7, -2, 0.5), or they are findings: never a
number YAML 1.1 reads silently as another (010 is 8 to it), never infinite, never so
large that a command crashes on it. Text fields keep what was written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_base, run_cli
from qsi_awards.load import yamlparse

HUGE = "1" + "0" * 30  # 10**30


@pytest.mark.parametrize(("written", "read"), [
    ("7", 7), ("-2", -2), ("0", 0), ("0.5", 0.5), ("-12.75", -12.75),
    ("010", "010"), ("007", "007"), ("0o10", "0o10"), ("0x1F", "0x1F"), ("0b101", "0b101"),
    ("1_000", "1_000"), ("1:30", "1:30"), ("1e3", "1e3"), ("1.0e+3", "1.0e+3"),
    ("+5", "+5"), (".5", ".5"), ("5.", "5."), (".inf", ".inf"), ("-.inf", "-.inf"),
    (".nan", ".nan"), ("1" + "0" * 400 + ".5", "1" + "0" * 400 + ".5"),
])
def test_only_plain_decimals_are_read_as_numbers(written: str, read: object) -> None:
    value = yamlparse.parse(f"a: {written}\n")[0]["a"]
    assert value == read and type(value) is type(read)


def test_tagged_numbers_follow_the_same_rule() -> None:
    assert yamlparse.parse("a: !!float 9\n")[0] == {"a": 9.0}
    for written in ("!!float .inf", "!!int 010", "!!int 0x1F"):
        with pytest.raises(yamlparse.YamlError) as caught:
            yamlparse.parse(f"a: {written}\n")
        assert caught.value.problem.code == "yaml-tag"


def validate(root: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli(["validate", "-p", root, "--format", "json"])
    return result.exit_code, json.loads(result.stdout)["findings"]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(("written", "advice"), [
    ("010", "write 10, without the leading zero"),
    ("0x0A", "write 10, in ordinary decimal digits"),
    ("1_0", "write 10, without the underscores"),
    ("1e1", "write 10, in plain digits"),
    ("+10", "write 10, without the + sign"),
    ("1:30", "write a plain number such as 7 or 2.5, without colons"),
    (".inf", "write an ordinary number such as 7 or 2.5"),
    ("1e400", "it is far too large; write a smaller number"),
])
def test_a_score_written_otherwise_is_a_finding_that_says_how_to_write_it(
        base_copy: Path, written: str, advice: str) -> None:
    # scores/ajudge.yaml line 5 is '    impact: 8'; the value starts in column 13
    replace_in(base_copy / "scores/ajudge.yaml", "impact: 8", f"impact: {written}")
    exit_code, found = validate(base_copy)
    assert exit_code == 1
    (finding,) = [f for f in found if f["path"] == "scores/ajudge.yaml"]
    assert (finding["line"], finding["column"], finding["code"]) == (5, 13, "bad-number")
    assert finding["message"] == (
        "'scores.falls-huddles.impact' should be a whole number, but it is written "
        f"{written}; {advice}.")


def test_a_weight_written_with_a_leading_zero_is_not_read_as_octal(base_copy: Path) -> None:
    """The old reader took `weight: 010` as 8 and tallied with it, silently."""
    replace_in(base_copy / "programme.yaml", "weight: 20}", "weight: 020}")
    exit_code, found = validate(base_copy)
    assert exit_code == 1
    assert [(f["line"], f["code"]) for f in found if f["path"] == "programme.yaml"] == [
        (14, "bad-number")]
    assert "write 20, without the leading zero" in found[0]["message"]
    tally = run_cli(["tally", "-p", base_copy, "--format", "json"])
    assert tally.exit_code == 1 and tally.stdout == ""


def test_text_fields_keep_what_was_written(base_copy: Path) -> None:
    """An organisation called 007 and a team member called 1_000 stay that text."""
    entry = base_copy / "entries/falls-huddles.md"
    replace_in(entry, "organisation: Mill Practice", "organisation: 010")
    replace_in(entry, "team: [Tom Clarke]", "team: [007, 1:30, 0x1F, .inf]")
    assert validate(base_copy) == (0, [])
    result = run_cli(["tally", "-p", base_copy, "--format", "json"])
    entries = {e["entry"]: e for c in json.loads(result.stdout)["categories"]
               for e in c["entries"]}
    assert entries["falls-huddles"]["organisation"] == "010"


def test_an_id_written_007_stays_the_id_007(base_copy: Path) -> None:
    """Unquoted, 007 was the number 7 to YAML 1.1, so a category with ID 007 failed
    validation everywhere it was named; now it is the ID it looks like."""
    for rel in ("categories.yaml", "judges.yaml", "entries/falls-huddles.md"):
        path = base_copy / rel
        path.write_text(path.read_text("utf-8").replace("safety-primary", "007"), "utf-8")
    assert validate(base_copy) == (0, [])
    result = run_cli(["tally", "-p", base_copy, "--format", "json"])
    assert [c["id"] for c in json.loads(result.stdout)["categories"]] == ["007", "qi-patients"]


# Every numeric field, every hostile number: a finding and exit 1 from every command,
# never a traceback (run_cli lets any exception through, failing the test).

# field -> (file, text in base, the same text with {v} for the value)
FIELDS = {
    "weight": ("programme.yaml", "weight: 20}", "weight: {v}}"),
    "scale.min": ("programme.yaml", "scale: {min: 0,", "scale: {min: {v},"),
    "scale.max": ("programme.yaml", "max: 10}", "max: {v}}"),
    "disagreement": ("programme.yaml", "disagreement: 3.0", "disagreement: {v}"),
    "judges_per_entry": ("programme.yaml", "judges_per_entry: 2", "judges_per_entry: {v}"),
    "shortlist_size": ("programme.yaml", "shortlist_size: 3", "shortlist_size: {v}"),
    "highly_commended": ("programme.yaml", "highly_commended: 1", "highly_commended: {v}"),
    "max_words": ("programme.yaml", "max_words: 30}", "max_words: {v}}"),
    "score": ("scores/ajudge.yaml", "ambition: 7", "ambition: {v}"),
}
VALUES = [".inf", "-.inf", ".nan", "1e400", "1.0e+400", HUGE, "-" + HUGE,
          "1" + "0" * 400 + ".5"]
COMMANDS = [["tally"], ["tally", "--format", "json"], ["tally", "--method", "zscore"],
            ["status"], ["adoption"], ["render", "shortlist", "--out", "OUT"],
            ["render", "site", "--out", "OUT"], ["render", "announcement", "--out", "OUT"]]


@pytest.mark.parametrize("value", VALUES, ids=[".inf", "-.inf", ".nan", "1e400", "1.0e+400",
                                               "10^30", "-10^30", "10^400.5"])
@pytest.mark.parametrize("field", FIELDS)
def test_hostile_numbers_are_findings_in_every_command(tmp_path: Path, field: str,
                                                       value: str) -> None:
    root = copy_base(tmp_path / "programme")
    rel, old, new = FIELDS[field]
    replace_in(root / rel, old, new.replace("{v}", value))
    exit_code, found = validate(root)
    assert exit_code == 1
    assert {f["code"] for f in found if f["path"] == rel} & {
        "bad-number", "bad-value", "bad-weight", "wrong-type", "score-out-of-range"}, found
    for command in COMMANDS:
        args = [str(tmp_path / "out") if arg == "OUT" else arg for arg in command]
        result = run_cli([*args, "-p", root])
        assert result.exit_code == 1, (command, result.output)
        assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_scores_in_the_octillions_never_reach_the_tally(base_copy: Path) -> None:
    """A scale up to 10**30 let scores of 10**27 through, and rounding them crashed."""
    replace_in(base_copy / "programme.yaml", "max: 10}", f"max: {HUGE}}}")
    for sheet in sorted((base_copy / "scores").glob("*.yaml")):
        text = sheet.read_text("utf-8")
        sheet.write_text(text.replace("ambition: 7", "ambition: 1" + "0" * 27), "utf-8")
    for method in ("mean", "zscore"):
        result = run_cli(["tally", "-p", base_copy, "--method", method])
        assert result.exit_code == 1
        assert "programme.yaml:12:24: bad-value 'rubric.scale.max' must be at most " \
               "1,000,000, but it is a very large number." in result.stderr
