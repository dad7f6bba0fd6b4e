"""qsi privacy."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = "Examples: qsi privacy  |  qsi privacy --format json"


class Format(StrEnum):
    text = "text"
    json = "json"


def privacy(
    programme: ProgrammeDir = Path(),
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json."
                                           )] = Format.text,
) -> None:
    """The programme's personal data: which fields of which files hold it, who it is about,
    where qsi publishes it, each entry's consent to publish, and e-mail addresses and
    phone numbers in text fields. Exits 1 if qsi would publish contact details without a
    basis (see the README)."""
    from ..privacy.inventory import inventory
    from ..report import choose
    from ..report.privacy import REPORTERS
    from .common import open_or_report

    found = inventory(open_or_report(programme))
    choose(REPORTERS, format)(found, sys.stdout)
    raise typer.Exit(1 if found.problems else 0)


def register(app: typer.Typer) -> None:
    app.command(name="privacy", epilog=EXAMPLE)(privacy)
