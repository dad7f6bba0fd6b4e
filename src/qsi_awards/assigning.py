"""`qsi assign` as a function: plan with judging.assign, then add null stubs to the
score sheets by appending text, so everything a judge wrote — scores, comments,
YAML comments, key order, blank lines, line endings — stays byte for byte.

Every new sheet text is parsed again and checked to hold exactly the old data plus
the stubs before anything is written; then each sheet is written atomically. A
layout we cannot add to safely (flow-style `scores: {...}`) is refused, not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamlparse
from .errors import ProblemsFound, QsiError
from .fileio import write_bytes_atomic
from .judging.assign import Plan, plan
from .load import Sheet
from .programme import Programme
from .yamlwrite import scalar


@dataclass
class SheetChange:
    judge: str
    path: Path
    entries: list[str]
    new_bytes: bytes
    created: bool


def existing_assignments(prog: Programme) -> dict[str, dict[str, bool]]:
    """judge -> {entry: recused?} as the sheets stand."""
    return {judge_id: {entry_id: judgement.get("conflict") is not None
                       for entry_id, judgement in sheet.judgements.items()}
            for judge_id, sheet in prog.folder.sheets.items()}


def make_plan(prog: Programme, seed: int) -> Plan:
    return plan(prog.entries, prog.judges, existing_assignments(prog),
                prog.settings["judging"]["judges_per_entry"], seed)


def _stubs(entries: list[str], criteria: list[str], indent: int, inner: int, nl: str) -> str:
    out = []
    for entry_id in entries:
        out.append(f"{' ' * indent}{scalar(entry_id)}:{nl}")
        out.extend(f"{' ' * inner}{scalar(name)}: null{nl}" for name in criteria)
    return "".join(out)


def _line_offset(raw: bytes, line: int) -> int:
    """The byte offset at which 1-based `line` starts."""
    offset = 0
    for _ in range(line - 1):
        found = raw.find(b"\n", offset)
        if found < 0:
            return len(raw)
        offset = found + 1
    return offset


def _append(sheet: Sheet, entries: list[str], criteria: list[str]) -> bytes:
    raw = sheet.raw
    nl = "\r\n" if b"\r\n" in raw else "\n"
    doc = sheet.doc
    data: dict[str, Any] = doc.data
    top_lines = sorted(doc.where((key,), at_key=True)[0] for key in data)
    indent, inner = 2, 4
    if "scores" not in data:
        addition = f"scores:{nl}" + _stubs(entries, criteria, indent, inner, nl)
        insert_line = None
    else:
        scores = data["scores"]
        key_line = doc.where(("scores",), at_key=True)[0]
        if isinstance(scores, dict) and scores:
            value_line = doc.where(("scores",))[0]
            if value_line == key_line:
                raise QsiError(
                    f"{sheet.path} writes scores: on one line ({{...}}); qsi adds entries "
                    "only to a sheet whose scores are listed one per line, so rewrite it that "
                    "way and run qsi assign again.", exit_code=1)
            first = next(iter(scores))
            indent = (doc.where(("scores", first), at_key=True)[1] or 3) - 1
            inner = indent + 2
            judgement = scores[first]
            if isinstance(judgement, dict) and judgement:
                first_key = next(iter(judgement))
                line, column = doc.where(("scores", first, first_key), at_key=True)
                if line != doc.where(("scores", first), at_key=True)[0] and column:
                    inner = column - 1
        elif isinstance(scores, dict):
            raise QsiError(
                f"{sheet.path} has scores: {{}}; qsi only adds to files, so replace "
                "'scores: {}' with 'scores:' and run qsi assign again.", exit_code=1)
        addition = _stubs(entries, criteria, indent, inner, nl)
        later = [line for line in top_lines if line > key_line]
        insert_line = later[0] if later else None
        if insert_line is not None:
            # keep comments and blank lines just above the next key with that key
            lines = doc.text.split("\n")
            while insert_line - 1 > key_line and lines[insert_line - 2].strip()[:1] in ("#", ""):
                insert_line -= 1
    if insert_line is None:
        prefix = b"" if raw.endswith(b"\n") or not raw else nl.encode()
        return raw + prefix + addition.encode("utf-8")
    offset = _line_offset(raw, insert_line)
    return raw[:offset] + addition.encode("utf-8") + raw[offset:]


def _verify(path: str, old: dict[str, Any] | None, new_bytes: bytes, judge_id: str,
            entries: list[str], criteria: list[str]) -> None:
    """The new text must hold exactly the old data plus the stubs, in order."""
    try:
        text = new_bytes.decode("utf-8-sig").replace("\r\n", "\n")
        data, problems = yamlparse.parse(text)
    except (UnicodeDecodeError, yamlparse.YamlError):
        data, problems = None, []
    expected: dict[str, Any] = dict(old) if old is not None else {"judge": judge_id}
    scores = dict(expected.get("scores") or {})
    for entry_id in entries:
        scores[entry_id] = dict.fromkeys(criteria)
    expected["scores"] = scores
    got_scores = data.get("scores") if isinstance(data, dict) else None
    if problems or data != expected or list(got_scores or {}) != list(scores):
        raise QsiError(f"qsi could not add to {path} safely, so it changed nothing; put "
                       "'scores:' last in the file, one entry per line, and try again.",
                       exit_code=1)


def changes(prog: Programme, result: Plan) -> list[SheetChange]:
    criteria = [c["id"] for c in prog.criteria]
    out = []
    for judge_id, entries in sorted(result.added.items()):
        if not entries:
            continue
        sheet = prog.folder.sheets.get(judge_id)
        path = prog.root / "scores" / f"{judge_id}.yaml"
        if sheet is None:
            new = (f"judge: {scalar(judge_id)}\nscores:\n" + _stubs(entries, criteria, 2, 4, "\n")
                   ).encode("utf-8")
            _verify(f"scores/{judge_id}.yaml", None, new, judge_id, entries, criteria)
            out.append(SheetChange(judge_id, path, entries, new, True))
        else:
            new = _append(sheet, entries, criteria)
            _verify(sheet.path, sheet.doc.data, new, judge_id, entries, criteria)
            out.append(SheetChange(judge_id, path, entries, new, False))
    return out


def check_coverable(result: Plan) -> None:
    if result.short:
        lines = [f"  {entry_id}: {why}" for entry_id, why in sorted(result.short.items())]
        raise ProblemsFound("The panel cannot cover every entry, so nothing was written:\n"
                            + "\n".join(lines))


def write(planned: list[SheetChange]) -> None:
    for change in planned:
        if not change.created and not change.path.is_file():
            raise QsiError(f"{change.path} changed while qsi was working; run qsi assign again.")
    for change in planned:
        write_bytes_atomic(change.path, change.new_bytes)
