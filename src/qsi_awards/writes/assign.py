"""`qsi assign` as a function: plan with judging.assign, then add null stubs to the
score sheets by appending text, so everything a judge wrote — scores, comments,
YAML comments, key order, blank lines, line endings — stays byte for byte.

Every new sheet text is parsed again and checked to hold exactly the old data plus
the stubs before anything is written; then each sheet is written atomically. A
layout we cannot add to safely (flow-style `scores: {e1: ...}`) is refused, not
rewritten; the one thing replaced is an empty `scores: {}` or `scores: ~`, which holds
nothing and after which no stub could follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ProblemsFound, QsiError
from ..fileio import write_bytes_atomic
from ..judging.assign import Plan, plan
from ..load import Sheet, yamlparse
from ..programme import Programme
from .yaml_scalars import scalar

_BOM = b"\xef\xbb\xbf"


@dataclass
class SheetChange:
    judge: str
    path: Path
    entries: list[str]
    new_bytes: bytes
    created: bool


def existing_assignments(prog: Programme) -> dict[str, dict[str, bool]]:
    """judge -> {entry: recused?} as the sheets stand."""
    return {judge_id: {entry_id: judgement.conflict is not None
                       for entry_id, judgement in sheet.judgements.items()}
            for judge_id, sheet in prog.folder.sheets.items()}


def make_plan(prog: Programme, seed: int) -> Plan:
    return plan(prog.fronts, prog.judges, existing_assignments(prog),
                prog.settings.judging.judges_per_entry, seed)


def _stubs(entries: list[str], criteria: list[str], indent: int, inner: int, nl: str) -> str:
    out = []
    for entry_id in entries:
        out.append(f"{' ' * indent}{scalar(entry_id)}:{nl}")
        out.extend(f"{' ' * inner}{scalar(name)}: null{nl}" for name in criteria)
    return "".join(out)


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


def _additions(sheet: Sheet, entries: list[str], criteria: list[str]) -> Iterator[bytes]:
    """The sheet's bytes with stubs for `entries` added under `scores:`, in each place worth
    trying, best first; `changes` keeps the first that reads back right. Every byte in the
    file stays, except an empty `scores: {}` or `scores: ~`, whose {} or ~ the stubs
    replace (it holds nothing, and no stub can follow it on later lines)."""
    raw = sheet.raw
    nl = "\r\n" if b"\r\n" in raw else "\n"
    doc = sheet.doc
    data: dict[str, Any] = doc.data
    lines = doc.text.split("\n")
    top_lines = sorted(doc.where((key,), at_key=True)[0] for key in data)
    indent, inner = 2, 4
    empty = (0, 0)  # the bytes of a written-out empty value, which the stubs replace
    scores = data.get("scores")
    if "scores" not in data:
        addition = f"scores:{nl}" + _stubs(entries, criteria, indent, inner, nl)
        key_line = 0
    else:
        key_line = doc.where(("scores",), at_key=True)[0]
        value_line, value_column = doc.where(("scores",))
        written = re.sub(r"^!\S*[ \t]*", "", lines[value_line - 1][(value_column or 1) - 1:],
                         count=1)  # the value as written, after a tag such as !!map
        if written.startswith("{") and (scores or not re.match(r"\{\s*\}", written)):
            raise QsiError(
                f"{sheet.path} writes its scores in braces ({{...}}); qsi adds entries only "
                "to scores listed one per line under 'scores:', so rewrite them that way and "
                "run qsi assign again.", exit_code=1)
        if scores:
            first = next(iter(scores))
            indent = (doc.where(("scores", first), at_key=True)[1] or 3) - 1
            inner = indent + 2
            judgement = scores[first]
            if isinstance(judgement, dict) and judgement:
                first_key = next(iter(judgement))
                line, column = doc.where(("scores", first, first_key), at_key=True)
                if line != doc.where(("scores", first), at_key=True)[0] and column:
                    inner = column - 1
        else:
            empty = _written_empty(raw, lines, value_line, value_column or 1)
        addition = _stubs(entries, criteria, indent, inner, nl)
    added = addition.encode("utf-8")

    def at(line: int | None) -> bytes:
        """The stubs inserted where `line` starts, or at the end for None."""
        if line is None:
            end = b"" if raw.endswith(b"\n") or not raw else nl.encode()
            return raw[:empty[0]] + raw[empty[1]:] + end + added
        offset = _line_offset(raw, line)
        return raw[:empty[0]] + raw[empty[1]:offset] + added + raw[offset:]

    later = [line for line in top_lines if line > key_line]
    if key_line and later:
        # before the key that follows scores:, and above the comments and blank lines
        # that go with it, unless they belong to a block scalar (comment: |+)
        line = later[0]
        while line - 1 > key_line and lines[line - 2].strip()[:1] in ("#", ""):
            line -= 1
        yield at(line)
        yield at(later[0])
    else:
        yield at(None)
    # a sheet that ends in a block scalar with no final line break: a line break after it
    # would become part of its text, so the stubs go first under scores: (or first of all)
    if not key_line:
        yield at(top_lines[0])
    else:
        yield at((key_line if scores else value_line) + 1)


def _holds(new_bytes: bytes, old: dict[str, Any] | None, judge_id: str, entries: list[str],
           criteria: list[str]) -> bool:
    """True if the new text holds exactly the old data plus the stubs: the judge's entries
    in their order, the new ones in theirs."""
    try:
        text = new_bytes.decode("utf-8-sig").replace("\r\n", "\n")
        data, problems = yamlparse.parse(text)
    except (UnicodeDecodeError, yamlparse.YamlError):
        return False
    expected: dict[str, Any] = dict(old) if old is not None else {"judge": judge_id}
    before = list(expected.get("scores") or {})
    scores = dict(expected.get("scores") or {})
    for entry_id in entries:
        scores[entry_id] = dict.fromkeys(criteria)
    expected["scores"] = scores
    got = list(data.get("scores") or {}) if isinstance(data, dict) else []
    return (not problems and data == expected and [key for key in got if key in before] == before
            and [key for key in got if key not in before] == entries)


def changes(prog: Programme, result: Plan) -> list[SheetChange]:
    criteria = [c.id for c in prog.criteria]
    out = []
    for judge_id, entries in sorted(result.added.items()):
        if not entries:
            continue
        sheet = prog.folder.sheets.get(judge_id)
        path = prog.root / "scores" / f"{judge_id}.yaml"
        if sheet is None:
            candidates: Iterable[bytes] = [
                (f"judge: {scalar(judge_id)}\nscores:\n"
                 + _stubs(entries, criteria, 2, 4, "\n")).encode("utf-8")]
            old = None
        else:
            candidates = _additions(sheet, entries, criteria)
            old = sheet.doc.data
        new = next((text for text in candidates
                    if _holds(text, old, judge_id, entries, criteria)), None)
        if new is None:
            raise QsiError(
                f"qsi could not add to scores/{judge_id}.yaml without changing what is "
                "already in it, so it changed nothing. Add these lines under 'scores:' "
                "yourself (indented like the entries there), then run qsi validate:\n"
                + _stubs(entries, criteria, 2, 4, "\n").rstrip(), exit_code=1)
        out.append(SheetChange(judge_id, path, entries, new, sheet is None))
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


def run(prog: Programme, seed: int, dry_run: bool = False) -> Assignment:
    """Plan the missing judgements and, unless `dry_run`, add their stubs to the sheets.
    Writes nothing when the panel cannot cover every entry (ProblemsFound, exit 1) or a
    sheet cannot be added to safely (QsiError)."""
    result = make_plan(prog, seed)
    check_coverable(result)
    planned = changes(prog, result)
    if not dry_run:
        write(planned)
    return Assignment(result, planned, prog.settings.judging.judges_per_entry, dry_run)
