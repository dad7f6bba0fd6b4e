"""`qsi registers`'s reporters: every register (risks, actions, issues, lessons, the
decision log, stakeholders) as text or JSON, or as tables for a workbook (one sheet per
register) or CSV (one register), with what is overdue on the day marked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..controls import escaped
from ..dates import short_date
from ..judging.registers import Exceptions, exceptions
from ..load.registers import Registers
from ..model.stakeholders import EVERY_DAYS
from . import Reporter, json_text, writing
from .status import register_lines, registers_json
from .tables import Cell, Table

# --register NAME -> the sheet's name
NAMES = {"risks": "Risks", "actions": "Actions", "issues": "Issues", "lessons": "Lessons",
         "decision-log": "Decision log", "stakeholders": "Stakeholders"}


@dataclass(frozen=True)
class Listing:
    """The registers on `today`, with their exceptions."""

    registers: Registers
    today: dt.date
    exceptions: Exceptions


def listing(registers: Registers, today: dt.date) -> Listing:
    return Listing(registers, today, exceptions(registers, today))


def _engaged(days: int | None, every: str) -> bool:
    return days is not None and days <= EVERY_DAYS[every]


def tables(found: Listing) -> list[Table]:
    """One table per register, in NAMES' order."""
    reg, today, appetite = found.registers, found.today, found.registers.appetite
    risks = tuple((r.id, r.title, r.likelihood, r.impact, r.score,
                   appetite is not None and r.score > appetite, r.owner, r.mitigation,
                   r.review, r.status == "open" and r.review < today, r.status, r.raised)
                  for _, r in reg.risks)
    actions = tuple((a.id, a.title, a.owner, a.due, a.status,
                     a.status == "open" and a.due < today, a.done, a.raised, a.notes)
                    for _, a in reg.actions)
    issues = tuple((i.id, i.title, i.raised, i.owner, i.priority, i.status, i.resolution)
                   for _, i in reg.issues)
    lessons = tuple((le.id, le.title, le.date, le.lesson, le.recommendation, le.owner)
                    for _, le in reg.lessons)
    decisions = tuple((d.id, d.date, d.title, d.decision, d.by, d.reason)
                      for _, d in reg.decisions)
    people: list[tuple[Cell, ...]] = []
    for _, p in reg.stakeholders:
        days = None if p.last_engaged is None else (today - p.last_engaged).days
        people.append((p.id, p.name, p.power, p.interest, p.approach, p.engagement, p.every,
                       p.last_engaged, days, _engaged(days, p.every), p.owner))
    return [
        Table(NAMES["risks"], ("ID", "Title", "Likelihood", "Impact", "Score",
                               "Above appetite", "Owner", "Mitigation", "Review",
                               "Review overdue", "Status", "Raised"), risks),
        Table(NAMES["actions"], ("ID", "Title", "Owner", "Due", "Status", "Overdue", "Done",
                                 "Raised", "Notes"), actions),
        Table(NAMES["issues"], ("ID", "Title", "Raised", "Owner", "Priority", "Status",
                                "Resolution"), issues),
        Table(NAMES["lessons"], ("ID", "Title", "Date", "Lesson", "Recommendation", "Owner"),
              lessons),
        Table(NAMES["decision-log"], ("ID", "Date", "Title", "Decision", "By", "Reason"),
              decisions),
        Table(NAMES["stakeholders"], ("ID", "Name", "Power", "Interest", "Approach",
                                      "Engagement", "Every", "Last engaged",
                                      "Days since engaged", "Engaged as planned", "Owner"),
              tuple(people)),
    ]


def _json_cell(value: Cell) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def to_json(found: Listing) -> str:
    document: dict[str, Any] = {"today": found.today.isoformat(),
                                "files": found.registers.files}
    for key, table in zip(NAMES, tables(found), strict=True):
        fields = [c.lower().replace(" ", "_") for c in table.columns]
        document[key.replace("-", "_")] = [
            {name: _json_cell(value) for name, value in zip(fields, row, strict=True)}
            for row in table.rows]
    document["exceptions"] = registers_json(found.exceptions)
    return json_text(document)


def to_text(found: Listing) -> str:
    reg = found.registers
    if not reg.any:
        return ("This programme keeps no registers: add them under registers/ (qsi init "
                "makes examples; README \"Registers\").\n")
    lines = [f"Registers on {short_date(found.today)}"]
    appetite = f" (appetite {reg.appetite})" if reg.appetite is not None else ""
    lines += ["", f"Risks{appetite}: {len(reg.risks)}"]
    lines += [f"  {r.score:>2} {r.id}: {r.title} — {r.owner}; review {short_date(r.review)}"
              f"{'' if r.status == 'open' else ' (closed)'}" for _, r in reg.risks]
    lines += ["", f"Actions: {len(reg.actions)}"]
    lines += [f"  {a.id}: {a.title} — {a.owner}, due {short_date(a.due)} ({a.status})"
              for _, a in reg.actions]
    lines += ["", f"Issues: {len(reg.issues)}"]
    lines += [f"  {i.id}: {i.title} — {i.owner}, {i.priority} priority ({i.status})"
              for _, i in reg.issues]
    lines += ["", f"Lessons: {len(reg.lessons)}"]
    lines += [f"  {le.id}: {le.title} ({short_date(le.date)})" for _, le in reg.lessons]
    lines += ["", f"Decision log: {len(reg.decisions)}"]
    lines += [f"  {d.id}: {d.title} — {d.by}, {short_date(d.date)}" for _, d in reg.decisions]
    lines += ["", f"Stakeholders: {len(reg.stakeholders)}"]
    lines += [f"  {p.id}: {p.name} — {p.approach}; {p.every}" for _, p in reg.stakeholders]
    lines += ["", f"Exceptions: {found.exceptions.count}"]
    for heading, items in register_lines(found.exceptions):
        lines += [f"  {heading}"] + [f"    {item}" for item in items]
    return escaped("\n".join(lines) + "\n")


REPORTERS: dict[str, Reporter[Listing]] = {"text": writing(to_text), "json": writing(to_json)}
