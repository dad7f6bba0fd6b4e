"""Helpers the commands share: open a programme (printing its findings on failure),
report a result on the screen or atomically to --out, and warn on standard error."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

if TYPE_CHECKING:
    from ..programme import Programme
    from ..report import Reporter

T = TypeVar("T")


def open_or_report(root: Path) -> Programme:
    """Open the programme; on errors print the findings to stderr and re-raise."""
    from ..findings import Checked
    from ..programme import InvalidProgramme, open_programme
    from ..report.findings import text

    try:
        return open_programme(root)
    except InvalidProgramme as problem:
        errors = [f for f in problem.findings if f.severity == "error"]
        text(Checked(errors, problem.folder_files, root), sys.stderr)
        raise


def for_round(prog: Programme, round_id: str | None, scores: bool = False) -> Programme:
    """The programme as one round's judges see it (packs, workbooks and their import):
    the round --round names, or the current one; unchanged without rounds. With
    `scores`, a ranked round is refused (QsiError, exit 2): it has no scores."""
    if prog.settings.rounds is None and round_id is None:
        return prog
    rnd = prog.round(round_id)
    if scores and rnd.ranked:
        from ..errors import QsiError

        raise QsiError(f"The round '{rnd.id}' is ranked: its judges rank the finalists in "
                       f"their ballot files ({rnd.folder}/<judge>.yaml), so it has no "
                       "scoring workbooks; give a rubric round with --round.")
    return prog.for_round(rnd)


def emit(reporter: Reporter[T], result: T, out: Path | None, programme: Path) -> None:
    """Report `result` on standard output, or write the report atomically to the file
    `out`, which may not be one of the programme's inputs, a symbolic link or anything
    but an ordinary file, nor end in .xlsx unless the report is a workbook (exit 2)."""
    if out is None:
        reporter(result, sys.stdout)
        return
    from ..errors import QsiError
    from ..fileio import output_file, write_bytes_atomic
    from ..report import Binary, bytes_of

    output_file(out, programme)
    if out.suffix.lower() == ".xlsx" and not isinstance(reporter, Binary):
        raise QsiError(f"--out {out} names an Excel workbook, but this report is text; add "
                       "--format xlsx, or give a name that does not end in .xlsx.")
    try:
        write_bytes_atomic(out, bytes_of(reporter, result))
    except OSError as error:
        raise QsiError(f"Cannot write {out}: {error.strerror}.") from None


def warn(message: str) -> None:
    """`message` on standard error, after 'qsi: ', with control characters escaped."""
    from ..controls import escaped

    typer.echo(f"qsi: {escaped(message)}", err=True)
