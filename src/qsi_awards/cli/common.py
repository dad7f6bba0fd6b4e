"""Helpers the commands share: open a programme (printing its findings on failure), and
print a command's text or write it atomically to --out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from ..programme import Programme


def open_or_report(root: Path) -> Programme:
    """Open the programme; on errors print the findings to stderr and re-raise."""
    from ..programme import InvalidProgramme, open_programme
    from ..report.findings import text

    try:
        return open_programme(root)
    except InvalidProgramme as problem:
        text([f for f in problem.findings if f.severity == "error"], problem.folder_files,
             sys.stderr)
        raise


def emit(text: str, out: Path | None, programme: Path) -> None:
    """Print `text`, or write it atomically to the file `out`, which may not be one of
    the programme's inputs, a symbolic link or anything but an ordinary file (exit 2)."""
    if out is None:
        typer.echo(text, nl=False)
        return
    from ..errors import QsiError
    from ..fileio import output_file, write_text_atomic

    output_file(out, programme)
    try:
        write_text_atomic(out, text)
    except OSError as error:
        raise QsiError(f"Cannot write {out}: {error.strerror}.") from None
