"""qsi import: bring in what people who do not use git sent back. `qsi import scores`
is here; other importers each live in a module of their own (see IMPORTERS)."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = "Example: qsi import scores returned/hmarsh.xlsx returned/pshah.xlsx --dry-run"

import_app = typer.Typer(
    name="import",
    help="Bring in what judges and entrants sent back without git. " + EXAMPLE,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Modules beside this one that add a command to `qsi import`, imported once, when this
# module is first imported: each adds its command to import_app, with a register(app)
# function (called with import_app) or as it is imported; one that is not there is
# skipped.
IMPORTERS = ["import_entries"]


class Format(StrEnum):
    text = "text"
    json = "json"


@import_app.command(name="scores", epilog=EXAMPLE)
def scores(
    files: Annotated[list[Path], typer.Argument(
        help="The scoring workbooks (.xlsx) judges sent back, made by 'qsi render "
        "workbooks'.", show_default=False, metavar="FILE.xlsx")],
    programme: ProgrammeDir = Path(),
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would change; write nothing.")] = False,
    format_: Annotated[Format, typer.Option(
        "--format", help="text or json.", show_default=False)] = Format.text,
) -> None:
    """Write the scores in judges' workbooks into their score sheets (scores/<judge>.yaml).

    Only the values a judge changed are written; everything else in the sheet stays byte
    for byte. A workbook with any problem writes nothing (exit 1); its problems are
    given at their cells (hmarsh.xlsx, Scores!D7).
    """
    from ..report import choose
    from ..report.imports import REPORTERS
    from ..writes.import_scores import run
    from .common import open_or_report

    done = run(open_or_report(programme), files, dry_run)
    choose(REPORTERS, format_.value)(done, sys.stdout)
    raise typer.Exit(done.exit_code)


for _name in IMPORTERS:
    if importlib.util.find_spec(f"{__package__}.{_name}") is not None:
        _register = getattr(importlib.import_module(f"{__package__}.{_name}"), "register",
                            None)
        if _register is not None:
            _register(import_app)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
