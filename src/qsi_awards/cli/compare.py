"""qsi compare."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .options import ProgrammeDir, today_date

if TYPE_CHECKING:
    import datetime as dt

    from ..judging.compare import Edition

EXAMPLE = ("Examples: qsi compare ../kent-2020 ../kent-2021  |  qsi compare v2020 HEAD  |  "
           "qsi compare HEAD~3 . --format xlsx --out compare.xlsx  |  "
           "qsi compare main:east-sussex main:kent")


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


def compare(
    sources: Annotated[list[str], typer.Argument(
        help="Each a programme folder, or a git revision of the repository here (REV, the "
             "programme folder as it was then; REV:FOLDER, another folder, relative to this "
             "one).", metavar="PATH...", show_default=False)],
    programme: ProgrammeDir = Path(),
    today: Annotated[str | None, typer.Option(
        help="Compare as on this date (YYYY-MM-DD): it decides which results are still "
             "embargoed.", metavar="DATE")] = None,
    format: Annotated[Format, typer.Option(
        "--format", "-f", help="text, json, markdown or xlsx (an Excel workbook, with --out)."
    )] = Format.text,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file (atomically) instead of the screen.")] = None,
) -> None:
    """Editions or regions side by side: entries, organisations, categories, care
    settings, themes, scores and awards (only where the results are released) and
    adoption."""
    from ..judging.compare import Comparison
    from ..report import choose
    from ..report.compare import REPORTERS
    from .common import emit

    day = today_date(today)
    editions = tuple(_edition(programme, source, day, out) for source in sources)
    emit(choose(REPORTERS, format), Comparison(day, editions), out, programme)


def _edition(here: Path, source: str, day: dt.date, out: Path | None) -> Edition:
    """The figures of one PATH: a folder as it is, or a git revision read into a
    temporary folder."""
    import tempfile

    from ..errors import QsiError
    from ..fileio import output_file
    from ..gitops import export_programme

    folder = Path(source)
    if folder.is_dir():
        if out is not None:
            output_file(out, folder)
        return _figures(folder, source, day)
    revision, _, inside = source.partition(":")
    with tempfile.TemporaryDirectory(prefix="qsi-compare-") as temporary:
        export_programme(here, revision, inside or ".", Path(temporary))
        if not (Path(temporary) / "programme.yaml").is_file():
            raise QsiError(f"At {revision}, the folder '{inside or '.'}' holds no "
                           "programme.yaml; give the programme's folder as "
                           f"{revision}:FOLDER (relative to this one).")
        return _figures(Path(temporary), source, day)


def _figures(root: Path, label: str, day: dt.date) -> Edition:
    from ..errors import ProblemsFound
    from ..judging.compare import edition
    from ..programme import InvalidProgramme, open_programme

    try:
        prog = open_programme(root)
    except InvalidProgramme as problem:
        errors = sum(1 for f in problem.findings if f.severity == "error")
        raise ProblemsFound(
            f"{label} has {errors} error{'s' if errors != 1 else ''}, so it cannot be "
            "compared; run 'qsi validate' on it (for a git revision, on a checkout of it) "
            "and fix them.") from None
    prog.today = day
    return edition(prog, label)


def register(app: typer.Typer) -> None:
    app.command(name="compare", epilog=EXAMPLE)(compare)
