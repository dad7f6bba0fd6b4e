"""Every command answers --help with an example (SPEC §3), through the same fast path
the `qsi` executable uses (only the command being run is built)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

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
