"""`qsi status`'s reporters: text, JSON, Markdown (with a Mermaid Gantt chart of the
timeline) or an Excel workbook (`tables`), over judging/progress.py's Progress."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..controls import escaped
from ..dates import short_date
from ..judging.progress import LeftEntry, MilestoneStatus, Progress, RoundState
from ..judging.registers import Exceptions
from ..render.text import md_escape
from . import Reporter, json_text, writing
from .tables import Cell, Table, workbook

MARK = {"done": "✓", "next": "→", "upcoming": " ", "current": "▸", "overdue": "!"}
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


def _ago(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''} ago"


def _phase(m: MilestoneStatus) -> str:
    """' — to 31 Jan 2020; owner: Communications lead; after: ceremony', or ''."""
    parts = ([f"to {short_date(m.until)}"] if m.until else []) + (
        [f"owner: {m.owner}"] if m.owner else []) + (
        [f"after: {', '.join(m.after)}"] if m.after else [])
    return f" — {'; '.join(parts)}" if parts else ""


def no_next(progress: Progress) -> str:
    """What to say when no milestone is to come: the phases still under way, if any."""
    running = [m for m in progress.timeline if m.status == "current"]
    if not running:
        return "Every milestone has passed."
    return "Under way: " + "; ".join(f"{m.title}, to {short_date(m.until or m.date)}"
                                     for m in running) + "."


def _overdue_judging(progress: Progress) -> str | None:
    late = progress.judging_overdue
    if late is None:
        return None
    left = ([f"{late.pending} judgement{'s' if late.pending != 1 else ''} not yet scored"]
            if late.pending else []) + (
        [f"{late.short} entr{'ies' if late.short != 1 else 'y'} short of judges"]
        if late.short else [])
    return (f"Judging is overdue: the deadline was {short_date(late.deadline)} "
            f"({_ago(late.days)}), and {' and '.join(left)}.")


def register_lines(found: Exceptions) -> list[tuple[str, list[str]]]:
    """The registers' exceptions as (heading, lines): for text and Markdown alike."""
    appetite = f"appetite {found.appetite}" if found.appetite is not None else "no appetite"
    out = []
    if found.actions:
        out.append(("Overdue actions", [
            f"{a.id}: {a.title} — {a.owner}, due {short_date(a.due)} ({_ago(a.days)})"
            for a in found.actions]))
    if found.risks:
        lines = []
        for r in found.risks:
            why = ([f"score {r.score}, above the {appetite}"] if r.above_appetite else
                   [f"score {r.score}"]) + (
                [f"review was due {short_date(r.review)}"] if r.review_overdue else [])
            lines.append(f"{r.id}: {r.title} — {r.owner}; {'; '.join(why)}")
        out.append(("Risks above the appetite or past their review date", lines))
    if found.stakeholders:
        out.append(("Stakeholders not engaged as planned", [
            f"{p.id}: {p.name} — planned {p.every}; " + (
                "never engaged" if p.last_engaged is None or p.days is None else
                f"last engaged {short_date(p.last_engaged)} ({_ago(p.days)})")
            for p in found.stakeholders]))
    return out


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def registers_json(found: Exceptions) -> dict[str, Any]:
    return {
        "appetite": found.appetite,
        "overdue_actions": [{"id": a.id, "title": a.title, "owner": a.owner,
                             "due": a.due.isoformat(), "days_overdue": a.days}
                            for a in found.actions],
        "risks": [{"id": r.id, "title": r.title, "owner": r.owner, "score": r.score,
                   "review": r.review.isoformat(), "above_appetite": r.above_appetite,
                   "review_overdue": r.review_overdue} for r in found.risks],
        "stakeholders": [{"id": p.id, "name": p.name, "every": p.every,
                          "last_engaged": _iso(p.last_engaged), "days": p.days}
                         for p in found.stakeholders],
    }


def to_json(progress: Progress) -> str:
    nxt = progress.next_milestone
    document: dict[str, Any] = {
        "programme": progress.programme,
        "edition": progress.edition,
        "today": progress.today.isoformat(),
        "timeline": [{"id": m.id, "title": m.title, "date": m.date.isoformat(),
                      "kind": m.kind, "status": m.status, "until": _iso(m.until),
                      "owner": m.owner, "after": list(m.after)} for m in progress.timeline],
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
        "judging_overdue": None if progress.judging_overdue is None else {
            "deadline": progress.judging_overdue.deadline.isoformat(),
            "days": progress.judging_overdue.days,
            "pending_judgements": progress.judging_overdue.pending,
            "short_of_judges": progress.judging_overdue.short},
        "registers": None if progress.registers is None else registers_json(
            progress.registers),
        "left": [{"entry": e.entry, "title": e.title, "status": e.how,
                  "date": e.date.isoformat(), "reason": e.reason} for e in progress.left],
    }
    if progress.round is not None:
        document["round"] = _round(progress.round)
        document["rounds"] = [_round(r) for r in progress.rounds]
    return json_text(document)


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
        lines.append(f"  {MARK[m.status]} {short_date(m.date):>11}  {m.title}{_phase(m)}")
    nxt = progress.next_milestone
    lines.append(f"  Next: {nxt.title}, {short_date(nxt.date)} ({_days(nxt.days)})"
                 if nxt else f"  {no_next(progress)}")
    if (late := _overdue_judging(progress)) is not None:
        lines += ["", late]
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
    if progress.registers is not None:
        lines += ["", f"Registers: {progress.registers.count} exception"
                  f"{'s' if progress.registers.count != 1 else ''}"]
        for heading, items in register_lines(progress.registers):
            lines += [f"  {heading}"] + [f"    {item}" for item in items]
    lines.append("")
    if progress.ready_to_tally:
        lines.append("Ready to tally: yes.")
    else:
        lines.append("Ready to tally: not yet — " + "; ".join(progress.not_ready_because) + ".")
    return escaped("\n".join(lines) + "\n")


# a Gantt task's tags by its state: crit marks judging left after its deadline
TAG = {"done": "done, ", "next": "active, ", "current": "active, ", "overdue": "crit, ",
       "upcoming": ""}


def _mermaid_text(text: str) -> str:
    """Mermaid Gantt task names may not hold ':' or '#' or ';'."""
    return re.sub(r"[:#;]", " ", text).strip() or "milestone"


def to_markdown(progress: Progress) -> str:
    today = progress.today
    lines = [f"# {md_escape(progress.programme)} {md_escape(progress.edition)}: status", "",
             f"Status on {short_date(today)}.", "", "## Timeline", "", "```mermaid", "gantt",
             f"    title {_mermaid_text(progress.programme)} "
             f"{_mermaid_text(progress.edition)}",
             "    dateFormat YYYY-MM-DD", "    axisFormat %b %Y"]
    phases = [m for m in progress.timeline if m.until is not None]
    if phases:
        lines.append("    section Phases")
    for m in phases:  # Mermaid's end is exclusive: the day after the phase's last day
        owner = f" ({_mermaid_text(m.owner)})" if m.owner else ""
        lines.append(f"    {_mermaid_text(m.title)}{owner} :{TAG[m.status]}{m.id}, "
                     f"{m.date.isoformat()}, {(m.until or m.date) + dt.timedelta(days=1)}")
    lines.append("    section Milestones")
    for m in progress.timeline:
        if m.until is None:
            lines.append(f"    {_mermaid_text(m.title)} :milestone, {TAG[m.status]}{m.id}, "
                         f"{m.date.isoformat()}, 0d")
    lines += ["    section Today",
              f"    Today :milestone, crit, qsi-today-marker, {today.isoformat()}, 0d",
              "```", ""]
    planned = any(m.until or m.owner or m.after for m in progress.timeline)
    lines += ["| | Date | Milestone |" + (" Until | Owner | After |" if planned else ""),
              "|---|---|---|" + ("---|---|---|" if planned else "")]
    for m in progress.timeline:
        lines.append(f"| {MARK[m.status].strip()} | {short_date(m.date)} | "
                     f"{md_escape(m.title)} |" + (
                         f" {short_date(m.until) if m.until else ''} | "
                         f"{md_escape(m.owner or '')} | {', '.join(m.after)} |"
                         if planned else ""))
    nxt = progress.next_milestone
    lines += ["", f"**Next:** {md_escape(nxt.title)}, {short_date(nxt.date)} "
              f"({_days(nxt.days)})." if nxt else md_escape(no_next(progress)), ""]
    if (late := _overdue_judging(progress)) is not None:
        lines += [f"**{md_escape(late)}**", ""]
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
    if progress.registers is not None:
        lines += ["", "## Registers", "",
                  f"{progress.registers.count} exception"
                  f"{'s' if progress.registers.count != 1 else ''}."]
        for heading, items in register_lines(progress.registers):
            lines += ["", f"### {heading}", ""] + [f"- {md_escape(item)}" for item in items]
    lines += ["", "## Ready to tally", ""]
    lines.append("Yes." if progress.ready_to_tally else
                 "Not yet: " + "; ".join(progress.not_ready_because) + ".")
    return escaped("\n".join(lines) + "\n")


def _register_tables(found: Exceptions) -> list[Table]:
    """The registers' exceptions as tables, one for each kind there is: overdue actions,
    risks above the appetite or past their review date, stakeholders not engaged as
    planned."""
    out = []
    if found.actions:
        out.append(Table("Overdue actions", ("ID", "Action", "Owner", "Due", "Days overdue"),
                         tuple((a.id, a.title, a.owner, a.due, a.days)
                               for a in found.actions)))
    if found.risks:
        out.append(Table("Risks above appetite or review", (
            "ID", "Risk", "Owner", "Score", "Appetite", "Above appetite", "Review",
            "Review overdue"), tuple(
            (r.id, r.title, r.owner, r.score, found.appetite, r.above_appetite, r.review,
             r.review_overdue) for r in found.risks)))
    if found.stakeholders:
        out.append(Table("Stakeholders not engaged", (
            "ID", "Stakeholder", "Planned", "Last engaged", "Days since"), tuple(
            (p.id, p.name, p.every, p.last_engaged, p.days) for p in found.stakeholders)))
    return out


def tables(progress: Progress) -> list[Table]:
    """Status as tables: About (the day, the results' release, readiness to tally),
    Timeline, Categories, Judges (confidential), Short of judges, and Rounds if any;
    then, when there are any, judging overdue, the entries withdrawn or disqualified,
    and the registers' exceptions."""
    about: list[tuple[Cell, ...]] = [
        ("Programme", progress.programme), ("Edition", progress.edition),
        ("Status on", progress.today), ("Results released", progress.released),
        ("Release date", progress.release.date), ("Released by", progress.release.by),
        ("Ready to tally", progress.ready_to_tally),
        ("Not ready because", "; ".join(progress.not_ready_because) or None),
        ("Errors", progress.errors), ("Warnings", progress.warnings),
        ("Judges", JUDGES_NOTE)]
    if progress.round is not None:
        about.append(("Round", progress.round.id))
    out = [
        Table("About", ("Field", "Value"), tuple(about)),
        Table("Timeline", ("ID", "Milestone", "Date", "Kind", "Status"), tuple(
            (m.id, m.title, m.date, m.kind, m.status) for m in progress.timeline)),
        Table("Categories", ("ID", "Category", "Entries"), tuple(
            (c.id, c.title, c.entries) for c in progress.categories)),
        Table("Judges", ("ID", "Name", "Assigned", "Complete", "Recused"), tuple(
            (j.id, j.name, j.assigned, j.complete, j.recused) for j in progress.judges)),
        Table("Short of judges", ("Entry", "Judges", "Needed"), tuple(
            (e.entry, e.judges, e.needed) for e in progress.short_of_judges))]
    if progress.round is not None:
        out.append(Table("Rounds", ("ID", "Round", "Method", "Opens", "Closes", "State"),
                         tuple((r.id, r.title, r.method, r.opens, r.closes, r.state)
                               for r in progress.rounds)))
    if (late := progress.judging_overdue) is not None:
        out.append(Table("Judging overdue", (
            "Deadline", "Days overdue", "Judgements not yet scored", "Entries short of judges"),
            ((late.deadline, late.days, late.pending, late.short),)))
    if progress.left:
        out.append(Table("Withdrawn or disqualified", (
            "Entry", "Title", "Status", "Date", "Reason"), tuple(
            (e.entry, e.title, e.how, e.date, e.reason) for e in progress.left)))
    if progress.registers is not None:
        out += _register_tables(progress.registers)
    return out


REPORTERS: dict[str, Reporter[Progress]] = {
    "text": writing(to_text), "json": writing(to_json), "markdown": writing(to_markdown),
    "xlsx": workbook(tables, "status.xlsx")}
