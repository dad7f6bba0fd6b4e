"""Every command answers --help with an example (SPEC §3), through the same fast path
the `qsi` executable uses (only the command being run is built). `qsi --help` itself is
printed without typer (usage.py): it is typer's own help, byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from conftest import RunQsi, installed_qsi_path
from qsi_awards import usage
from qsi_awards.cli import COMMANDS, app, make_app

runner = CliRunner()


@pytest.mark.parametrize("argv", [[name] for name in COMMANDS] + [["new", "entry"]])
def test_help_has_an_example(argv: list[str]) -> None:
    for application in (app, make_app([argv[0]])):
        result = runner.invoke(application, [*argv, "--help"], catch_exceptions=False)
        assert result.exit_code == 0
        assert f"Usage: qsi {' '.join(argv)}" in result.stdout
        assert "Example" in result.stdout


def test_top_level_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"], catch_exceptions=False)
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.stdout


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(app, [])
    assert "Usage: qsi" in result.output


def typers_help() -> str:
    """What typer prints for `qsi --help` with the whole app, for the COLUMNS set."""
    command = typer.main.get_command(app)
    context = typer.Context(command, info_name="qsi", **command.context_settings)
    return command.get_help(context) + "\n"


@pytest.mark.parametrize("columns", [20, 50, 52, 60, 64, 70, 77, 78, 79, 80, 81, 120, 300])
def test_help_without_typer_is_typers_own(monkeypatch: pytest.MonkeyPatch,
                                          columns: int) -> None:
    """Every width typer lays help out at (50 to 78 columns), and either side."""
    monkeypatch.setenv("COLUMNS", str(columns))
    assert usage.top_help() == typers_help()


def test_each_summary_is_the_first_sentence_of_its_command() -> None:
    """The whole sentence, not only the part a terminal shows, in typer's order."""
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    first_sentences = {}
    for name in command.list_commands(typer.Context(command)):
        words = (command.commands[name].help or "").split("\n\n")[0].split()
        end = next(index for index, word in enumerate(words) if word.endswith("."))
        first_sentences[name] = " ".join(words[:end + 1])
    assert list(usage.SUMMARIES.items()) == list(first_sentences.items())


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_the_executable_answers_help_without_typer(
        monkeypatch: pytest.MonkeyPatch, installed_qsi: RunQsi, flag: str) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    done = installed_qsi(flag, env={"COLUMNS": "80"})
    assert (done.returncode, done.stdout, done.stderr) == (0, typers_help(), "")
    code = (f"import sys; sys.argv = ['qsi', {flag!r}]\nfrom qsi_awards.main import main\n"
            "main()\nprint(sorted(m for m in ('typer', 'qsi_awards.cli') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout == typers_help() + "[]\n"


def test_help_read_by_nobody_stops_quietly() -> None:
    """`qsi --help` into a closed pipe: exit 1 and no traceback, as typer does."""
    executable = installed_qsi_path()
    assert executable is not None
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([executable, "--help"], stdout=write, stderr=subprocess.PIPE,
                              text=True, check=False)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (1, "")
