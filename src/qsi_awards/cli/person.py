"""qsi person."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = ("Examples: qsi person \"Dr Jo O'Neill\"  |  qsi person jo.oneill@nhs.net  |  "
           "qsi person @jo-oneill --format json")


class Format(StrEnum):
    text = "text"
    json = "json"


def person(
    query: Annotated[str, typer.Argument(
        help="The person: a name, an e-mail address or a GitHub handle.", metavar="QUERY",
        show_default=False)],
    programme: ProgrammeDir = Path(),
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json."
                                           )] = Format.text,
) -> None:
    """For a subject access request: every file, line and field that mentions a person
    (found however their name, e-mail address or handle is written), and every output
    qsi would publish with it."""
    from ..load.texts import texts
    from ..privacy.person import person as search
    from ..programme import Programme, examine
    from ..report import choose
    from ..report.person import REPORTERS

    examined = examine(programme)
    folder = examined.folder
    prog = (Programme(folder, folder.settings, examined.findings)
            if not examined.errors and folder.settings is not None else None)
    found = search(query, texts(folder.root), folder, examined.errors, prog)
    choose(REPORTERS, format)(found, sys.stdout)
    raise typer.Exit(1 if examined.errors else 0)


def register(app: typer.Typer) -> None:
    app.command(name="person", epilog=EXAMPLE)(person)
