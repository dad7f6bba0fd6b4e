"""`qsi assign` as a function: plan with judging.assign, then add null stubs to the
score sheets by appending text, so everything a judge wrote — scores, comments,
YAML comments, key order, blank lines, line endings — stays byte for byte.

Before anything is written, each sheet with its first and last stubs in place is
parsed again and checked to hold exactly the old data plus those two; then each sheet
is written, with every stub, atomically. Two stubs stand for them all: the stubs are
one block of lines alike (an entry's key at one indentation, each criterion's
`name: null` at another, every key written by `scalar`, which reads back as its text),
so a place where the first reads right after what comes before it, the last right
before what follows it, and one right after another, reads right with any number
between them (reading every sheet back whole took a second at 10,000 entries). A
layout we cannot add to safely (flow-style `scores: {e1: ...}`) is refused, not
rewritten; the one thing replaced is an empty `scores: {}` or `scores: ~`, which holds
nothing and after which no stub could follow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ProblemsFound, QsiError
from ..fileio import write_bytes_atomic
from ..judging.assign import Plan, plan
from ..judging.conflicts import ConflictIndex
from ..judging.rounds import Round
from ..load import BallotSheet, Sheet, yamlparse
from ..programme import Programme
from .yaml_scalars import scalar

_BOM = b"\xef\xbb\xbf"


@dataclass
class SheetChange:
    judge: str
    path: Path
    entries: list[str]  # in a ranked round's ballot file: categories
    new_bytes: bytes
    created: bool
    rel: str = ""  # the path in the programme, for the report


def existing_assignments(prog: Programme, rnd: Round) -> dict[str, dict[str, bool]]:
    """judge -> {entry: recused?} as the round's sheets stand."""
    return {judge_id: {entry_id: judgement.conflict is not None
                       for entry_id, judgement in sheet.judgements.items()}
            for judge_id, sheet in prog.sheets(rnd).items()}


def make_plan(prog: Programme, seed: int, rnd: Round) -> Plan:
    panel = {judge_id: judge for judge_id, judge in prog.judges.items()
             if rnd.on_panel(judge_id)}
    return plan(prog.entrants(rnd), panel, existing_assignments(prog, rnd),
                rnd.judges_per_entry, seed)


def calibration_plan(prog: Programme, rnd: Round) -> Plan:
    """A calibration exercise: every judge on the panel scores every reference entry
    they are not conflicted with and whose category is theirs."""
    result = Plan()
    conflicts = ConflictIndex(prog.judges)
    sheets = prog.sheets(rnd)
    for judge_id in sorted(prog.judges):
        if not rnd.on_panel(judge_id):
            continue
        scope = prog.judges[judge_id].categories
        held = sheets[judge_id].judgements if judge_id in sheets else {}
        result.added[judge_id] = [
            e for e, front in sorted(prog.entrants(rnd).items()) if e not in held
            and not conflicts.conflicted(judge_id, e, front.organisation)
            and (scope is None or front.category in scope)]
        result.loads_before[judge_id] = len(held)
        result.loads_after[judge_id] = len(held) + len(result.added[judge_id])
    return result


def ballot_plan(prog: Programme, rnd: Round) -> Plan:
    """A ranked round: every judge on the panel gets a ballot for each category with
    finalists they may judge (within their categories, and not conflicted with every
    finalist); a finalist that the panel's ballots leave with fewer than
    judges_per_entry judges who have a say on it is short."""
    result = Plan()
    finalists = prog.entrants(rnd)
    conflicts = ConflictIndex(prog.judges)
    files = prog.ballots(rnd)
    say: dict[str, int] = dict.fromkeys(finalists, 0)
    for judge_id in sorted(prog.judges):
        if not rnd.on_panel(judge_id):
            continue
        judge = prog.judges[judge_id]
        held = files[judge_id].ballots if judge_id in files else {}
        added = []
        for category in prog.categories:
            if judge.categories is not None and category.id not in judge.categories:
                continue
            free = [e for e, front in finalists.items() if front.category == category.id
                    and not conflicts.conflicted(judge_id, e, front.organisation)
                    and e not in (held[category.id].conflicts if category.id in held else {})]
            for entry_id in free:
                say[entry_id] += 1
            if free and category.id not in held:
                added.append(category.id)
        result.added[judge_id] = added
        result.loads_before[judge_id] = len(held)
        result.loads_after[judge_id] = len(held) + len(added)
    for entry_id, count in sorted(say.items()):
        if count < rnd.judges_per_entry:
            result.short[entry_id] = (
                f"only {count} judge{'s' if count != 1 else ''} on the panel of the round "
                f"'{rnd.id}' may rank it, and it needs {rnd.judges_per_entry}; add judges to "
                "the round's panel (programme.yaml) or to judges.yaml")
    return result


def _stubs(entries: list[str], criteria: Mapping[str, tuple[str, ...]], indent: int,
           inner: int, nl: str) -> str:
    blocks: dict[tuple[str, ...], str] = {}  # the lines of each rubric's criteria
    out = []
    for entry_id in entries:
        names = criteria[entry_id]
        block = blocks.get(names)
        if block is None:
            block = blocks[names] = "".join(f"{' ' * inner}{scalar(name)}: null{nl}"
                                            for name in names)
        out.append(f"{' ' * indent}{scalar(entry_id)}:{nl}{block}")
    return "".join(out)


@dataclass(frozen=True)
class _Layout:
    """How a sheet's stubs are written, and the places worth trying, best first, each as
    the bytes before the stubs and after them."""

    indent: int
    inner: int
    nl: str
    heading: str  # `scores:` for a sheet without it
    places: list[tuple[bytes, bytes]]

    def stubs(self, entries: list[str], criteria: Mapping[str, tuple[str, ...]]) -> bytes:
        return (self.heading + _stubs(entries, criteria, self.indent, self.inner, self.nl)
                ).encode("utf-8")


def _line_offset(raw: bytes, line: int) -> int:
    """The byte offset at which 1-based `line` starts (after a byte order mark)."""
    offset = len(_BOM) if raw.startswith(_BOM) else 0
    for _ in range(line - 1):
        found = raw.find(b"\n", offset)
        if found < 0:
            return len(raw)
        offset = found + 1
    return offset


def _written_empty(raw: bytes, lines: list[str], line: int, column: int) -> tuple[int, int]:
    """The bytes of an empty value written out ({}, ~, null) that starts at (line, column);
    an empty span for a value left blank (`scores:` and nothing)."""
    before, rest = lines[line - 1][:column - 1], lines[line - 1][column - 1:]
    token = re.split(r"\s#", rest, maxsplit=1)[0].rstrip()
    if token and not rest[len(token):].strip():  # nothing after it: the spaces before go too
        token = before[len(before.rstrip()):] + token
        before = before.rstrip()
    start = _line_offset(raw, line) + len(before.encode("utf-8"))
    return start, start + len(token.encode("utf-8"))


def _layout(sheet: Sheet | BallotSheet, field: str = "scores") -> _Layout:
    """Where and how stubs can be added under `scores:`, in each place worth trying, best
    first; `changes` keeps the first that reads back right. Every byte in the file stays,
    except an empty `scores: {}` or `scores: ~`, whose {} or ~ the stubs replace (it
    holds nothing, and no stub can follow it on later lines)."""
    raw = sheet.raw
    nl = "\r\n" if b"\r\n" in raw else "\n"
    doc = sheet.doc
    data: dict[str, Any] = doc.data
    lines = doc.text.split("\n")
    top_lines = sorted(doc.where((key,), at_key=True)[0] for key in data)
    indent, inner = 2, 4
    empty = (0, 0)  # the bytes of a written-out empty value, which the stubs replace
    scores = data.get(field)
    heading = ""
    if field not in data:
        heading = f"{field}:{nl}"
        key_line = 0
    else:
        key_line = doc.where((field,), at_key=True)[0]
        value_line, value_column = doc.where((field,))
        written = re.sub(r"^!\S*[ \t]*", "", lines[value_line - 1][(value_column or 1) - 1:],
                         count=1)  # the value as written, after a tag such as !!map
        if written.startswith("{") and (scores or not re.match(r"\{\s*\}", written)):
            raise QsiError(
                f"{sheet.path} writes its {field} in braces ({{...}}); qsi adds entries only "
                f"to {field} listed one per line under '{field}:', so rewrite them that way and "
                "run qsi assign again.", exit_code=1)
        if scores:
            first = next(iter(scores))
            indent = (doc.where((field, first), at_key=True)[1] or 3) - 1
            inner = indent + 2
            judgement = scores[first]
            if isinstance(judgement, dict) and judgement:
                first_key = next(iter(judgement))
                line, column = doc.where((field, first, first_key), at_key=True)
                if line != doc.where((field, first), at_key=True)[0] and column:
                    inner = column - 1
        else:
            empty = _written_empty(raw, lines, value_line, value_column or 1)

    def at(line: int | None) -> tuple[bytes, bytes]:
        """The bytes before and after stubs inserted where `line` starts, or at the end
        for None."""
        if line is None:
            end = b"" if raw.endswith(b"\n") or not raw else nl.encode()
            return raw[:empty[0]] + raw[empty[1]:] + end, b""
        offset = _line_offset(raw, line)
        return raw[:empty[0]] + raw[empty[1]:offset], raw[offset:]

    places = []
    later = [line for line in top_lines if line > key_line]
    if key_line and later:
        # before the key that follows scores:, and above the comments and blank lines
        # that go with it, unless they belong to a block scalar (comment: |+)
        line = later[0]
        while line - 1 > key_line and lines[line - 2].strip()[:1] in ("#", ""):
            line -= 1
        places += [at(line), at(later[0])]
    else:
        places.append(at(None))
    # a sheet that ends in a block scalar with no final line break: a line break after it
    # would become part of its text, so the stubs go first under scores: (or first of all)
    places.append(at(top_lines[0]) if not key_line
                  else at((key_line if scores else value_line) + 1))
    return _Layout(indent, inner, nl, heading, places)


def _holds(new_bytes: bytes, old: dict[str, Any] | None, judge_id: str, entries: list[str],
           criteria: Mapping[str, tuple[str, ...]], field: str = "scores") -> bool:
    """True if the new text holds exactly the old data plus the stubs: the judge's entries
    in their order, the new ones in theirs."""
    try:
        text = new_bytes.decode("utf-8-sig").replace("\r\n", "\n")
        data, problems = yamlparse.parse(text)
    except (UnicodeDecodeError, yamlparse.YamlError):
        return False
    expected: dict[str, Any] = dict(old) if old is not None else {"judge": judge_id}
    before = list(expected.get(field) or {})
    scores = dict(expected.get(field) or {})
    for entry_id in entries:
        scores[entry_id] = dict.fromkeys(criteria[entry_id])
    expected[field] = scores
    got = list(data.get(field) or {}) if isinstance(data, dict) else []
    return (not problems and data == expected and [key for key in got if key in before] == before
            and [key for key in got if key not in before] == entries)


def changes(prog: Programme, result: Plan, rnd: Round) -> list[SheetChange]:
    """The new text of every sheet (or, in a ranked round, ballot file) the plan adds to."""
    field = "ballots" if rnd.ranked else "scores"
    # each entry's stub: its category's criteria (Programme.rubric_for), or a ranking
    criteria: dict[str, tuple[str, ...]]
    if rnd.ranked:
        criteria = {category.id: ("ranking",) for category in prog.categories}
    else:
        rubrics = {category: tuple(c.id for c in prog.rubric_for(category, rnd).criteria)
                   for category in {front.category for front in prog.fronts.values()}}
        criteria = {entry_id: rubrics[front.category]
                    for entry_id, front in prog.fronts.items()}
    files: dict[str, Sheet | BallotSheet] = {**(prog.ballots(rnd) if rnd.ranked
                                                else prog.sheets(rnd))}
    out = []
    for judge_id, entries in sorted(result.added.items()):
        if not entries:
            continue
        sheet = files.get(judge_id)
        rel = rnd.path(judge_id)
        path = prog.root / rel
        if sheet is None:
            layout = _Layout(2, 4, "\n", f"{field}:\n",
                             [(f"judge: {scalar(judge_id)}\n".encode(), b"")])
            old = None
        else:
            layout = _layout(sheet, field)
            old = sheet.doc.data
        ends = entries[:1] + entries[1:][-1:]  # the first stub and the last (see above)
        probe = layout.stubs(ends, criteria)
        place = next((place for place in layout.places
                      if _holds(place[0] + probe + place[1], old, judge_id, ends, criteria,
                                field)), None)
        held = set((old or {}).get(field) or {})
        if place is None or len(set(entries)) < len(entries) or held & set(entries):
            raise QsiError(
                f"qsi could not add to {rel} without changing what is "
                f"already in it, so it changed nothing. Add these lines under '{field}:' "
                "yourself (indented like the others there), then run qsi validate:\n"
                + _stubs(entries, criteria, 2, 4, "\n").rstrip(), exit_code=1)
        new = place[0] + layout.stubs(entries, criteria) + place[1]
        out.append(SheetChange(judge_id, path, entries, new, sheet is None, rel))
    return out


def check_coverable(result: Plan) -> None:
    """ProblemsFound (exit 1) when the panel cannot give some entry its judges."""
    if result.short:
        lines = [f"  {entry_id}: {why}" for entry_id, why in sorted(result.short.items())]
        raise ProblemsFound("The panel cannot cover every entry, so nothing was written:\n"
                            + "\n".join(lines))


def write(planned: list[SheetChange]) -> None:
    """Write each changed sheet atomically, once every one is known to be as it was."""
    for change in planned:
        if not change.created and not change.path.is_file():
            raise QsiError(f"{change.path} changed while qsi was working; run qsi assign again.")
    for change in planned:
        write_bytes_atomic(change.path, change.new_bytes)


@dataclass(frozen=True)
class Assignment:
    """What `qsi assign` added to the score sheets (in a dry run: would add)."""

    plan: Plan
    changes: list[SheetChange]  # empty when every entry already has its judges
    judges_per_entry: int
    dry_run: bool
    ranked: bool = False  # a ranked round: ballots, per category


def run(prog: Programme, seed: int, dry_run: bool = False, round_id: str | None = None
        ) -> Assignment:
    """Plan the missing judgements of a round (the current one unless `round_id` names
    another) and, unless `dry_run`, add their stubs to the sheets (or, in a ranked round,
    a ballot per category to the ballot files). Writes nothing when the panel cannot
    cover every entry (ProblemsFound, exit 1) or a file cannot be added to safely
    (QsiError)."""
    rnd = prog.round(round_id)
    result = (ballot_plan(prog, rnd) if rnd.ranked else calibration_plan(prog, rnd)
              if rnd.calibration else make_plan(prog, seed, rnd))
    check_coverable(result)
    planned = changes(prog, result, rnd)
    if not dry_run:
        write(planned)
    return Assignment(result, planned, rnd.judges_per_entry, dry_run, rnd.ranked)
