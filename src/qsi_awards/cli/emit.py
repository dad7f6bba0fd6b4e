"""Print a command's text, or write it atomically to --out."""

from __future__ import annotations

from pathlib import Path

import typer


def emit(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    from ..errors import QsiError
    from ..fileio import write_text_atomic

    if out.is_dir():
        raise QsiError(f"{out} is a folder; give a file name for --out.")
    try:
        write_text_atomic(out, text)
    except OSError as error:
        raise QsiError(f"Cannot write {out}: {error.strerror}.") from None
