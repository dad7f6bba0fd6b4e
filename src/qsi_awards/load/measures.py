"""The data of measures for improvement (model/measures.py): inline `points` or a CSV
file beside the file that names them, read into ordered (period, value) points, with a
finding at the line of every problem.

- A period is a month `YYYY-MM` or a date `YYYY-MM-DD`, real (no 2019-13 or
  2019-02-30), of one kind in a measure (`bad-period`), each after the one before
  (`period-order`).
- A CSV file starts with the header `period,value`, then one point per line, two cells
  each (`bad-csv`); a value is a plain decimal such as 5.1 or -2 (`bad-number`), as in
  YAML files. A CSV is read by the folder's reader, so it meets the same rules as every
  input file: at most 1 MiB, UTF-8, never a symbolic link, never outside the folder (its
  name is `<stem>.<name>.csv`, beside the file that names it, and names no folder).
- A measure has at most MAX_POINTS points (`too-many-points`): a chart of more is no
  longer readable; group the data by week or month.

`qsi spc` reads a file outside any programme the same way (`series_of_text`), where a
file of values alone, one per line, is also a series.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..findings import Finding, finding
from ..model.measures import MAX_VALUE, Measure
from .validation import describe
from .yamlparse import number_advice, plain_scalar

if TYPE_CHECKING:
    from .folder import Doc

MAX_POINTS = 1000
HEADER = ("period", "value")
_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

Points = tuple[tuple[str, float], ...]
# where a problem is: the (line, column) of the n-th point's period
Where = Callable[[int], tuple[int | None, int | None]]


@dataclass(frozen=True)
class Series:
    """A measure with its data, read and checked: (period, value) points in order."""

    measure: Measure
    index: int  # the measure's place in its file's `measures` list
    points: Points
    source: str  # the file the data is written in (the entry, adoption.yaml or the CSV)


def period_key(text: str) -> tuple[str, dt.date] | None:
    """('month' or 'date', a date to sort by) for a real period, else None."""
    month = _MONTH.match(text)
    if month:
        if 1 <= int(month.group(2)) <= 12:
            return "month", dt.date(int(month.group(1)), int(month.group(2)), 1)
        return None
    if _DATE.match(text):
        try:
            return "date", dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None


PERIOD_ADVICE = "a month as YYYY-MM, such as 2019-04, or a date as YYYY-MM-DD"


def check_points(points: Sequence[tuple[str, float]], path: str, where: Where,
                 label: str) -> list[Finding]:
    """The findings on a measure's points: each period real, of the first one's kind and
    after the one before; at most MAX_POINTS of them. `where(n)` is the position of the
    n-th point's period (asked only for a finding); `label` names the measure in
    messages."""
    found: list[Finding] = []
    kind: str | None = None
    before: tuple[str, dt.date] | None = None

    def add(number: int, code: str, message: str) -> None:
        found.append(finding(path, *where(number), code, message))

    for number, (period, _) in enumerate(points):
        key = period_key(period)
        if key is None:
            add(number, "bad-period", f"{describe(period)} is not a period; write "
                f"{PERIOD_ADVICE}, such as 2019-04-30.")
            continue
        if kind is None:
            kind = key[0]
        elif key[0] != kind:
            written = "months (YYYY-MM)" if kind == "month" else "dates (YYYY-MM-DD)"
            add(number, "bad-period", f"'{period}' is a {key[0]}, but the periods of {label} "
                f"before it are {written}; write every period of a measure the same way.")
            continue
        if before is not None and key[1] == before[1]:
            add(number, "period-order", f"'{period}' is there twice in {label}, one after "
                "the other; a period has one point, so keep the right one.")
        elif before is not None and key[1] < before[1]:
            add(number, "period-order", f"'{period}' comes after '{before[0]}' in {label}, "
                "but is earlier; write the points in time order.")
        before = (period, key[1])
        if number == MAX_POINTS:
            add(number, "too-many-points", f"{label.capitalize()} has {len(points):,} "
                f"points, more than the {MAX_POINTS:,} a chart can show readably; group the "
                "data into longer periods (weeks or months), or keep the most recent.")
    return found


def csv_points(path: str, text: str, label: str) -> tuple[Points | None, list[Finding]]:
    """The points of a CSV file `period,value`, or None, and the findings on it."""
    rows, found = _rows(path, text, HEADER)
    points: list[tuple[str, float]] = []
    for row in rows:
        period, cell = (cell.strip() for cell in row.cells)
        value = number(cell)
        if isinstance(value, tuple):
            found.append(finding(path, row.line, row.value_column, *value))
            value = 0.0  # the periods are still checked
        points.append((period, value))
    found += check_points(points, path, lambda n: (rows[n].line, 1), label)
    return (None if found else tuple(points)), found


@dataclass(frozen=True)
class _Row:
    """One row of a measure's table, with its cells as written."""

    line: int
    cells: list[str]
    value_column: int | None  # where the value cell starts, when the line is plain


def _rows(path: str, text: str, header: tuple[str, ...]) -> tuple[list[_Row], list[Finding]]:
    """The data rows of a CSV whose first line is `header` that have two cells, and the
    findings on the others (none at all when the header or the file is wrong)."""
    lines = text.split("\n")
    reader = csv.reader(io.StringIO(text))
    found: list[Finding] = []
    rows: list[_Row] = []
    first = True
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if first:
                first = False
                if tuple(cell.strip().casefold() for cell in cells) != header:
                    shown = _clip(lines[line - 1].strip())
                    found.append(finding(path, line, 1, "bad-csv", (
                        f"The first line of {path} should be the header "
                        f"'{','.join(header)}', but it is '{shown}'; add that line above "
                        "the data (a point per line: its period, a comma, its value).")))
                    return [], found
                continue
            if len(cells) != 2:
                raw = lines[line - 1] if line - 1 < len(lines) else ""
                hint = (" (a thousands separator? write 1234, not 1,234)"
                        if len(cells) == 3 else "")
                found.append(finding(path, line, 1, "bad-csv", (
                    f"Line {line} has {len(cells)} cell{'s' if len(cells) != 1 else ''}, "
                    f"'{_clip(raw.strip())}'; each line holds two, a period and a "
                    f"value{hint}.")))
                continue
            raw = lines[line - 1] if line - 1 < len(lines) else ""
            plain = '"' not in raw and raw.count(",") == 1
            rows.append(_Row(line, cells, raw.index(",") + 2 if plain else None))
    except csv.Error as error:
        found.append(finding(path, reader.line_num or 1, None, "bad-csv", (
            f"{path} cannot be read as CSV at line {reader.line_num or 1} ({error}); check "
            "its quotes.")))
        return [], found
    if first:
        found.append(finding(path, 1, None, "bad-csv", (
            f"{path} is empty; write the header '{','.join(header)}' and then a point per "
            "line.")))
        return [], found
    if not rows and not found:
        found.append(finding(path, 1, None, "bad-csv", (
            f"{path} has a header but no points; add a line per point: its period, a comma, "
            "its value.")))
    return rows, found


def number(text: str) -> float | tuple[str, str]:
    """The value a cell holds (a plain decimal, finite, within ±MAX_VALUE), or the rule
    code and message of what is wrong with it."""
    value = plain_scalar(text) if text else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if abs(value) > MAX_VALUE:
            return "bad-value", (f"{describe(text)} is too large for a measure: a value must "
                                 f"be between -{MAX_VALUE:,} and {MAX_VALUE:,}.")
        return float(value)
    advice = number_advice(text) if text else None
    if advice is not None:
        return "bad-number", f"The value is written {_clip(text)}; {advice}."
    return "bad-number", (f"The value {describe(text)} is not a number; write a plain "
                          "decimal such as 5.1 or 12.")


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def series_of_text(path: str, text: str) -> tuple[Points | None, list[Finding]]:
    """A series for `qsi spc`: a `period,value` CSV (its first line holds a comma), or
    one value per line (an optional first line `value`), numbered 1, 2, 3..."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    label = "this series"
    if "," in first:
        return csv_points(path, text, label)
    found: list[Finding] = []
    points: list[tuple[str, float]] = []
    lines = list(_lines(text))
    if lines and lines[0][1].casefold() == "value":
        lines = lines[1:]
    for line, cell in lines:
        value = number(cell)
        if isinstance(value, tuple):
            found.append(finding(path, line, 1, *value))
        else:
            points.append((str(len(points) + 1), value))
    if not lines:
        found.append(finding(path, 1, None, "bad-csv", (
            f"{path} holds no values; write one value per line, or a CSV with the header "
            "'period,value'.")))
    if len(points) > MAX_POINTS and not found:
        found.append(finding(path, lines[MAX_POINTS][0], 1, "too-many-points", (
            f"This series has {len(points):,} points, more than the {MAX_POINTS:,} a chart "
            "can show readably; group the data into longer periods (weeks or months).")))
    return (None if found else tuple(points)), found


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number_, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield number_, line.strip()


def read_series(doc: Doc, measures: Sequence[Measure], base: tuple[str | int, ...],
                folder: str, stem: str, read: Callable[[str], str | None],
                exists: Callable[[str], bool]) -> tuple[list[Series], list[Finding]]:
    """The data of the measures a file lists (at `base` in `doc`), each measure whose
    data is all good as a Series, and the findings. A CSV is `<stem>.<name>.csv` in
    `folder` (the entry's ID in entries/, or adoption beside adoption.yaml), read with
    `read` (the folder's reader, which records why it cannot be used)."""
    found: list[Finding] = []
    out: list[Series] = []
    first: dict[str, int] = {}
    read_already: dict[str, Points | None] = {}
    for index, measure in enumerate(measures):
        loc = (*base, "measures", index)
        label = f"the measure '{measure.id}'"
        if measure.id in first:
            line = doc.where((*base, "measures", first[measure.id], "id"))[0]
            found.append(doc.finding("duplicate-id", (
                f"The measure ID '{measure.id}' is used twice here (first on line {line}); "
                "give each measure its own ID."), (*loc, "id")))
        first.setdefault(measure.id, index)
        if measure.points is None and measure.csv is None:
            found.append(doc.finding("missing-field", (
                f"{label.capitalize()} has no data: add its points (under points:, a line "
                "'period: value' for each) or the name of its CSV file (csv:)."), loc, True))
            continue
        if measure.points is not None and measure.csv is not None:
            found.append(doc.finding("bad-value", (
                f"{label.capitalize()} has both points and a CSV file; keep one of them."),
                (*loc, "csv"), True))
            continue
        if measure.points is not None:
            points = tuple(measure.points.items())

            def where(n: int, loc: tuple[str | int, ...] = loc,
                      points: Points = points) -> tuple[int | None, int | None]:
                return doc.where((*loc, "points", points[n][0]), True)

            problems = check_points(points, doc.path, where, label)
            found += problems
            if not problems:
                out.append(Series(measure, index, points, doc.path))
            continue
        name = str(measure.csv)
        rel = f"{folder}/{name}" if folder else name
        if not name.startswith(f"{stem}."):
            found.append(doc.finding("bad-value", (
                f"The CSV file of {label} is named '{name}', but the data of the measures "
                f"in {doc.path} is named after it, {stem}.<name>.csv (such as "
                f"{stem}.{measure.id}.csv): rename the file, and write its new name here."),
                (*loc, "csv")))
            continue
        if not exists(rel):
            found.append(doc.finding("missing-file", (
                f"{rel}, the data of {label}, does not exist; add it beside {doc.path} (a "
                "header line 'period,value', then a point per line), or correct the name."),
                (*loc, "csv")))
            continue
        if rel not in read_already:  # two measures may share a file: read it once
            text = read(rel)
            read_already[rel], problems = (None, []) if text is None else csv_points(
                rel, text, label)
            found += problems
        points_read = read_already[rel]
        if points_read is not None:
            out.append(Series(measure, index, points_read, rel))
    return out, found
