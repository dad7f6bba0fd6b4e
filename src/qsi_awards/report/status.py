"""`qsi status`'s reporters: text, JSON or Markdown (with a Mermaid Gantt chart of the
timeline), over judging/progress.py's Progress."""

from __future__ import annotations

import json
import re
from typing import Any

from ..controls import escaped, json_escaped
from ..dates import short_date
from ..judging.progress import Progress
from ..render.text import md_escape
from . import Reporter, writing

MARK = {"done": "✓", "next": "→", "upcoming": " "}


def _days(days: int) -> str:
    if days == 0:
        return "today"
    return f"in {days} day{'s' if days != 1 else ''}"


def to_json(progress: Progress) -> str:
    nxt = progress.next_milestone
    document: dict[str, Any] = {
        "programme": progress.programme,
        "edition": progress.edition,
        "today": progress.today.isoformat(),
        "timeline": [{"id": m.id, "title": m.title, "date": m.date.isoformat(),
                      "kind": m.kind, "status": m.status} for m in progress.timeline],
        "next_milestone": None if nxt is None else {
            "id": nxt.id, "title": nxt.title, "date": nxt.date.isoformat(), "days": nxt.days},
        "entries": progress.entries,
        "categories": [{"id": c.id, "title": c.title, "entries": c.entries}
                       for c in progress.categories],
        "judges": [{"id": j.id, "name": j.name, "assigned": j.assigned,
                    "complete": j.complete, "recused": j.recused} for j in progress.judges],
        "short_of_judges": [{"entry": s.entry, "judges": s.judges, "needed": s.needed}
                            for s in progress.short_of_judges],
        "pending_judgements": progress.pending_judgements,
        "errors": progress.errors,
        "warnings": progress.warnings,
        "ready_to_tally": progress.ready_to_tally,
        "not_ready_because": list(progress.not_ready_because),
    }
    return json_escaped(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def to_text(progress: Progress) -> str:
    lines = [f"{progress.programme} {progress.edition} — status on "
             f"{short_date(progress.today)}", "", "Timeline"]
    for m in progress.timeline:
        lines.append(f"  {MARK[m.status]} {short_date(m.date):>11}  {m.title}")
    nxt = progress.next_milestone
    lines.append(f"  Next: {nxt.title}, {short_date(nxt.date)} ({_days(nxt.days)})"
                 if nxt else "  Every milestone has passed.")
    lines += ["", f"Entries: {progress.entries}"]
    width = max((len(c.title) for c in progress.categories), default=0)
    lines += [f"  {c.title:<{width}}  {c.entries:>3}" for c in progress.categories]
    lines += ["", "Judges (complete / assigned)"]
    for j in progress.judges:
        extra = f", {j.recused} recused" if j.recused else ""
        lines.append(f"  {j.name} ({j.id}): {j.complete} / {j.assigned}{extra}")
    if progress.short_of_judges:
        lines += ["", "Entries short of judges"]
        lines += [f"  {s.entry}: {s.judges} of {s.needed}" for s in progress.short_of_judges]
    lines.append("")
    if progress.ready_to_tally:
        lines.append("Ready to tally: yes.")
    else:
        lines.append("Ready to tally: not yet — " + "; ".join(progress.not_ready_because) + ".")
    return escaped("\n".join(lines) + "\n")


def _mermaid_text(text: str) -> str:
    """Mermaid Gantt task names may not hold ':' or '#' or ';'."""
    return re.sub(r"[:#;]", " ", text).strip() or "milestone"


def to_markdown(progress: Progress) -> str:
    today = progress.today
    lines = [f"# {md_escape(progress.programme)} {md_escape(progress.edition)}: status", "",
             f"Status on {short_date(today)}.", "", "## Timeline", "", "```mermaid", "gantt",
             f"    title {_mermaid_text(progress.programme)} "
             f"{_mermaid_text(progress.edition)}",
             "    dateFormat YYYY-MM-DD", "    axisFormat %b %Y", "    section Milestones"]
    for m in progress.timeline:
        tag = "done, " if m.status == "done" else ("active, " if m.status == "next" else "")
        lines.append(f"    {_mermaid_text(m.title)} :milestone, {tag}{m.id}, "
                     f"{m.date.isoformat()}, 0d")
    lines += ["    section Today",
              f"    Today :milestone, crit, qsi-today-marker, {today.isoformat()}, 0d",
              "```", ""]
    lines += ["| | Date | Milestone |", "|---|---|---|"]
    for m in progress.timeline:
        lines.append(f"| {MARK[m.status].strip()} | {short_date(m.date)} | "
                     f"{md_escape(m.title)} |")
    nxt = progress.next_milestone
    lines += ["", f"**Next:** {md_escape(nxt.title)}, {short_date(nxt.date)} "
              f"({_days(nxt.days)})." if nxt else "Every milestone has passed.", ""]
    lines += ["## Entries", "", f"{progress.entries} entries.", "", "| Category | Entries |",
              "|---|---:|"]
    lines += [f"| {md_escape(c.title)} | {c.entries} |" for c in progress.categories]
    lines += ["", "## Judges", "", "| Judge | Complete | Assigned | Recused |",
              "|---|---:|---:|---:|"]
    lines += [f"| {md_escape(j.name)} (`{j.id}`) | {j.complete} | {j.assigned} | "
              f"{j.recused} |" for j in progress.judges]
    if progress.short_of_judges:
        lines += ["", "## Entries short of judges", ""]
        lines += [f"- `{s.entry}`: {s.judges} of {s.needed}" for s in progress.short_of_judges]
    lines += ["", "## Ready to tally", ""]
    lines.append("Yes." if progress.ready_to_tally else
                 "Not yet: " + "; ".join(progress.not_ready_because) + ".")
    return escaped("\n".join(lines) + "\n")


REPORTERS: dict[str, Reporter[Progress]] = {
    "text": writing(to_text), "json": writing(to_json), "markdown": writing(to_markdown)}
