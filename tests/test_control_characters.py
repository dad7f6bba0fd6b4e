"""Control characters in a programme's text (terminal escapes, NUL, C1 controls, bidi
overrides; see qsi_awards/controls.py) never reach a terminal raw, and never reach an
HTML or CSV file at all; a raw one in a YAML file is a finding at its own line and
column that names it in words."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
from pathlib import Path

import pytest

from conftest import QSI_ENV, copy_base, installed_qsi_path, run_cli

# Each control character a hostile programme below holds, raw, once read.
RAW = ["\x1b", "\x00", "\x07", "\x9b", "\u202e"]

# In YAML double quotes, as an entrant or judge could write them (\e is escape).
TITLE_YAML = r'"Falls\e[1A\e[2K huddles\u202e"'
TITLE_SHOWN = r"Falls\x1b[1A\x1b[2K huddles\u202e"
TITLE_CLEAN = "Falls[1A[2K huddles"
ORGANISATION_YAML = r'"Mill\x9b2J Practice"'
ORGANISATION_SHOWN = r"Mill\x9b2J Practice"
NAME_YAML = r'"Test\e]0;owned\a Awards\x9b"'  # sets a terminal's window title
NAME_SHOWN = r"Test\x1b]0;owned\x07 Awards\x9b"
JUDGE_YAML = r'"Alex\e[2K Judge"'
JUDGE_SHOWN = r"Alex\x1b[2K Judge"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def hostile(root: Path) -> Path:
    """The base programme with control characters in its names, titles and a body."""
    copy_base(root)
    entry = root / "entries/falls-huddles.md"
    replace_in(entry, "title: Falls huddles", f"title: {TITLE_YAML}")
    replace_in(entry, "organisation: Mill Practice", f"organisation: {ORGANISATION_YAML}")
    replace_in(entry, "Falls were common.", "Falls were\x00 common\x1b[2K.")
    replace_in(root / "programme.yaml", "name: Test Awards", f"name: {NAME_YAML}")
    replace_in(root / "judges.yaml", "name: Alex Judge", f"name: {JUDGE_YAML}")
    return root


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile(tmp_path_factory.mktemp("controls") / "programme")


def assert_no_raw_controls(text: str, where: str) -> None:
    found = sorted({char for char in RAW if char in text})
    assert not found, f"{where} holds raw {found!r}"


# Text for people: escaped -------------------------------------------------------------


@pytest.mark.parametrize(("command", "shown"), [
    (["tally"], [NAME_SHOWN, TITLE_SHOWN, ORGANISATION_SHOWN]),
    (["tally", "--method", "zscore"], [TITLE_SHOWN, ORGANISATION_SHOWN]),
    (["tally", "--format", "markdown"], [TITLE_SHOWN, ORGANISATION_SHOWN]),
    (["tally", "--explain", "falls-huddles"], [TITLE_SHOWN, ORGANISATION_SHOWN]),
    (["status", "--today", "2020-02-01"], [NAME_SHOWN, JUDGE_SHOWN]),
    (["status", "--today", "2020-02-01", "--format", "markdown"], [JUDGE_SHOWN]),
    (["adoption"], [NAME_SHOWN, TITLE_SHOWN, ORGANISATION_SHOWN]),
    (["adoption", "--format", "markdown"], [ORGANISATION_SHOWN]),
], ids=["tally", "tally-zscore", "tally-markdown", "tally-explain", "status", "status-markdown",
        "adoption", "adoption-markdown"])
def test_text_output_shows_control_characters_escaped(programme: Path, command: list[str],
                                                      shown: list[str]) -> None:
    result = run_cli([*command, "-p", programme])
    assert result.exit_code == 0, result.output
    assert_no_raw_controls(result.output, " ".join(command))
    output = result.stdout
    if "markdown" in command:  # what the Markdown reads as: its backslash escapes undone
        output = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", output)
    for text in shown:
        assert text in output, (text, output)


@pytest.mark.parametrize("command", [["tally"], ["status", "--today", "2020-02-01"],
                                     ["adoption"], ["remind", "--today", "2020-02-10"]],
                         ids=["tally", "status", "adoption", "remind"])
def test_json_output_escapes_them_all_and_keeps_the_data(programme: Path,
                                                         command: list[str]) -> None:
    """json.dumps escapes only C0; DEL, C1 (U+009B) and bidi overrides are escaped too."""
    result = run_cli([*command, "-p", programme, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert_no_raw_controls(result.stdout, " ".join(command))
    assert "\\u009b" in result.stdout
    document = json.loads(result.stdout)
    assert document["programme"] == "Test\x1b]0;owned\x07 Awards\x9b"


def test_findings_show_control_characters_escaped(base_copy: Path) -> None:
    """A finding quotes the bad value, and names a badly named file, as written."""
    replace_in(base_copy / "entries/falls-huddles.md", "care_setting: primary",
               r'care_setting: "\e[2Khospital"')
    (base_copy / "entries" / "\x1b[1Aodd.md").write_text("---\n", "utf-8")
    for fmt in ("text", "github"):
        result = run_cli(["validate", "-p", base_copy, "--format", fmt])
        assert result.exit_code == 1
        assert_no_raw_controls(result.output, f"validate --format {fmt}")
        assert r"'\x1b[2Khospital'" in result.stdout
        assert r"entries/\x1b[1Aodd.md" in result.stdout
    result = run_cli(["validate", "-p", base_copy, "--format", "json"])
    assert_no_raw_controls(result.stdout, "validate --format json")
    findings = json.loads(result.stdout)["findings"]
    assert {f["path"] for f in findings} >= {"entries/\x1b[1Aodd.md"}


def test_refusals_show_control_characters_escaped(base_copy: Path) -> None:
    result = run_cli(["tally", "-p", base_copy, "--explain", "\x1b[2Knothing"])
    assert result.exit_code == 2
    assert r"There is no entry '\x1b[2Knothing'" in result.stderr
    assert_no_raw_controls(result.stderr, "the refusal")


def test_entrant_text_is_never_rich_markup(base_copy: Path) -> None:
    replace_in(base_copy / "entries/falls-huddles.md", "title: Falls huddles",
               r'title: "[bold red]Falls[/] huddles [/]\\"')
    result = run_cli(["tally", "-p", base_copy])
    assert result.exit_code == 0, result.output
    assert r"[bold red]Falls[/] huddles [/]\ (falls-huddles)" in result.stdout


def run_in_a_terminal(*args: str | Path) -> str:
    """Run the installed qsi with a real terminal as its output, as a person would."""
    executable = installed_qsi_path()
    assert executable is not None
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in QSI_ENV}
    environment.update(TERM="xterm-256color", COLUMNS="200", LINES="50")
    with subprocess.Popen([executable, *map(str, args)], stdout=follower, stderr=follower,
                          stdin=subprocess.DEVNULL, env=environment) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when qsi ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize("command", [["tally"], ["validate"]])
def test_a_terminal_gets_no_escape_sequence_from_the_programme(programme: Path,
                                                               command: list[str]) -> None:
    """On a terminal qsi colours its output (escape sequences of its own), but none
    from the programme's text: those show as text."""
    if command == ["validate"]:
        root = programme.parent / "invalid"
        if not root.exists():
            hostile(root)
            replace_in(root / "entries/falls-huddles.md", "care_setting: primary",
                       r'care_setting: "\e[1A\e[2K"')
        programme = root
    shown = run_in_a_terminal(*command, "-p", programme)
    assert "\x1b[1A" not in shown and "\x1b[2K" not in shown, shown
    assert r"\x1b[1A\x1b[2K" in shown


# Files others open: removed -----------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(programme: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("controls-out")
    for kind in ("shortlist", "announcement", "site"):
        result = run_cli(["render", kind, "-p", programme, "--out", out])
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("name", ["index.html", "entries/falls-huddles.html", "shortlist.html",
                                  "shortlist.md", "press-release.md", "social-posts.csv"])
def test_rendered_files_never_carry_control_characters(rendered: Path, name: str) -> None:
    text = (rendered / name).read_text("utf-8")
    assert_no_raw_controls(text, name)
    assert TITLE_CLEAN in text.replace("\\", "")  # the title is there, without them


def test_the_entry_page_has_its_body_without_the_nul(rendered: Path) -> None:
    page = (rendered / "entries/falls-huddles.html").read_text("utf-8")
    assert "Falls were common[2K." in page  # Markdown would show the NUL as U+FFFD
    assert "\ufffd" not in page


def test_the_tally_csv_never_carries_control_characters(programme: Path) -> None:
    result = run_cli(["tally", "-p", programme, "--format", "csv"])
    assert result.exit_code == 0
    assert_no_raw_controls(result.stdout, "tally.csv")
    rows = {row["entry"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["falls-huddles"]["title"] == TITLE_CLEAN
    assert rows["falls-huddles"]["organisation"] == "Mill2J Practice"


# Raw in a YAML file: a finding at its place -------------------------------------------


@pytest.mark.parametrize(("char", "name"), [
    ("\x1b", "U+001B ESCAPE"), ("\x00", "U+0000 NULL"), ("\x08", "U+0008 BACKSPACE"),
    ("\x7f", "U+007F DELETE"), ("\x9b", "U+009B"), ("\x85", "U+0085"),
    ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
])
def test_a_raw_control_character_in_yaml_is_found_at_its_line_and_column(
        base_copy: Path, char: str, name: str) -> None:
    # line 3 of programme.yaml is 'region: Testshire'; 'shire' starts in column 13
    replace_in(base_copy / "programme.yaml", "region: Testshire", f"region: Test{char}shire")
    result = run_cli(["validate", "-p", base_copy, "--format", "json"])
    assert result.exit_code == 1
    found = [f for f in json.loads(result.stdout)["findings"] if f["path"] == "programme.yaml"]
    assert [(f["line"], f["column"], f["code"]) for f in found] == [
        (3, 13, "control-character")]
    assert found[0]["message"] == (
        f"An invisible control character ({name}) is at this point; remove it.")


def test_in_front_matter_the_line_counts_from_the_top_of_the_file(base_copy: Path) -> None:
    entry = base_copy / "entries/falls-huddles.md"
    replace_in(entry, "organisation: Mill Practice", "organisation: Mill\x1b[2KPractice\x07")
    result = run_cli(["validate", "-p", base_copy])
    assert result.exit_code == 1
    assert ("entries/falls-huddles.md:4:19: control-character An invisible control character "
            "(U+001B ESCAPE) is at this point; remove it and the 1 other after it.\n"
            in result.stdout)


def test_a_character_yaml_refuses_is_found_at_its_place_too(base_copy: Path) -> None:
    """U+FFFF is no control character, but libyaml refuses it, naming only a byte
    offset ('position 19'); qsi says the line and column."""
    replace_in(base_copy / "programme.yaml", "region: Testshire", "region: Testé\uffff")
    result = run_cli(["validate", "-p", base_copy, "--format", "json"])
    found = [f for f in json.loads(result.stdout)["findings"] if f["path"] == "programme.yaml"]
    assert [(f["line"], f["column"], f["code"]) for f in found] == [(3, 14, "yaml-syntax")]
    assert "U+FFFF" in found[0]["message"] and "position" not in found[0]["message"]
