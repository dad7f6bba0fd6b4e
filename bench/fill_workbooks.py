"""Score the scoring workbooks as judges would, for `qsi import scores`.

    python bench/fill_workbooks.py SCORED FOLDER

FOLDER holds the workbooks `qsi render workbooks` made of a generated programme whose
sheets are assigned but unscored (generate.py --sheets assigned): every score cell is
empty. SCORED is the same programme with its sheets scored (generate.py, same entries,
judges and seed). Each row of each workbook gets the scores and comment its judge gave
that entry in SCORED, typed into the yellow cells, and each workbook is saved as a
spreadsheet program saves it (here openpyxl, as in load/workbook.py). Imported into the
unscored programme, the workbooks write every score: the whole of the import's work.

A workbook can only be filled in after it is made: a workbook of SCORED itself holds
its scores as issued, so importing it into the unscored programme would change
nothing, and the import refuses it anyway, as made for another assignment.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def main(scored: Path, folder: Path) -> None:
    from openpyxl import load_workbook

    from qsi_awards.judging import workbook as layout
    from qsi_awards.judging.references import references

    settings = yaml.load((scored / "programme.yaml").read_text(encoding="utf-8"),
                         Loader=yaml.CSafeLoader)
    criteria = [c["id"] for c in settings["rubric"]["criteria"]]
    submitted = {}
    for path in (scored / "entries").glob("*.md"):
        front = path.read_text(encoding="utf-8").split("---\n", 2)[1]
        submitted[path.stem] = str(yaml.load(front, Loader=yaml.CSafeLoader)["submitted"])
    entry_of = {ref: entry for entry, ref in
                references(str(settings["edition"]), submitted).items()}
    grid = layout.Layout(tuple(criteria))
    for path in sorted(folder.glob("*.xlsx")):
        sheet_file = scored / "scores" / f"{path.stem}.yaml"
        given = yaml.load(sheet_file.read_text(encoding="utf-8"),
                          Loader=yaml.CSafeLoader)["scores"]
        book = load_workbook(path)
        scores = book[layout.SCORES]
        for row in range(layout.FIRST_ROW, scores.max_row + 1):
            judgement = given[entry_of[str(scores.cell(row, 1).value)]]
            for index, criterion in enumerate(criteria):
                scores.cell(row, grid.criterion_column(index)).value = judgement[criterion]
            scores.cell(row, grid.comment_column).value = judgement.get("comment")
        book.save(path)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
