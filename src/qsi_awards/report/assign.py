"""`qsi assign`'s reporter: each sheet's new judgements and the judges' loads."""

from __future__ import annotations

from typing import TextIO

from ..writes.assign import Assignment
from . import Reporter


def text(done: Assignment, out: TextIO, /) -> None:
    if not done.changes:
        out.write(f"Nothing to add: every entry has its {done.judges_per_entry} judges.\n")
        return
    verb = "would add" if done.dry_run else "added"
    for change in done.changes:
        before = done.plan.loads_before[change.judge]
        after = done.plan.loads_after[change.judge]
        out.write(f"scores/{change.judge}.yaml: {verb} {', '.join(change.entries)} "
                  f"(load {before} -> {after})\n")
    loads = list(done.plan.loads_after.values())
    total = sum(len(c.entries) for c in done.changes)
    out.write(f"{total} judgement{'s' if total != 1 else ''} "
              f"{'to add (dry run: nothing written)' if done.dry_run else 'added'}; loads "
              f"{'would be' if done.dry_run else 'are now'} {min(loads)} to {max(loads)} "
              "entries per judge.\n")


REPORTERS: dict[str, Reporter[Assignment]] = {"text": text}
