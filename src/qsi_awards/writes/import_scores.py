"""`qsi import scores` as a function: read the scoring workbooks judges sent back
(load/workbook.py), check every cell, and write what changed into their score sheets
in place (writes/scores.py), keeping every other byte.

What a workbook must be, or it is a finding (and nothing of it is written):

- qsi's own (`workbook-unrecognised`): its hidden qsi sheet is there, whole and
  unedited (the fingerprint, judging/workbook.py), and the Scores sheet has the
  headings it was made with;
- for now (`workbook-stale`): for this programme and edition, a judge on the panel, this
  round, the rubric as it is, and the entries the judge's score sheet holds today (a
  workbook from an older assignment is refused); a file named after another judge is
  taken to be the wrong file;
- one per judge in a run (`workbook-same-judge`);
- the rows it was made with (`workbook-rows`): none added, deleted or copied, no entry
  that is not the judge's; rows may be moved (they are matched by reference);
- references as issued (`workbook-reference`): each row's check (judging/workbook.py);
- cells the import can take (`workbook-bad-cell`): scores are whole numbers on the
  scale (a whole number stored as 7.0, or typed as the text 7, is one; 7.5 is not),
  never text, a date or a formula; nothing is typed outside the table, where it would
  be lost;
- no scores where the judge may not give them (`workbook-conflict`): beside their own
  `conflict`, or on an entry judges.yaml conflicts them with.

What is written: a cell that still holds the value the workbook was issued with is
left alone, so a score written into the YAML sheet since the workbook was made is kept;
every cell the judge changed is written, an emptied one as null (a score taken back, a
conflict withdrawn, a comment removed). Text is compared without the white space at the
ends of its lines, so a spreadsheet's re-wrapping changes nothing. An entry that gains
a score or loses its conflict gets every criterion (null until scored), as `qsi assign`
writes them. A re-import of the same workbook changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import QsiError
from ..fileio import read_file, write_bytes_atomic
from ..findings import Finding, finding
from ..judging import workbook as layout
from ..judging.conflicts import ConflictIndex
from ..judging.references import of_programme
from ..load import MAX_BYTES, Sheet
from ..load.workbook import Cell, Returned, cell_text, read
from ..model import Judgement, Rubric
from ..programme import Programme
from .scores import Value, set_values

REMAKE = ("Make the judge a new workbook ('qsi render workbooks'), and ask them to copy "
          "their scores into it.")


@dataclass(frozen=True)
class Change:
    """One value a workbook changes in a score sheet."""

    entry: str
    reference: str
    field: str
    old: Value
    new: Value


@dataclass
class Outcome:
    """What one workbook gives."""

    label: str  # the file, as the user named it
    judge: str | None = None  # whose it is, once that is known
    findings: list[Finding] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    updates: dict[str, dict[str, Value]] = field(default_factory=dict)  # for writes/scores
    sheet: str | None = None  # scores/<judge>.yaml
    new_bytes: bytes | None = None

    @property
    def good(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class Imported:
    """What `qsi import scores` did (in a dry run: would do)."""

    outcomes: list[Outcome]
    dry_run: bool

    @property
    def findings(self) -> list[Finding]:
        return [f for outcome in self.outcomes for f in outcome.findings]

    @property
    def exit_code(self) -> int:
        return 1 if self.findings else 0


def run(prog: Programme, files: Sequence[Path], dry_run: bool = False) -> Imported:
    """Import every workbook in `files`. A file that cannot be read as a workbook stops
    everything (QsiError, exit 2); a workbook with findings writes nothing, the others are
    written (unless `dry_run`). One workbook is read at a time: what it gives is kept,
    not its cells (a national programme's hundred workbooks hold 30,000 rows)."""
    reader = _Reader(prog)
    outcomes = [reader.examine(read(path, str(path))) for path in files]
    _one_per_judge(outcomes)
    for outcome in outcomes:
        if outcome.good and outcome.judge is not None and outcome.updates:
            sheet = prog.folder.sheets[outcome.judge]
            outcome.new_bytes = set_values(sheet.raw, outcome.updates, sheet.path)
    if not dry_run:
        _write(prog, [o for o in outcomes if o.good and o.new_bytes is not None])
    return Imported(outcomes, dry_run)


def _one_per_judge(outcomes: list[Outcome]) -> None:
    by_judge: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.judge is not None:
            by_judge.setdefault(outcome.judge, []).append(outcome)
    for judge_id, same in by_judge.items():
        if len(same) < 2:
            continue
        labels = [o.label for o in same]
        names = ", ".join(labels[:-1]) + " and " + labels[-1]
        for outcome in same:
            outcome.changes.clear()
            outcome.updates.clear()
            outcome.findings.append(finding(
                outcome.label, None, None, "workbook-same-judge",
                f"{names} are {'both' if len(same) == 2 else 'all'} {judge_id}'s workbooks, "
                "and qsi cannot tell which holds their latest scores, so it imports none of "
                "them: import one at a time, the latest last."))


def _write(prog: Programme, outcomes: Iterable[Outcome]) -> None:
    """Write each changed sheet atomically, once every one is known to be as it was read."""
    todo = list(outcomes)
    for outcome in todo:
        assert outcome.judge is not None
        sheet = prog.folder.sheets[outcome.judge]
        try:
            now = read_file(prog.root / sheet.path, MAX_BYTES)
        except (OSError, ValueError):
            now = None
        if now != sheet.raw:
            raise QsiError(f"{sheet.path} changed while qsi was working; run qsi import "
                           "scores again.")
    for outcome in todo:
        assert outcome.judge is not None and outcome.new_bytes is not None
        path = prog.root / prog.folder.sheets[outcome.judge].path
        try:
            write_bytes_atomic(path, outcome.new_bytes)
        except OSError as error:
            raise QsiError(f"Cannot write {path}: {error.strerror}.") from None


def cell_name(row: int, column: int) -> str:
    """`Scores!D7`."""
    from openpyxl.utils import get_column_letter

    return f"{layout.SCORES}!{get_column_letter(column)}{row}"


class _Reader:
    """Checks returned workbooks against the programme as it is now."""

    def __init__(self, prog: Programme) -> None:
        self.prog = prog
        self.settings = prog.settings
        self.references = of_programme(prog)
        self.entry_of = {ref: entry_id for entry_id, ref in self.references.items()}
        self.conflicts = ConflictIndex(prog.judges)
        self._use(self.settings.rubric)

    def _use(self, rubric: Rubric) -> None:
        """Read with this rubric: the one the workbook's judge scores on."""
        self.criteria = rubric.criteria
        self.layout = layout.Layout(tuple(c.id for c in self.criteria))
        self.low, self.high = rubric.scale.min, rubric.scale.max
        self.rubric = layout.rubric_text([(c.id, c.weight) for c in self.criteria])
        self.scale = layout.scale_text(rubric.scale.min, rubric.scale.max)

    def examine(self, workbook: Returned) -> Outcome:
        outcome = Outcome(workbook.label)
        rows = self._recognise(workbook, outcome)
        if rows is None:
            return outcome
        assert outcome.judge is not None
        sheet = self.prog.folder.sheets[outcome.judge]
        outcome.sheet = sheet.path
        matched = self._match_rows(workbook, rows, outcome)
        for row, entry_id, digests in matched:
            self._row(outcome, sheet, row, workbook.rows[row], entry_id, digests)
        if outcome.findings:
            outcome.findings.sort(key=lambda f: (f.line or 0, f.column or 0))
            outcome.changes.clear()
            outcome.updates.clear()
        return outcome

    # The workbook as a whole -----------------------------------------------------------

    def _recognise(self, workbook: Returned, outcome: Outcome
                   ) -> dict[str, tuple[str, list[str]]] | None:
        """The hidden rows, reference -> (entry ID, issued digests), when the workbook is
        qsi's, unedited and made for the programme as it is; else None, with findings."""
        label = workbook.label
        facts = workbook.facts

        def whole(code: str, message: str) -> None:
            outcome.findings.append(finding(label, None, None, code, message))

        if facts is None:
            whole("workbook-unrecognised", (
                f"{label} is not a scoring workbook made by qsi (it has no hidden qsi "
                "sheet), so qsi cannot tell whose scores it holds. Import the workbook "
                "'qsi render workbooks' made, as the judge sent it back."))
            return None
        if facts.get(layout.LABEL) != layout.FORMAT:
            whole("workbook-unrecognised", (
                f"{label} was made by another version of qsi, which writes its hidden "
                f"data differently. {REMAKE}"))
            return None
        keys = ("programme", "edition", "judge", "round", "rubric", "scale", "fingerprint",
                layout.ROWS)
        missing = [key for key in keys if key not in facts]
        if missing or len(workbook.hidden_rows) != _count(facts.get(layout.ROWS, "")):
            whole("workbook-unrecognised", (
                f"The hidden qsi sheet of {label} has been damaged (it should say "
                f"{', '.join(missing) or 'how many rows there are'}). {REMAKE}"))
            return None
        judge_id = facts["judge"]
        name = self.settings.name
        edition = self.settings.edition
        if facts["programme"] != name or facts["edition"] != edition:
            whole("workbook-stale", (
                f"{label} is a workbook for {facts['programme']} {facts['edition']}, not "
                f"{name} {edition}; import it into its own programme."))
            return None
        if judge_id not in self.prog.judges or judge_id not in self.prog.folder.sheets:
            whole("workbook-stale", (
                f"{label} is for the judge '{judge_id}', who has no score sheet in this "
                "programme (scores/" + judge_id + ".yaml); check it is the right file."))
            return None
        outcome.judge = judge_id
        # their workbook's rubric (render/workbooks.py makes none for a judge whose
        # categories' rubrics differ: such a workbook's rubric is then stale)
        self._use(self.prog.judge_rubric(judge_id) or self.settings.rubric)
        stem = workbook.path.name.rsplit(".", 1)[0]
        if stem != judge_id and stem in self.prog.judges:
            whole("workbook-stale", (
                f"{label} is named after the judge {stem}, but it is {judge_id}'s workbook; "
                f"check that you have the right file, and if you have, rename it "
                f"{judge_id}.xlsx."))
        if facts["round"] != self.prog.judging_round:
            whole("workbook-stale", (
                f"{label} is for judging round {facts['round']}, but this is round "
                f"{self.prog.judging_round}. {REMAKE}"))
        if facts["rubric"] != self.rubric or facts["scale"] != self.scale:
            whole("workbook-stale", (
                f"The rubric has changed since {label} was made (its criteria, weights or "
                f"scale), so its scores may not mean what they meant. {REMAKE}"))
        if outcome.findings:
            return None
        return self._hidden_rows(workbook, outcome, judge_id, facts)

    def _hidden_rows(self, workbook: Returned, outcome: Outcome, judge_id: str,
                     facts: Mapping[str, str]) -> dict[str, tuple[str, list[str]]] | None:
        label = workbook.label
        edition = self.settings.edition
        rows: dict[str, tuple[str, list[str]]] = {}
        tampered = []
        withdrawn = []
        for reference, data in workbook.hidden_rows:
            parts = data.split()
            entry_id = self.entry_of.get(reference)
            if entry_id is None:
                withdrawn.append(reference)
                continue
            if (reference in rows or len(parts) != 1 + len(self.layout.inputs)
                    or parts[0] != layout.row_check(edition, judge_id, entry_id)):
                tampered.append(reference)
                continue
            rows[reference] = (entry_id, parts[1:])
        if withdrawn:
            outcome.findings.append(finding(label, None, None, "workbook-stale", (
                f"{label} was made for entries that are no longer in the programme "
                f"({_listed('the reference', withdrawn)} no entry's now). {REMAKE}")))
            return None
        entries = [entry_id for entry_id, _ in rows.values()]
        expected = layout.fingerprint(facts["programme"], facts["edition"], judge_id,
                                      facts["round"], entries, facts["rubric"],
                                      facts["scale"])
        if tampered or expected != facts["fingerprint"]:
            outcome.findings.append(finding(label, None, None, "workbook-reference", (
                f"The hidden data of {label} has been changed"
                + (f" ({_listed('the reference', tampered)} not as qsi wrote "
                   f"{'it' if len(tampered) == 1 else 'them'})" if tampered else "")
                + f", so qsi cannot be sure which entry each row is. {REMAKE}")))
            return None
        assigned = self.prog.folder.sheets[judge_id].judgements
        gone = [self.references[e] for e in entries if e not in assigned]
        new = [self.references[e] for e in assigned if e not in set(entries)]
        if gone or new:
            what = []
            if new:
                what.append(f"now also holds {', '.join(sorted(new))}")
            if gone:
                what.append(f"no longer holds {', '.join(sorted(gone))}")
            outcome.findings.append(finding(label, None, None, "workbook-stale", (
                f"{label} was made from an older assignment: scores/{judge_id}.yaml "
                f"{' and '.join(what)}. {REMAKE}")))
            return None
        return rows

    # The rows ----------------------------------------------------------------------------

    def _match_rows(self, workbook: Returned, rows: Mapping[str, tuple[str, list[str]]],
                    outcome: Outcome) -> list[tuple[int, str, list[str]]]:
        """Each Scores row matched to its hidden row by reference: (row, entry, digests)."""
        label = workbook.label
        grid = self.layout
        expected = layout.headings([c.title for c in self.criteria])
        headings = [cell_text(value) or "" for value in (workbook.headings or [])]
        headings += [""] * (len(expected) - len(headings))
        if workbook.headings is None or headings[:len(expected)] != expected:
            where = "it has no Scores sheet" if workbook.headings is None else next(
                f"{cell_name(1, n)} should say '{want}' but says '{got}'"
                for n, (want, got) in enumerate(zip(expected, headings, strict=False), 1)
                if want != got)
            outcome.findings.append(finding(label, None, None, "workbook-unrecognised", (
                f"The Scores sheet of {label} is not laid out as qsi made it ({where}); "
                f"only the yellow cells may be changed. {REMAKE}")))
            return []
        matched: list[tuple[int, str, list[str]]] = []
        seen: dict[str, int] = {}
        columns = [1] + [column for _, column in grid.inputs]
        for row, cells in sorted(workbook.rows.items()):
            for column in range(grid.width + 1, len(cells) + 1):
                if not _empty(cells[column - 1]):
                    outcome.findings.append(finding(label, row, column, "workbook-bad-cell", (
                        f"{cell_name(row, column)} is outside the table, so qsi does not "
                        "read it; move what it says into the entry's Comment, or delete "
                        "it.")))
            reference = cell_text(_at(cells, 1).value).strip()
            if not reference:
                if any(not _empty(_at(cells, column)) for column in columns):
                    outcome.findings.append(finding(label, row, None, "workbook-rows", (
                        f"Row {row} was added to the Scores sheet (it has no reference); "
                        "the workbook has one row per entry you were given, so move what "
                        "it says into the right row and delete it.")))
                continue
            if reference in rows:
                if reference in seen:
                    outcome.findings.append(finding(label, row, 1, "workbook-rows", (
                        f"{reference} is in row {seen[reference]} and again in row {row}; "
                        "keep one row per entry, with all its scores, and delete the "
                        "other.")))
                    continue
                seen[reference] = row
                entry_id, digests = rows[reference]
                matched.append((row, entry_id, digests))
            elif reference in self.entry_of:
                outcome.findings.append(finding(label, row, 1, "workbook-rows", (
                    f"{reference} in row {row} is not one of the entries given to "
                    f"{outcome.judge} to score; delete the row.")))
            else:
                outcome.findings.append(finding(label, row, 1, "workbook-reference", (
                    f"'{_shown(reference)}' in row {row} is not the reference of any entry "
                    "(a reference changed by hand?); put back the one the row had, as in "
                    "your judge pack.")))
        for reference in rows:
            if reference not in seen:
                outcome.findings.append(finding(label, None, None, "workbook-rows", (
                    f"The row for {reference} has been deleted from the Scores sheet; "
                    "put it back (undo, or ask for a new workbook and copy the scores "
                    "into it).")))
        return matched

    def _row(self, outcome: Outcome, sheet: Sheet, row: int, cells: list[Cell],
             entry_id: str, digests: list[str]) -> None:
        """Check one matched row and work out what it changes."""
        label = outcome.label
        reference = self.references[entry_id]
        judgement = sheet.judgements.get(entry_id) or Judgement()
        current: dict[str, Value] = dict(judgement.criterion_scores())
        current[layout.CONFLICT] = judgement.conflict
        current[layout.COMMENT] = judgement.comment
        current[layout.PRIVATE_COMMENT] = judgement.private_comment
        target: dict[str, Value] = {}
        problems = False
        titles = {c.id: c.title for c in self.criteria}
        for (name, column), digest in zip(self.layout.inputs, digests, strict=True):
            cell = _at(cells, column)
            value: Value
            if name in titles:
                value, problem = self._score(cell)
                what = f"the {titles[name]} score of {reference}"
            else:
                value, problem = _text_value(cell)
                what = f"the {name.replace('_', ' ')} of {reference}"
            if problem is not None:
                outcome.findings.append(finding(label, row, column, "workbook-bad-cell",
                                                f"{what[0].upper()}{what[1:]} {problem}"))
                problems = True
                continue
            target[name] = current.get(name) if layout.issued(value) == digest else value
        if problems:
            return
        scored = [c.id for c in self.criteria if target.get(c.id) is not None]
        conflict = target.get(layout.CONFLICT)
        if conflict and scored:
            outcome.findings.append(finding(
                label, row, self.layout.conflict_column, "workbook-conflict", (
                    f"{reference} has scores and a conflict in the same row; a judge who "
                    "cannot judge an entry fairly gives it no scores, so empty its score "
                    "cells or its conflict.")))
            return
        organisation = self.prog.entries[entry_id].front.organisation
        reason = self.conflicts.reason(sheet.judge, entry_id, organisation)
        if reason is not None and scored and not conflict:
            outcome.findings.append(finding(
                label, row, self.layout.criterion_column(0), "workbook-conflict", (
                    f"{sheet.judge} may not score {reference}: {reason} (judges.yaml). "
                    "Empty its scores and write why in its conflict cell.")))
            return
        changed = {name: value for name, value in target.items()
                   if layout.canonical(value) != layout.canonical(current.get(name))}
        if not changed:
            return
        for name, value in changed.items():
            outcome.changes.append(Change(entry_id, reference, name, current.get(name), value))
        updates: dict[str, Value] = {}
        has = judgement.criterion_scores()
        for criterion in self.criteria:  # every criterion, unless recused
            if criterion.id in changed:
                updates[criterion.id] = changed[criterion.id]
            elif criterion.id not in has and not conflict:
                updates[criterion.id] = None
        for name in (layout.CONFLICT, layout.COMMENT, layout.PRIVATE_COMMENT):
            if name in changed:
                updates[name] = changed[name]
        outcome.updates[entry_id] = updates

    def _score(self, cell: Cell) -> tuple[int | None, str | None]:
        """A score cell as a score (None when empty), or what is wrong with it."""
        scale = f"type a whole number from {self.low} to {self.high}, or leave it empty"
        value = cell.value
        if cell.formula or cell.error:
            return None, f"is a formula or an error, not a number; {scale}."
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, None
        if isinstance(value, bool):
            return None, f"is {str(value).upper()}, not a number; {scale}."
        if isinstance(value, dt.date | dt.time | dt.timedelta):
            return None, (f"is a date or a time ({value}), not a number (the cell may be "
                          f"formatted as a date); {scale}.")
        number: Decimal | None = None
        if isinstance(value, int | float):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        elif isinstance(value, str):
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite():
            return None, f"is the text '{_shown(str(value))}', not a number; {scale}."
        if number != number.to_integral_value():
            return None, f"is {_shown(_plain(number))}, which is not a whole number; {scale}."
        score = int(number)
        if not self.low <= score <= self.high:
            return None, f"is {_shown(str(score))}, outside the scale; {scale}."
        return score, None


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _text_value(cell: Cell) -> tuple[str | None, str | None]:
    """A Conflict or Comment cell as text (None when empty), or what is wrong with it."""
    if cell.formula or cell.error:
        return None, "is a formula or an error; type the words themselves."
    text = layout.canonical(cell_text(cell.value))
    return (text or None), None


def _at(cells: list[Cell], column: int) -> Cell:
    return cells[column - 1] if column <= len(cells) else Cell(None)


def _empty(cell: Cell) -> bool:
    return cell.value is None or (isinstance(cell.value, str) and not cell.value.strip())


def _listed(what: str, items: list[str]) -> str:
    """'the reference E-1' or 'the references E-1, E-2 are' (at most five named)."""
    shown = ", ".join(items[:5]) + (", ..." if len(items) > 5 else "")
    return f"{what} {shown} is" if len(items) == 1 else f"{what}s {shown} are"


def _count(text: str) -> int:
    return int(text) if text.isdigit() else -1


def _shown(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
