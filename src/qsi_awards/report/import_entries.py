"""`qsi import entries`'s reporters: every finding (`path:row:column: CODE message`, the
row as the spreadsheet shows it), then what was created, what was skipped and why."""

from __future__ import annotations

from typing import TextIO

from ..controls import escaped
from ..writes.import_entries import Imported
from . import Reporter, json_text
from .findings import location, summary_counts


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def text(result: Imported, out: TextIO, /) -> None:
    lines = [f"{location(f)}: {f.code} {f.message}" for f in result.findings]
    if result.stopped:
        lines.append(f"Nothing imported: {result.stopped}")
        out.write("".join(escaped(line) + "\n" for line in lines))
        return
    if result.created:
        verb = "Would create" if result.dry_run else "Created"
        count = len(result.created)
        lines.append(f"{verb} {count} {'entry' if count == 1 else 'entries'} from "
                     f"{result.export}:")
        lines += [f"  row {item.row} (response {item.response}): {item.path}"
                  for item in result.created]
    if result.skipped:
        lines.append(f"Skipped {_plural(len(result.skipped), 'response')}:")
        lines += [f"  row {item.row}"
                  + (f" (response {item.response})" if item.response else "")
                  + f": {item.reason}" for item in result.skipped]
    if result.unused:
        shown = ", ".join(f'"{header}"' for header in result.unused)
        lines.append(f"Columns the map leaves out (not imported): {shown}.")
    errors, _ = summary_counts(result.findings)
    summary = (f"{len(result.created)} {'to create' if result.dry_run else 'created'}, "
               f"{len(result.skipped)} skipped, {_plural(errors, 'problem')}")
    if result.dry_run:
        summary += " (dry run: nothing written)"
    lines.append(summary + ".")
    out.write("".join(escaped(line) + "\n" for line in lines))


def as_json(result: Imported, out: TextIO, /) -> None:

    errors, warnings = summary_counts(result.findings)
    document = {
        "export": result.export,
        "map": result.map,
        "dry_run": result.dry_run,
        "created": [{"row": item.row, "response": item.response, "entry": item.path}
                    for item in result.created],
        "skipped": [{"row": item.row, "response": item.response, "reason": item.reason}
                    for item in result.skipped],
        "unused_columns": result.unused,
        "stopped": result.stopped,
        "findings": [f.as_dict() for f in result.findings],
        "summary": {"created": len(result.created), "skipped": len(result.skipped),
                    "errors": errors, "warnings": warnings},
    }
    out.write(json_text(document))


REPORTERS: dict[str, Reporter[Imported]] = {"text": text, "json": as_json}
