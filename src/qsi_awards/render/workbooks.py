"""One scoring workbook per judge, `<judge>.xlsx`, for judges who score in a spreadsheet
instead of a pull request; `qsi import scores` reads it back. The layout and the hidden
data are judging/workbook.py's.

- **Scores**: one row per entry in the judge's score sheet (recused ones too), in the
  judge pack's order, named by its neutral reference and its title as the pack shows it
  (anonymised, render/context.py); a column per criterion, whose cells take only whole
  numbers on the rubric's scale, with the criterion's guidance as the input message;
  the weighted score, S = Σ w·x / Σ w as the tally computes it, empty until every
  criterion is scored (or when recused); the state (to do, complete, recused); then
  Conflict and Comment. What the YAML sheet already holds is filled in.
- **How to score**: the rubric with weights and guidance, the scale and the deadline.
- **qsi** (very hidden): what the import needs to recognise the workbook.

Every sheet is protected (no password: this stops slips, not people) and so is the
workbook's structure; only the input cells are unlocked. Frozen headings, A4 landscape
printing that fits the page width. The file's bytes depend only on the programme: no
dates or times of the run are recorded, so a re-render of an unchanged programme gives
the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..controls import removed
from ..dates import long_date
from ..judging import workbook as layout
from ..judging.references import of_programme
from . import context

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

    from ..model import Judgement
    from ..programme import Programme
    from . import Job

# Excel's limits on a data validation's input message
PROMPT_TITLE_LIMIT = 32
PROMPT_LIMIT = 255
FIXED_TIME = dt.datetime(2000, 1, 1)  # recorded as the workbook's creation and change
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Row:
    """One entry of a judge's workbook."""

    entry: str
    reference: str
    title: str  # as the judge pack shows it: anonymised (context.cleaner)
    judgement: Judgement


def render(job: Job) -> None:
    prog = job.programme
    view = context.full(prog)
    references = of_programme(prog)
    clean = context.cleaner(view)
    titles: dict[str, str] = {}  # each entry's anonymised title, worked out once
    empty, mixed = [], []
    for judge_id in sorted(prog.judges):
        rows = []
        for entry_id, entry, judgement in context.assigned(prog, view, judge_id, references):
            if entry_id not in titles:
                titles[entry_id] = clean(entry["title"])
            rows.append(Row(entry_id, references[entry_id], titles[entry_id], judgement))
        if not rows:
            empty.append(judge_id)
            continue
        rubric = prog.judge_rubric(judge_id)  # their categories' rubric, if they share one
        if rubric is None:
            mixed.append(judge_id)
            continue
        job.outputs.add(f"{judge_id}.xlsx", workbook(prog.with_rubric(rubric),
                                                     view["programme"], judge_id, rows))
    if mixed:
        job.warn(f"no workbook for {', '.join(mixed)}: their entries are in categories "
                 "scored on different rubrics (categories.yaml rubric:), and a workbook "
                 "holds one; they score in their score sheets (scores/<judge>.yaml).")
    if empty:
        job.warn(f"no workbook for {', '.join(empty)}: their score sheets hold no entries "
                 "yet (run 'qsi assign').")


def workbook(prog: Programme, programme: Mapping[str, Any], judge_id: str,
             rows: Sequence[Row]) -> bytes:
    """The workbook's bytes for one judge."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    book = Workbook()
    book.properties.creator = "qsi"
    book.properties.title = removed(f"{programme['name']} {programme['edition']}: scores")
    book.properties.created = book.properties.modified = FIXED_TIME
    criteria = prog.criteria
    grid = layout.Layout(tuple(c.id for c in criteria))
    scores = book.active
    assert scores is not None
    scores.title = layout.SCORES
    guide = book.create_sheet(layout.GUIDE)
    _scores_sheet(scores, prog, grid, rows)
    _guide_sheet(guide, prog, programme, judge_id)
    _data_sheet(book, prog, judge_id, rows)
    book.security = WorkbookProtection(lockStructure=True)
    return saved(book)


def saved(book: Workbook) -> bytes:
    """The bytes of `book`, the same for the same workbook: dated FIXED_TIME, as its
    `created` and `modified` properties should be set."""
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    # ExcelWriter, as Workbook.save does, but without recording now as the time of change
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _steady(buffer.getvalue())


def _text(cell: Cell | MergedCell, value: str) -> None:
    """Put text in a cell as text: never a formula, whatever it starts with (see
    layout.as_cell for what a cell cannot hold). qsi merges no cells."""
    cell.value = layout.as_cell(value)
    cell.data_type = "s"


def _scores_sheet(sheet: Worksheet, prog: Programme, grid: layout.Layout,
                  rows: Sequence[Row]) -> None:
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    criteria = prog.criteria
    scale = prog.settings.rubric.scale
    input_fill = PatternFill("solid", fgColor="FFF7D6")
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    # one named style per kind of cell: much faster than styling cells one by one
    heading, title, score, text, weighted = (
        NamedStyle("qsi heading", font=Font(bold=True),
                   fill=PatternFill("solid", fgColor="DDE6F0"),
                   alignment=Alignment(wrap_text=True, vertical="center")),
        NamedStyle("qsi title", alignment=wrap),
        NamedStyle("qsi score", fill=input_fill, protection=unlocked),
        NamedStyle("qsi text", fill=input_fill, protection=unlocked, alignment=wrap),
        NamedStyle("qsi weighted", number_format="0.00"))
    book = sheet.parent
    assert book is not None
    for style in (heading, title, score, text, weighted):
        book.add_named_style(style)
    for column, words in enumerate(layout.headings([c.title for c in criteria]), 1):
        cell = sheet.cell(1, column)
        _text(cell, words)
        cell.style = heading.name
    letters = [get_column_letter(grid.criterion_column(i)) for i in range(len(criteria))]
    conflict = get_column_letter(grid.conflict_column)
    weights = [layout.number_text(c.weight) for c in criteria]
    count = len(criteria)
    last = layout.FIRST_ROW + len(rows) - 1
    for row, item in enumerate(rows, layout.FIRST_ROW):
        judgement = item.judgement
        _text(sheet.cell(row, 1), item.reference)
        cell = sheet.cell(row, 2)
        _text(cell, item.title)
        cell.style = title.name
        given = judgement.criterion_scores()
        for index, criterion in enumerate(criteria):
            cell = sheet.cell(row, grid.criterion_column(index))
            cell.value = given.get(criterion.id)
            cell.style = score.name
        span = f"{letters[0]}{row}:{letters[-1]}{row}"
        sums = "+".join(f"{w}*{letter}{row}" for w, letter in zip(weights, letters,
                                                                   strict=True))
        recused = f'LEN(TRIM({conflict}{row}))>0'
        cell = sheet.cell(row, grid.score_column)
        cell.value = (f'=IF(OR({recused},COUNT({span})<{count}),"",'
                      f'({sums})/({"+".join(weights)}))')
        cell.style = weighted.name
        sheet.cell(row, grid.state_column).value = (
            f'=IF({recused},"{layout.RECUSED}",IF(COUNT({span})={count},'
            f'"{layout.COMPLETE}","{layout.TO_DO}"))')
        for column, value in ((grid.conflict_column, judgement.conflict),
                              (grid.comment_column, judgement.comment),
                              (grid.private_column, judgement.private_comment)):
            cell = sheet.cell(row, column)
            if value is not None:
                _text(cell, value)
            cell.style = text.name
    for index, criterion in enumerate(criteria):
        rule = DataValidation(
            type="whole", operator="between", formula1=str(scale.min), formula2=str(scale.max),
            allow_blank=True, showInputMessage=True, showErrorMessage=True,
            promptTitle=_shortened(removed(criterion.title), PROMPT_TITLE_LIMIT),
            prompt=_shortened(_guidance(criterion.guidance, scale.min, scale.max),
                              PROMPT_LIMIT),
            errorTitle="Not a score",
            error=f"Type a whole number from {scale.min} to {scale.max}.")
        rule.add(f"{letters[index]}{layout.FIRST_ROW}:{letters[index]}{last}")
        sheet.add_data_validation(rule)
    widths = {1: 12, 2: 48, grid.score_column: 11, grid.state_column: 11,
              grid.conflict_column: 28, grid.comment_column: 48, grid.private_column: 40}
    for column in range(1, grid.width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(column, 13)
    sheet.freeze_panes = "C2"
    _protect(sheet)
    _print_setup(sheet)
    sheet.print_title_rows = "1:1"


def _guidance(guidance: str | None, low: int, high: int) -> str:
    text = " ".join(removed(guidance or "").split())
    scale = f"A whole number from {low} to {high}."
    return f"{text} {scale}" if text else scale


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _guide_sheet(sheet: Worksheet, prog: Programme, programme: Mapping[str, Any],
                 judge_id: str) -> None:
    from openpyxl.styles import Alignment, Font

    settings = prog.settings
    scale = settings.rubric.scale
    deadline = settings.milestone("judging_deadline")
    judge = prog.judges[judge_id]
    wrap = Alignment(wrap_text=True, vertical="top")
    lines: list[tuple[str, Font | None]] = [
        (f"{programme['name']} {programme['edition']}: how to score", Font(bold=True, size=14)),
        (f"Scoring workbook for {judge.name}", Font(bold=True)),
        (f"Scores due: {long_date(deadline)}" if deadline else
         "Scores due: when the programme team asks", None),
        ("", None),
        ("Each row of the Scores sheet is one entry you are judging, known by its "
         "reference (E- and six letters and digits) and its title, as in your judge pack.",
         None),
        (f"Type a whole number from {scale.min} to {scale.max} for every criterion. "
         "Click a score cell to see what to look for. The weighted score appears when "
         "every criterion is scored, and the State column says whether each entry is to "
         "do, complete or recused.", None),
        ("If you cannot judge an entry fairly (you know the team, or it comes from an "
         "organisation you work with), leave its scores empty and write why in Conflict.",
         None),
        ("Your comments go to the team: after the results are released, each team gets a "
         "feedback report with the judges' comments on their entry, without your name. "
         "Write them for the team: what is strong, and what would make it stronger. A "
         "note for the panel and the programme team only goes in Private comment, which "
         "never reaches the team. Both are optional.", None),
        ("Only the yellow cells can be changed. Do not add, delete or move rows, or copy "
         "rows between workbooks: the programme team's program reads the workbook back "
         "as it was made, and will ask for a corrected copy if it has changed.", None),
        ("Save the workbook as an Excel workbook (.xlsx), keeping its name, and send it "
         "back to the programme team; you can send it part-scored and again when you "
         "have finished. If you use git, you can instead score in your YAML score sheet "
         f"(scores/{judge_id}.yaml) in a pull request.", None),
        ("", None),
        (f"The rubric (scores from {scale.min} to {scale.max}; an entry's weighted score "
         "is the sum of weight × score over the criteria, divided by the sum of the "
         "weights)", Font(bold=True)),
    ]
    for row, (text, font) in enumerate(lines, 1):
        cell = sheet.cell(row, 1)
        _text(cell, text)
        cell.alignment = wrap
        if font is not None:
            cell.font = font
        if text and row > 3:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            sheet.row_dimensions[row].height = 15 * max(1, -(-len(text) // 110))
    top = len(lines) + 1
    total = sum(c.weight for c in prog.criteria)
    for column, heading in enumerate(("Criterion", "Weight", "Share", "What to look for"), 1):
        cell = sheet.cell(top, column)
        _text(cell, heading)
        cell.font = Font(bold=True)
    for row, criterion in enumerate(prog.criteria, top + 1):
        _text(sheet.cell(row, 1), criterion.title)
        sheet.cell(row, 1).alignment = wrap
        sheet.cell(row, 2).value = criterion.weight
        sheet.cell(row, 3).value = criterion.weight / total
        sheet.cell(row, 3).number_format = "0%"
        _text(sheet.cell(row, 4), " ".join((criterion.guidance or "").split()))
        sheet.cell(row, 4).alignment = wrap
    for letter, width in (("A", 34), ("B", 9), ("C", 9), ("D", 80)):
        sheet.column_dimensions[letter].width = width
    _protect(sheet)
    _print_setup(sheet)


def _data_sheet(book: Workbook, prog: Programme, judge_id: str,
                rows: Sequence[Row]) -> None:
    """The very hidden sheet the import reads (judging/workbook.py)."""
    settings = prog.settings
    scale = settings.rubric.scale
    rubric = layout.rubric_text([(c.id, c.weight) for c in prog.criteria])
    scale_text = layout.scale_text(scale.min, scale.max)
    entries = [item.entry for item in rows]
    sheet = book.create_sheet(layout.DATA)
    facts: list[tuple[str, str]] = [
        (layout.LABEL, layout.FORMAT),
        ("programme", settings.name),
        ("edition", settings.edition),
        ("judge", judge_id),
        ("round", prog.judging_round),
        ("rubric", rubric),
        ("scale", scale_text),
        ("fingerprint", layout.fingerprint(settings.name, settings.edition, judge_id,
                                           prog.judging_round, entries, rubric, scale_text)),
        (layout.ROWS, str(len(rows))),
    ]
    criteria = [c.id for c in prog.criteria]
    for item in rows:
        given = item.judgement.criterion_scores()
        values: list[int | str | None] = [given.get(c) for c in criteria]
        values += [item.judgement.conflict, item.judgement.comment,
                   item.judgement.private_comment]
        facts.append((item.reference, " ".join(
            [layout.row_check(settings.edition, judge_id, item.entry),
             *map(layout.issued, values)])))
    for row, (key, value) in enumerate(facts, 1):
        _text(sheet.cell(row, 1), key)
        _text(sheet.cell(row, 2), value)
    sheet.sheet_state = "veryHidden"
    _protect(sheet)


def _protect(sheet: Worksheet) -> None:
    """Lock the sheet (no password): columns and rows may still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, as wide as the page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _steady(data: bytes) -> bytes:
    """The same workbook with every file in it dated 1980-01-01, as zip files allow:
    openpyxl dates them now, which would make every render's bytes different."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME),
                            source.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()
