"""qsi vote."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

EXAMPLE = ("Examples: qsi vote ballots.txt  |  qsi vote ballots.txt --format json  "
           "(a line per ballot group: '3: falls-huddles > sepsis-screening = pph-bundle')")


class Format(StrEnum):
    text = "text"
    json = "json"


def vote(
    file: Annotated[Path, typer.Argument(
        help="The ballots: one group per line, COUNT: A > B = C > D; '#' starts a comment.",
        show_default=False, metavar="FILE")],
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json."
                                           )] = Format.text,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file (atomically) instead of the screen.")] = None,
) -> None:
    """Count any ballots by the Schulze method, as a ranked round is counted: the order
    (ties never broken), the pairwise counts, the strongest paths and Borda."""
    import sys

    from ..findings import Checked
    from ..judging.schulze import count
    from ..load.votes import read
    from ..report import choose
    from ..report.findings import text
    from ..report.vote import REPORTERS
    from .common import emit

    votes = read(file)
    if votes.findings:
        text(Checked(votes.findings, 1, Path()), sys.stderr)
        raise typer.Exit(1)
    emit(choose(REPORTERS, format), count(votes.candidates, votes.ballots), out, Path())


def register(app: typer.Typer) -> None:
    app.command(name="vote", epilog=EXAMPLE)(vote)
