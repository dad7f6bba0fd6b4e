"""`qsi import scores`'s reporters: each workbook's problems, at the workbook's own
position (`hmarsh.xlsx, Scores!D7`), and the values it changed (or would change) in
its judge's score sheet."""

from __future__ import annotations

from typing import TextIO

from ..controls import escaped
from ..findings import Finding
from ..writes.import_scores import Change, Imported, Outcome, cell_name
from ..writes.scores import written
from . import Reporter, json_text


def position(f: Finding) -> str:
    """Where in a workbook: `hmarsh.xlsx, Scores!D7`, `hmarsh.xlsx, Scores row 7`, or the
    file alone for the workbook as a whole."""
    if f.line is None:
        return f.path
    if f.column is None:
        return f"{f.path}, Scores row {f.line}"
    return f"{f.path}, {cell_name(f.line, f.column)}"


def _value(value: int | str | None) -> str:
    if value is None:
        return "empty"
    text = written(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _change(change: Change) -> str:
    return (f"  {change.reference} ({change.entry}) {change.field}: {_value(change.old)} -> "
            f"{_value(change.new)}")


def _outcome(outcome: Outcome, dry_run: bool) -> list[str]:
    if outcome.findings:
        count = len(outcome.findings)
        return [f"{position(f)}: {f.code} {f.message}" for f in outcome.findings] + [
            f"{outcome.label}: {count} problem{'s' if count != 1 else ''}, so nothing from "
            "it was written; fix them in the workbook (or ask for a new one) and import "
            "it again."]
    if not outcome.changes:
        return [f"{outcome.label}: nothing to change; {outcome.sheet} already holds these "
                "scores."]
    count = len(outcome.changes)
    verb = "would change" if dry_run else "changed"
    return [f"{outcome.label}: {verb} {count} value{'s' if count != 1 else ''} in "
            f"{outcome.sheet}:", *map(_change, outcome.changes)]


def text(done: Imported, out: TextIO, /) -> None:
    lines = [line for outcome in done.outcomes for line in _outcome(outcome, done.dry_run)]
    if done.dry_run:
        lines.append("Dry run: nothing was written.")
    out.write(escaped("\n".join(lines)) + "\n")


def as_json(done: Imported, out: TextIO, /) -> None:
    document = {
        "dry_run": done.dry_run,
        "workbooks": [{
            "file": outcome.label,
            "judge": outcome.judge,
            "sheet": outcome.sheet,
            "written": (not done.dry_run and outcome.good and bool(outcome.changes)),
            "changes": [{"entry": c.entry, "reference": c.reference, "field": c.field,
                         "old": c.old, "new": c.new} for c in outcome.changes],
            "findings": [{**f.as_dict(), "position": position(f)} for f in outcome.findings],
        } for outcome in done.outcomes],
        "summary": {"errors": len(done.findings),
                    "changes": sum(len(o.changes) for o in done.outcomes if o.good)},
    }
    out.write(json_text(document))


REPORTERS: dict[str, Reporter[Imported]] = {"text": text, "json": as_json}
