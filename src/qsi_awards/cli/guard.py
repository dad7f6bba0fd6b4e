"""qsi guard."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir, today_date

EXAMPLE = ("Examples: qsi guard --author priya-shah  |  "
           "qsi guard --author hmarsh --base origin/main --format github")


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def guard(
    author: Annotated[str, typer.Option(
        "--author", "-a", help="The GitHub handle of the pull request's author.",
        metavar="HANDLE")],
    programme: ProgrammeDir = Path(),
    base: Annotated[str | None, typer.Option(
        help="The git ref the pull request started from (default origin/main, else HEAD).",
        metavar="REF")] = None,
    format: Annotated[Format | None, typer.Option(
        "--format", "-f", help="text, json or github (github by default under GitHub Actions)."
    )] = None,
    committer: Annotated[list[str] | None, typer.Option(
        help="The GitHub handle of someone who committed or pushed to the pull request "
        "(repeat for each); guard fails if any is neither the author nor a maintainer.",
        metavar="HANDLE")] = None,
    today: Annotated[str | None, typer.Option(
        help="Pretend today is this date (YYYY-MM-DD): new entries arrive on it.",
        metavar="DATE")] = None,
) -> None:
    """Check that the author of a pull request changes only what they may: maintainers
    anything; a judge their own score sheet's assigned entries; an entrant their own
    entries, not after the deadline and not into another category once judged. Who is
    who is read from the base, never from the pull request; the pull request may hold
    only its author's commits (and the maintainers')."""
    from ..guard import run
    from ..report import choose
    from ..report.guard import REPORTERS

    result = run(programme, author, base, committer or [], today_date(today))
    choose(REPORTERS, format)(result, sys.stdout)
    raise typer.Exit(result.exit_code())


def register(app: typer.Typer) -> None:
    app.command(name="guard", epilog=EXAMPLE)(guard)
