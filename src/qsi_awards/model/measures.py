"""A measure for improvement, as an entry (or an adoption record, for the adopting
site) writes it: what is measured, which way is better, and the data, inline or in a
CSV file beside the file that names it.

The data's periods and values are read and checked by load/measures.py (periods in
order, numbers finite, the CSV's header), which gives each finding its line; the model
only says what the fields are.
"""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .types import Id, Strict, Text

# A period: a month YYYY-MM or a date YYYY-MM-DD (load/measures.py checks it is real).
PERIOD_PATTERN = r"^\d{4}-\d{2}(-\d{2})?$"
# A CSV beside the file that names it: <stem>.<name>.csv, where <stem> is the entry's
# ID (entries/<stem>.md) or "adoption" (adoption.yaml) and <name> an ID, so the file is
# plainly that file's own, and no path from it can lead anywhere else.
CSV_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}\.[a-z0-9][a-z0-9-]{0,63}\.csv$"
MAX_VALUE = 1_000_000_000_000  # far beyond any measure; keeps every sum exact
MAX_MEASURES = 20
# A phase (the points between recalculation points) needs this many points for process
# limits; with fewer, qsi draws a run chart on the median (judging/spc.py), and `qsi
# validate` says so (too-few-points).
MIN_POINTS = 13

# Periods are text to the model: load/measures.py reads them, with findings of its own
# (bad-period); the pattern is for editors.
Period = Annotated[str, Field(json_schema_extra={"pattern": PERIOD_PATTERN})]
Value = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-MAX_VALUE, le=MAX_VALUE)]
CsvName = Annotated[str, StringConstraints(pattern=CSV_PATTERN)]


class Measure(Strict):
    """One measure: `points` (period: value, in order) or `csv` (the file's name)."""

    id: Id
    title: Text
    unit: Text
    improvement: Literal["higher", "lower", "neither"]
    target: Value | None = None
    recalculate_at: list[Period] = []  # the first period of each new phase
    points: Annotated[
        dict[str, Value],
        Field(min_length=1, json_schema_extra={"propertyNames": {"pattern": PERIOD_PATTERN}}),
    ] | None = None
    csv: CsvName | None = None


Measures = Annotated[list[Measure], Field(max_length=MAX_MEASURES)]
