"""`qsi status` as a function: where the programme stands (timeline, entries, each
judge's progress, readiness to tally), as plain data for report/status.py."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ProblemsFound
from .conflicts import ConflictIndex, panel_judgements

if TYPE_CHECKING:
    from ..findings import Finding
    from ..load import Folder


def status(root: Path, today: dt.date) -> dict[str, Any]:
    """The status document of the programme folder `root`, whatever its errors (they
    are counted); loads and checks it, then `progress`."""
    from ..programme import examine

    examined = examine(root)
    return progress(examined.folder, examined.findings, today)


def progress(folder: Folder, found: Sequence[Finding], today: dt.date) -> dict[str, Any]:
    """The status document of a loaded folder with its findings. Raises ProblemsFound
    when programme.yaml itself is unusable, since then there is no timeline to show."""
    if folder.settings is None:
        raise ProblemsFound("programme.yaml has errors, so there is no timeline to show; "
                            "run 'qsi validate' to see them.")
    settings = folder.settings
    criteria = [c.id for c in settings.rubric.criteria]
    needed = settings.judging.judges_per_entry

    milestones = sorted(settings.timeline, key=lambda m: (m.date, m.id))
    upcoming = [m for m in milestones if m.date >= today]
    next_one = upcoming[0] if upcoming else None
    timeline = []
    for m in milestones:
        state = "done" if m.date < today else ("next" if m is next_one else "upcoming")
        timeline.append({"id": m.id, "title": m.title, "date": m.date.isoformat(),
                         "kind": m.kind, "status": state})

    per_category = Counter(e.front.category for e in folder.entries.values())
    categories = [{"id": c.id, "title": c.title, "entries": per_category[c.id]}
                  for c in folder.categories.values()]

    conflicts = ConflictIndex(folder.judges)
    sheets = {judge_id: sheet.judgements for judge_id, sheet in folder.sheets.items()}
    entries = {entry_id: entry.front for entry_id, entry in folder.entries.items()}
    assigned: Counter[str] = Counter()  # per judge
    complete: Counter[str] = Counter()  # per judge
    assigned_counts: Counter[str] = Counter()  # per entry
    complete_judgements: Counter[str] = Counter()  # per entry
    for judge_id, entry_id, judgement in panel_judgements(sheets, entries, conflicts):
        assigned[judge_id] += 1
        assigned_counts[entry_id] += 1
        scores = judgement.criterion_scores()
        if all(scores.get(c) is not None for c in criteria):
            complete[judge_id] += 1
            complete_judgements[entry_id] += 1
    judges: list[dict[str, Any]] = [
        {"id": judge_id, "name": judge.name, "assigned": assigned[judge_id],
         "complete": complete[judge_id],
         "recused": sum(1 for j in sheets.get(judge_id, {}).values() if j.conflict is not None)}
        for judge_id, judge in folder.judges.items()]

    short = [{"entry": entry_id, "judges": assigned_counts[entry_id], "needed": needed}
             for entry_id in sorted(folder.entries) if assigned_counts[entry_id] < needed]
    errors = sum(1 for f in found if f.severity == "error")
    warnings = len(found) - errors
    pending = sum(j["assigned"] - j["complete"] for j in judges)
    incomplete = [e for e in sorted(folder.entries) if complete_judgements[e] < needed]
    reasons = []
    if errors:
        reasons.append(f"{errors} error{'s' if errors != 1 else ''} to fix (qsi validate)")
    if short:
        reasons.append(f"{len(short)} entr{'ies' if len(short) != 1 else 'y'} short of judges "
                       "(qsi assign)")
    if pending:
        reasons.append(f"{pending} judgement{'s' if pending != 1 else ''} not yet scored")
    if incomplete and not short and not pending:
        reasons.append(f"{len(incomplete)} entries without {needed} complete judgements")
    document = {
        "programme": settings.name,
        "edition": settings.edition,
        "today": today.isoformat(),
        "timeline": timeline,
        "next_milestone": None if next_one is None else {
            "id": next_one.id, "title": next_one.title, "date": next_one.date.isoformat(),
            "days": (next_one.date - today).days},
        "entries": len(folder.entries),
        "categories": categories,
        "judges": judges,
        "short_of_judges": short,
        "pending_judgements": pending,
        "errors": errors,
        "warnings": warnings,
        "ready_to_tally": not reasons and bool(folder.entries),
        "not_ready_because": reasons if folder.entries else ["there are no entries yet"],
    }
    return document

