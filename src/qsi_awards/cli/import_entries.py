"""qsi import entries."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = ("Examples: qsi import entries responses.xlsx  |  qsi import entries responses.csv "
           "--map forms/google-map.yaml --dry-run")


class Format(StrEnum):
    text = "text"
    json = "json"


def entries(
    export: Annotated[Path, typer.Argument(
        help="The responses, as Microsoft Forms (Open in Excel: .xlsx) or Google Forms "
             "(Download responses: .csv) export them.", show_default=False,
        metavar="EXPORT")],
    map_file: Annotated[Path | None, typer.Option(
        "--map", "-m", help="The entry map: which column is which field or section "
        "(default: forms/entry-map.yaml in the programme folder).", show_default=False,
        metavar="MAP.yaml")] = None,
    programme: ProgrammeDir = Path(),
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be created; write nothing.")] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")
                      ] = Format.text,
) -> None:
    """Make an entry of every new response in a Forms export: entries/<slug>.md each.

    Responses already imported (an entry records its form and response ID) are skipped,
    so importing a longer export later adds only the new ones; nothing is overwritten.
    A response with a problem is named by its row and column; the others are still
    imported. Exit 1 when any response had a problem, 2 when nothing could be imported.
    """
    from ..report import choose
    from ..report.import_entries import REPORTERS
    from ..writes.import_entries import import_entries

    result = import_entries(programme, export, export.as_posix(), map_file, dry_run=dry_run)
    choose(REPORTERS, format.value)(result, sys.stdout)
    raise typer.Exit(result.exit_code)


def register(group: typer.Typer) -> None:
    group.command(name="entries", epilog=EXAMPLE)(entries)
