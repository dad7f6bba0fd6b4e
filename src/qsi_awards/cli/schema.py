"""qsi schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = "Example: qsi schema --out schemas"


def schema(
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="The folder to write the schemas to (created if needed); not "
                            "the programme folder or one of its input folders.")],
    programme: ProgrammeDir = Path(),
) -> None:
    """Write one JSON Schema per file kind, for editors to check files as people type."""
    from ..schemas import write_schemas

    for path in write_schemas(out, programme):
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    app.command(name="schema", epilog=EXAMPLE)(schema)
