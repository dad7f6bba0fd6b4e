"""qsi validate."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = ("Examples: qsi validate  |  qsi validate --format json --strict  |  "
           "qsi validate --changed --base origin/main")


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    programme: ProgrammeDir = Path(),
    format: Annotated[Format | None, typer.Option(
        "--format", "-f", help="text, json or github (github by default under GitHub Actions)."
    )] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    changed: Annotated[bool, typer.Option(
        "--changed",
        help="Only report on files changed against --base (references still use every file).",
    )] = False,
    base: Annotated[str | None, typer.Option(
        help="The git ref --changed compares with (default origin/main, else HEAD)."
    )] = None,
) -> None:
    """Check every file of the programme and report every problem found."""
    from ..report import choose
    from ..report.validate import REPORTERS
    from ..validate import run

    result = run(programme, changed=changed, base=base)
    choose(REPORTERS, format)(result, sys.stdout)
    raise typer.Exit(result.exit_code(strict))


def register(app: typer.Typer) -> None:
    app.command(name="validate", epilog=EXAMPLE)(validate)
