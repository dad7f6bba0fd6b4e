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
    from ..report import as_is
    from ..writes.codeowners import check as compare
    from ..writes.codeowners import of_programme
    from .common import emit, open_or_report, warn

    owners = of_programme(open_or_report(programme))
    for warning in owners.warnings():
        warn(warning)
    if check is None:
        emit(as_is, owners.text, out, programme)
        return
    compare(check, owners)
    typer.echo(f"{check} is up to date.")


def register(app: typer.Typer) -> None:
    app.command(name="codeowners", epilog=EXAMPLE)(codeowners)
