"""qsi assign."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = "Examples: qsi assign --dry-run  |  qsi assign --seed 2020"


def assign(
    programme: ProgrammeDir = Path(),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; write nothing.")
                       ] = False,
    seed: Annotated[int, typer.Option(help="Chooses between equally fair plans; the same seed "
                                      "always gives the same plan.")] = 0,
) -> None:
    """Give every entry judges_per_entry judges by adding empty score stubs to the sheets.

    Never a conflicted judge, never one outside their categories; loads as even as the
    rules allow. Only adds: everything already in a score sheet stays exactly as it is.
    """
    from ..report import choose
    from ..report.assign import REPORTERS
    from ..writes.assign import run
    from .common import open_or_report

    choose(REPORTERS)(run(open_or_report(programme), seed, dry_run), sys.stdout)


def register(app: typer.Typer) -> None:
    app.command(name="assign", epilog=EXAMPLE)(assign)
