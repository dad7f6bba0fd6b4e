"""The edge of the command line: every error is rendered once, in cli/__init__.py
(`handled`); `qsi --debug COMMAND` shows the traceback of a bug; each command picks its
reporter by --format name from its report module; dates read the same on every platform."""

from __future__ import annotations

import datetime as dt
import errno
import importlib
import re
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest
import typer
from typer.testing import CliRunner

from conftest import BASE, REPO, RunQsi, run_cli
from qsi_awards.cli import COMMANDS, app, handled, make_app
from qsi_awards.dates import long_date, short_date
from qsi_awards.errors import ProblemsFound, QsiError

SRC = REPO / "src" / "qsi_awards"
BUG = ("qsi: something went wrong inside qsi (ValueError: the score is \\x1b[2K gone). This "
       "is a bug in qsi, not in your files: please report it with the command you ran")


def broken() -> NoReturn:
    raise ValueError("the score is \x1b[2K\n gone")


def exit_code(call: pytest.ExceptionInfo[typer.Exit]) -> int:
    return call.value.exit_code


# The last-resort handler ---------------------------------------------------------------


def test_an_unexpected_exception_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    with pytest.raises(typer.Exit) as stopped:
        handled(broken)
    assert exit_code(stopped) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == BUG + ("; run it again as 'qsi --debug ...' (the same command after --debug) "
                         "to see the details.\n")
    assert "Traceback" not in err


def test_debug_shows_the_traceback_first(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as stopped:
        handled(broken, debug=True)
    assert exit_code(stopped) == 2
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert "in broken\n" in err and "ValueError: the score is \\x1b[2K\n gone\n" in err
    assert "\x1b" not in err  # control characters escaped, as everywhere qsi prints
    assert err.endswith(BUG + " and the details above.\n")


def test_a_long_message_is_cut(capsys: pytest.CaptureFixture[str]) -> None:
    def long() -> NoReturn:
        raise KeyError("x" * 1000)

    with pytest.raises(typer.Exit):
        handled(long)
    err = capsys.readouterr().err
    assert "(KeyError: 'xxx" in err and "xxx…). This is a bug" in err
    assert len(err) < 500


@pytest.mark.parametrize(("error", "code"), [(QsiError("No such folder."), 2),
                                             (ProblemsFound("No such folder."), 1)])
def test_qsi_errors_are_their_message_and_code(error: QsiError, code: int,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    def fail() -> NoReturn:
        raise error

    with pytest.raises(typer.Exit) as stopped:
        handled(fail)
    assert exit_code(stopped) == code
    assert capsys.readouterr().err == "qsi: No such folder.\n"


@pytest.mark.parametrize("error", [typer.Exit(1), typer.Abort(), typer.BadParameter("no"),
                                   EOFError(), BrokenPipeError(errno.EPIPE, "Broken pipe")])
def test_what_typer_handles_passes_through(error: Exception,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    def fail() -> NoReturn:
        raise error

    with pytest.raises(type(error)):
        handled(fail, debug=True)
    assert capsys.readouterr().err == ""


def test_the_handler_returns_what_the_command_returns() -> None:
    assert handled(lambda: 7) == 7


# --debug, through every command ---------------------------------------------------------


@pytest.mark.parametrize("argv", [[name] for name in COMMANDS] + [["new", "entry"]])
def test_every_command_accepts_debug(argv: list[str]) -> None:
    runner = CliRunner()
    for application in (app, make_app([argv[0]])):
        result = runner.invoke(application, ["--debug", *argv, "--help"],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert f"Usage: qsi {' '.join(argv)}" in result.stdout


def test_debug_changes_nothing_when_nothing_goes_wrong(installed_qsi: RunQsi) -> None:
    args = ["status", "-p", BASE, "--today", "2020-02-05"]
    plain, debug = installed_qsi(*args), installed_qsi("--debug", *args)
    assert (debug.returncode, debug.stdout, debug.stderr) == (0, plain.stdout, "")
    assert plain.stdout.startswith("Test Awards 2020 — status on 5 Feb 2020\n")


def test_debug_keeps_the_one_command_fast_path() -> None:
    """`qsi --debug schema --help` builds only the schema command, like `qsi schema`."""
    code = ("import sys; sys.argv = ['qsi', '--debug', 'schema', '--help']\n"
            "from qsi_awards.main import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('qsi_awards.cli.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == \
        "['qsi_awards.cli.options', 'qsi_awards.cli.schema']"


def test_start_up_leaves_the_cyclic_collector_idle() -> None:
    """What start-up makes (typer, pydantic, the models) lasts the run, so the executable
    does not have the cyclic collector walk it: on the example programme, `qsi validate`
    runs it not once (main.GC_THRESHOLD; Python's default ran it some 90 times)."""
    code = ("import gc, sys\nfrom qsi_awards.main import main\nruns = []\n"
            "gc.callbacks.append(lambda phase, info: runs.append(phase == 'start'))\n"
            f"sys.argv = ['qsi', 'validate', '-p', {str(REPO)!r}]\n"
            "try:\n    main()\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n"
            "print(sum(runs))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines()[-1] == "0"


def test_a_job_summary_that_cannot_be_written_is_a_message(tmp_path: Path,
                                                            base_copy: Path) -> None:
    """GITHUB_STEP_SUMMARY naming a folder gave a traceback (IsADirectoryError)."""
    result = run_cli(["validate", "-p", base_copy, "--format", "github"],
                     env={"GITHUB_STEP_SUMMARY": str(tmp_path)})
    assert result.exit_code == 2
    assert result.stderr == (
        f"qsi: Cannot add the job summary to {tmp_path} (named by GITHUB_STEP_SUMMARY): Is a "
        "directory. Unset it, or name a file qsi may append to.\n")


# Reporters ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "guard", "status", "tally", "adoption",
                                     "privacy", "person", "archive"])
def test_the_format_option_offers_exactly_the_reporters(command: str) -> None:
    """--format's choices are the report module's REPORTERS, the default first."""
    cli = importlib.import_module(f"qsi_awards.cli.{command}")
    reporters = importlib.import_module(f"qsi_awards.report.{command}").REPORTERS
    assert [choice.value for choice in cli.Format] == list(reporters)
    result = run_cli([command, "--help"])
    default = re.search(r"\[default: (\w+)\]", result.stdout)
    assert default is None or default.group(1) == next(iter(reporters))


# Dates ----------------------------------------------------------------------------------


def test_dates_are_spelled_out() -> None:
    assert long_date(dt.date(2020, 4, 1)) == "1 April 2020"
    assert short_date(dt.date(2020, 4, 1)) == "1 Apr 2020"
    assert long_date(dt.date(1999, 12, 31)) == "31 December 1999"
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec"]
    assert [short_date(dt.date(2021, m, 9)) for m in range(1, 13)] == [
        f"9 {month} 2021" for month in months]


# strftime directives that differ between platforms: glibc's %-d (no padding; Windows
# has %#d), and %B/%b/%A/%a/%p/%c/%x/%X, which follow the locale.
PLATFORM_DIRECTIVES = re.compile(r"%[-#][a-zA-Z]|strftime\(|:%[-#]?[BbAapcxX]")


@pytest.mark.parametrize("rel", [path.relative_to(SRC).as_posix()
                                 for path in sorted(SRC.rglob("*.py"))])
def test_no_platform_specific_date_formats(rel: str) -> None:
    text = (SRC / rel).read_text("utf-8")
    assert not PLATFORM_DIRECTIVES.findall(text), rel
