"""qsi assign."""

from __future__ import annotations

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
    from ..writes import assign as assigning
    from .common import open_or_report

    prog = open_or_report(programme)
    result = assigning.make_plan(prog, seed)
    assigning.check_coverable(result)
    planned = assigning.changes(prog, result)
    if not planned:
        typer.echo(f"Nothing to add: every entry has its "
                   f"{prog.settings['judging']['judges_per_entry']} judges.")
        return
    verb = "would add" if dry_run else "added"
    for change in planned:
        before, after = result.loads_before[change.judge], result.loads_after[change.judge]
        typer.echo(f"scores/{change.judge}.yaml: {verb} {', '.join(change.entries)} "
                   f"(load {before} -> {after})")
    loads = list(result.loads_after.values())
    total = sum(len(c.entries) for c in planned)
    typer.echo(f"{total} judgement{'s' if total != 1 else ''} "
               f"{'to add (dry run: nothing written)' if dry_run else 'added'}; loads "
               f"{'would be' if dry_run else 'are now'} {min(loads)} to {max(loads)} entries "
               "per judge.")
    if not dry_run:
        assigning.write(planned)


def register(app: typer.Typer) -> None:
    app.command(name="assign", epilog=EXAMPLE)(assign)
