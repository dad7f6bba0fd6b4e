"""qsi codeowners."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = ("Examples: qsi codeowners  |  qsi codeowners --out .github/CODEOWNERS  |  "
           "qsi codeowners --check .github/CODEOWNERS")


def codeowners(
    programme: ProgrammeDir = Path(),
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file (atomically) instead of the screen.")] = None,
    check: Annotated[Path | None, typer.Option(
        help="Do not write: exit 1 if this file differs from what qsi would write.",
        metavar="FILE")] = None,
) -> None:
    """Print a CODEOWNERS file: the maintainers own everything, each judge their score
    sheet and each entrant their entries (paths from the git repository's root)."""
    from ..gitops import repo_prefix
    from ..writes.codeowners import codeowners as build
    from .common import emit, open_or_report

    prog = open_or_report(programme)
    owners = build(prog.settings, prog.judges.values(), prog.entries,
                   repo_prefix(prog.root))
    from ..controls import escaped

    for handle in owners.skipped:
        typer.echo(f"qsi: left out '{escaped(handle)}': it is not a GitHub handle (letters, digits "
                   "and dashes, or org/team).", err=True)
    if check is not None:
        from ..fileio import read_file

        try:  # never waits on a FIFO or reads a device
            current = read_file(check, 4 * len(owners.text) + 1024,
                                follow_links=True).decode("utf-8")
        except (OSError, ValueError):
            current = None
        if current != owners.text:
            typer.echo(f"qsi: {check} is out of date; regenerate it with "
                       f"'qsi codeowners --out {check}'.", err=True)
            raise typer.Exit(1)
        typer.echo(f"{check} is up to date.")
        return
    emit(owners.text, out, programme)


def register(app: typer.Typer) -> None:
    app.command(name="codeowners", epilog=EXAMPLE)(codeowners)
