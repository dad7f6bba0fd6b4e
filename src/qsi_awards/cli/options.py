"""Options every command shares."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

ProgrammeDir = Annotated[
    Path,
    typer.Option("--programme", "-p", help="The programme folder (default: the current folder).",
                 show_default=False),
]


def today_date(value: str | None) -> dt.date:
    """A --today option's date (YYYY-MM-DD), or the real today when it is not given."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date like 2020-02-15.") from None
