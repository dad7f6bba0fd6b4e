"""The scoring workbook's layout and checks, shared by `qsi render workbooks`, which
writes a workbook per judge (render/workbooks.py), and `qsi import scores`, which reads
the returned ones (load/workbook.py, writes/import_scores.py). Pure: no files, no
spreadsheet library.

The **Scores** sheet holds the headings in row 1 and one entry per row from row 2:
the entry's reference, its anonymised title, one column per criterion, the weighted
score and the state (formulas), then `Conflict` and `Comment`. The criteria, Conflict
and Comment are the input cells.

The very hidden **qsi** sheet holds what the import needs to recognise the workbook
(not a secret, just out of the way): a label and the format in row 1, then one
`key | value` row each for the programme, edition, judge, round, rubric, scale and the
assignment fingerprint, then a `rows` line and one row per entry: its reference, its
check and, per input column, a digest of the value the workbook was issued with.

- The **fingerprint** is a digest of everything the rows were made from: programme,
  edition, judge, round, the judge's entries in row order and the rubric. The import
  works it out again from what it reads, so an edit of the hidden data shows.
- The **check** of a row is a digest of (edition, judge, entry ID). A reference edited
  by hand, in the visible column or the hidden sheet, no longer matches it. It is not
  keyed with a secret: it catches a slip or a casual edit, and anyone who reads this
  file can forge one. Workbooks go between the programme team and its judges, who
  could as well edit their own YAML sheet; the check is not a defence against them.
- The **issued digests** say which cells the judge changed: a cell still holding what
  it was issued with is left alone on import, so scores written into the YAML sheet
  after the workbook was made are kept (see writes/import_scores.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from ..controls import removed

SCORES = "Scores"
GUIDE = "How to score"
DATA = "qsi"
LABEL = "qsi scoring workbook"
FORMAT = "2"  # 2: the private comment column
FIRST_ROW = 2  # the first entry's row on the Scores sheet
ROWS = "rows"  # the line that starts the per-entry rows on the qsi sheet

CONFLICT = "conflict"
COMMENT = "comment"
PRIVATE_COMMENT = "private_comment"
SCORE_HEADING = "Weighted score"
STATE_HEADING = "State"
CONFLICT_HEADING = "Conflict (if you cannot judge it fairly: why)"
COMMENT_HEADING = "Comment for the team (optional; they will read it)"
PRIVATE_HEADING = "Private comment (optional; for the panel only)"

TO_DO, COMPLETE, RECUSED = "to do", "complete", "recused"


def _digest(*parts: str, length: int = 12) -> str:
    text = "\n".join(parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class Layout:
    """Where everything is on the Scores sheet, for one rubric (columns are 1-based)."""

    criteria: tuple[str, ...]  # criterion IDs, in rubric order

    @property
    def first_criterion(self) -> int:
        return 3

    def criterion_column(self, index: int) -> int:
        return self.first_criterion + index

    @property
    def score_column(self) -> int:
        return self.first_criterion + len(self.criteria)

    @property
    def state_column(self) -> int:
        return self.score_column + 1

    @property
    def conflict_column(self) -> int:
        return self.state_column + 1

    @property
    def comment_column(self) -> int:
        return self.conflict_column + 1

    @property
    def private_column(self) -> int:
        return self.comment_column + 1

    @property
    def inputs(self) -> tuple[tuple[str, int], ...]:
        """(field, column) of every input cell: the criteria, conflict, comment and
        private comment."""
        return (*((c, self.criterion_column(i)) for i, c in enumerate(self.criteria)),
                (CONFLICT, self.conflict_column), (COMMENT, self.comment_column),
                (PRIVATE_COMMENT, self.private_column))

    @property
    def width(self) -> int:
        return self.private_column


CELL_LIMIT = 32767  # the characters a spreadsheet cell holds


def as_cell(text: str) -> str:
    """Text as a cell holds it: without control characters (a spreadsheet file cannot
    hold them), and no longer than a cell may be."""
    return removed(text)[:CELL_LIMIT]


def headings(criterion_titles: Sequence[str]) -> list[str]:
    """Row 1 of the Scores sheet, as its cells hold it."""
    return [as_cell(text) for text in ("Reference", "Title", *criterion_titles,
                                       SCORE_HEADING, STATE_HEADING, CONFLICT_HEADING,
                                       COMMENT_HEADING, PRIVATE_HEADING)]


def number_text(value: float | int) -> str:
    """A weight or scale end as a formula or the hidden sheet writes it: 20, not 20.0."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def rubric_text(criteria: Sequence[tuple[str, float]]) -> str:
    """The rubric's criteria and weights in one line: `ambition:20,impact:30`."""
    return ",".join(f"{cid}:{number_text(weight)}" for cid, weight in criteria)


def scale_text(low: int, high: int) -> str:
    return f"{low} to {high}"


def fingerprint(programme: str, edition: str, judge: str, round_: str,
                entries: Sequence[str], rubric: str, scale: str) -> str:
    """The digest of what a workbook's rows were made from (see the module docstring)."""
    return _digest("qsi workbook", json.dumps(
        [programme, edition, judge, round_, list(entries), rubric, scale],
        ensure_ascii=False), length=20)


def row_check(edition: str, judge: str, entry_id: str) -> str:
    """The check of one row: catches a reference changed by hand, not a forgery."""
    return _digest("qsi workbook row", edition, judge, entry_id)


def canonical(value: int | str | None) -> str:
    """A cell's value as the import compares it: a score as its digits, text without
    control characters, with line breaks as \\n and no white space at the ends of its
    lines or of the whole; nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    lines = removed(value.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def issued(value: int | str | None) -> str:
    """The digest of the value an input cell was issued with (as the cell holds it)."""
    return _digest("qsi workbook cell",
                   canonical(as_cell(value) if isinstance(value, str) else value))
