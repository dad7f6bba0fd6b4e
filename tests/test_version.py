"""`qsi --version`: the installed package's version, quickly (no command is built and
nothing heavy is imported)."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import qsi_awards
from conftest import REPO, RunQsi, run_cli

VERSION = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def test_the_installed_qsi_says_its_version(installed_qsi: RunQsi) -> None:
    done = installed_qsi("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"qsi {VERSION}\n"
    assert installed_qsi("--debug", "--version").stdout == f"qsi {VERSION}\n"


def test_version_is_listed_in_the_help() -> None:
    assert "--version" in run_cli(["--help"]).stdout


def test_version_imports_no_command_and_no_pydantic() -> None:
    code = ("import sys; from qsi_awards.cli import run\nsys.argv = ['qsi', '--version']\n"
            "try:\n    run(sys.argv)\nexcept SystemExit as done:\n"
            "    assert not done.code, done.code\n"
            "print('pydantic' in sys.modules, any(name.startswith('qsi_awards.cli.') and "
            "name != 'qsi_awards.cli.common' for name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines() == [f"qsi {VERSION}", "False False"]


def test_the_package_says_the_same_version() -> None:
    """qsi_awards.__version__ (which `qsi init` pins the GitHub Action to) may not drift
    from the package metadata."""
    assert qsi_awards.__version__ == VERSION
