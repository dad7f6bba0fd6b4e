"""qsi import scores."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = "Example: qsi import scores returned/hmarsh.xlsx returned/pshah.xlsx --dry-run"


class Format(StrEnum):
    text = "text"
    json = "json"


def scores(
    files: Annotated[list[Path], typer.Argument(
        help="The scoring workbooks (.xlsx) judges sent back, made by 'qsi render "
        "workbooks'.", show_default=False, metavar="FILE.xlsx")],
    programme: ProgrammeDir = Path(),
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would change; write nothing.")] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")
                      ] = Format.text,
) -> None:
    """Write the scores in judges' workbooks into their score sheets (scores/<judge>.yaml).

    Only the values a judge changed are written; everything else in the sheet stays byte
    for byte. A workbook with any problem writes nothing (exit 1); its problems are
    given at their cells (hmarsh.xlsx, Scores!D7).
    """
    from ..report import choose
    from ..report.import_scores import REPORTERS
    from ..writes.import_scores import run
    from .common import open_or_report

    done = run(open_or_report(programme), files, dry_run)
    choose(REPORTERS, format.value)(done, sys.stdout)
    raise typer.Exit(done.exit_code)


def register(group: typer.Typer) -> None:
    group.command(name="scores", epilog=EXAMPLE)(scores)
