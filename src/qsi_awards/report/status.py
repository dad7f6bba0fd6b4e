"""`qsi status`'s reporters: text, JSON or Markdown (with a Mermaid Gantt chart of the
timeline), over judging/progress.py's Progress."""

from __future__ import annotations

import json
import re
from typing import Any

from ..controls import escaped, json_escaped
from ..dates import short_date
from ..judging.progress import LeftEntry, Progress, RoundState
from ..render.text import md_escape
from . import Reporter, writing

MARK = {"done": "✓", "next": "→", "upcoming": " "}
# The parts of the report for the programme team only: who judges, how far each has got
# and where they recused. (No part holds a score: status counts judgements.)
CONFIDENTIAL = ("judges",)
JUDGES_NOTE = "confidential: for the programme team; progress only, no scores"


def _results(progress: Progress) -> str:
    """'Results: released on 1 April 2020, at the ceremony.' or '... embargoed: ...'."""
    if progress.released:
        return f"Results: released {progress.release.describe()}."
    return (f"Results: embargoed; they are released {progress.release.describe()}. Until "
            "then public outputs show the finalists only.")


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
        "results": {"released": progress.released,
                    "release_date": (progress.release.date.isoformat()
                                     if progress.release.date else None),
                    "released_by": progress.release.by},
        "confidential": list(CONFIDENTIAL),
        "left": [{"entry": e.entry, "title": e.title, "status": e.how,
                  "date": e.date.isoformat(), "reason": e.reason} for e in progress.left],
    }
    if progress.round is not None:
        document["round"] = _round(progress.round)
        document["rounds"] = [_round(r) for r in progress.rounds]
    return json_escaped(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def _left_line(entry: LeftEntry) -> str:
    return (f"{entry.entry} ({entry.title}): {entry.how} on {short_date(entry.date)}: "
            f"{entry.reason}")


def _round(state: RoundState) -> dict[str, Any]:
    return {"id": state.id, "title": state.title, "method": state.method,
            "opens": None if state.opens is None else state.opens.isoformat(),
            "closes": None if state.closes is None else state.closes.isoformat(),
            "state": state.state}


def _round_line(state: RoundState) -> str:
    opens = f"from {short_date(state.opens)} " if state.opens else ""
    closes = f"to {short_date(state.closes)}" if state.closes else ""
    return f"{state.title} ({state.id}, {state.method}): {opens}{closes}, {state.state}"


def to_text(progress: Progress) -> str:
    lines = [f"{progress.programme} {progress.edition} — status on "
             f"{short_date(progress.today)}", "", "Timeline"]
    for m in progress.timeline:
        lines.append(f"  {MARK[m.status]} {short_date(m.date):>11}  {m.title}")
    nxt = progress.next_milestone
    lines.append(f"  Next: {nxt.title}, {short_date(nxt.date)} ({_days(nxt.days)})"
                 if nxt else "  Every milestone has passed.")
    lines += ["", _results(progress)]
    lines += ["", f"Entries: {progress.entries}"]
    width = max((len(c.title) for c in progress.categories), default=0)
    lines += [f"  {c.title:<{width}}  {c.entries:>3}" for c in progress.categories]
    if progress.left:
        lines += ["", "Withdrawn or disqualified (on record; not judged or published)"]
        lines += [f"  {_left_line(e)}" for e in progress.left]
    if progress.round is not None:
        lines += ["", "Rounds"]
        lines += [f"  {'→' if r.id == progress.round.id else ' '} {_round_line(r)}"
                  for r in progress.rounds]
    lines += ["", "Judges (complete / assigned)" + (
        f", round {progress.round.id}" if progress.round is not None else "")
        + f" — {JUDGES_NOTE}"]
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
    lines += [md_escape(_results(progress)), ""]
    lines += ["## Entries", "", f"{progress.entries} entries.", "", "| Category | Entries |",
              "|---|---:|"]
    lines += [f"| {md_escape(c.title)} | {c.entries} |" for c in progress.categories]
    if progress.left:
        lines += ["", "Withdrawn or disqualified (on record; not judged or published):", ""]
        lines += [f"- {md_escape(_left_line(e))}" for e in progress.left]
    if progress.round is not None:
        lines += ["", "## Rounds", ""]
        lines += [f"- {'**' if r.id == progress.round.id else ''}"
                  f"{md_escape(_round_line(r))}{'**' if r.id == progress.round.id else ''}"
                  for r in progress.rounds]
    lines += ["", "## Judges", "", f"_{md_escape(JUDGES_NOTE.capitalize())}._", "",
              "| Judge | Complete | Assigned | Recused |",
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
