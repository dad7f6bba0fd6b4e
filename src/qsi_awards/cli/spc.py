"""qsi spc."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

EXAMPLE = ("Examples: qsi spc falls.csv --improvement lower  |  qsi spc falls.csv "
           "--recalculate-at 2019-04 --target 5.6 --improvement lower --format svg --out "
           "falls.svg  |  qsi spc values.txt --format json")


class Format(StrEnum):
    text = "text"
    json = "json"
    svg = "svg"


class Improvement(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"


def spc(
    file: Annotated[Path, typer.Argument(
        help="The data: a CSV with the header period,value (periods YYYY-MM or "
             "YYYY-MM-DD), or one value per line.", show_default=False)],
    improvement: Annotated[Improvement, typer.Option(
        "--improvement", help="Which way is better: higher, lower or neither.")
    ] = Improvement.NEITHER,
    target: Annotated[float | None, typer.Option(
        "--target", help="The target, for the assurance icon.", show_default=False)] = None,
    shift: Annotated[int, typer.Option(
        "--shift", min=2, max=50, help="Points on one side of the mean that make a shift.")
    ] = 6,
    trend: Annotated[int, typer.Option(
        "--trend", min=2, max=50, help="Points rising or falling that make a trend.")] = 6,
    screen: Annotated[bool, typer.Option(
        "--screen", help="Screen the moving ranges: leave out those of 3.267 times their "
                         "mean or more.")] = False,
    count_beyond: Annotated[bool, typer.Option(
        "--count-beyond-limits", help="Let points beyond a process limit count towards "
                                      "two-of-three (MDC version 5 does not).")] = False,
    recalculate_at: Annotated[list[str] | None, typer.Option(
        "--recalculate-at", help="Start a new phase (new limits) at this period; repeat it "
                                 "for more.", show_default=False)] = None,
    title: Annotated[str | None, typer.Option(
        "--title", help="The chart's title (default: the file's name).", show_default=False)
    ] = None,
    unit: Annotated[str, typer.Option("--unit", help="What the values count.")] = "",
    format: Annotated[Format, typer.Option("--format", "-f", help="text, json or svg.")
                      ] = Format.text,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file (atomically) instead of the screen.")] = None,
) -> None:
    """Analyse a series the Making Data Count way (XmR limits, special-cause rules, the
    variation and assurance icons), outside any programme."""
    import math

    from ..errors import QsiError
    from ..judging.spc import Options, analyse, as_dict, phase_starts
    from ..report import choose
    from ..report.spc import REPORTERS
    from .common import emit

    if target is not None and not math.isfinite(target):
        raise typer.BadParameter("the target must be an ordinary number.",
                                 param_hint="--target")
    points = read(file)
    periods = [period for period, _ in points]
    for period in recalculate_at or []:
        try:
            phase_starts(periods, [period])
        except ValueError:
            raise QsiError(
                f"--recalculate-at {period}: that is not one of the series' periods after "
                f"the first (they run from {periods[0]} to {periods[-1]}).") from None
    if out is not None and out.resolve() == file.resolve():
        raise QsiError(f"--out {out} is the data file itself; write the report elsewhere.")
    options = Options(shift=shift, trend=trend, screen=screen, beyond_counts=count_beyond)
    analysis = analyse(points, improvement.value, target, recalculate_at or [], options)
    measure = {**as_dict(analysis), "title": title or file.name, "unit": unit}
    emit(choose(REPORTERS, format.value), measure, out, Path())


def read(file: Path) -> tuple[tuple[str, float], ...]:
    """The series in `file`, read as qsi reads every input file; its findings printed
    (exit 1) when it has problems, and exit 2 when it is not there at all."""
    import dataclasses
    import sys

    from ..errors import ProblemsFound, QsiError
    from ..findings import Checked, sort_key
    from ..load import read_text
    from ..load.measures import series_of_text
    from ..report.findings import text

    if not file.exists():
        raise QsiError(f"{file} does not exist; give the data file to analyse.")
    real = file.resolve()
    content, found = read_text(real.parent, real.name)
    points = None
    if content is not None:
        points, found = series_of_text(str(file), content)
    if points is None:
        shown = sorted((dataclasses.replace(f, path=str(file)) for f in found), key=sort_key)
        text(Checked(shown, 1, real.parent), sys.stderr)
        raise ProblemsFound(f"{file} cannot be analysed until the problems above are put "
                            "right.")
    return points


def register(app: typer.Typer) -> None:
    app.command(name="spc", epilog=EXAMPLE)(spc)
