"""`qsi status`'s reporters: text, JSON or Markdown (with a Mermaid Gantt chart of the
timeline), over the document judging/progress.py makes."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from ..controls import escaped, json_escaped
from ..dates import short_date
from ..render.text import md_escape
from . import Reporter, writing

MARK = {"done": "✓", "next": "→", "upcoming": " "}


def _when(iso: str) -> str:
    return short_date(dt.date.fromisoformat(iso))


def _days(days: int) -> str:
    if days == 0:
        return "today"
    return f"in {days} day{'s' if days != 1 else ''}"


def to_json(doc: dict[str, Any]) -> str:
    return json_escaped(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def to_text(doc: dict[str, Any]) -> str:
    lines = [f"{doc['programme']} {doc['edition']} — status on {_when(doc['today'])}", "",
             "Timeline"]
    for m in doc["timeline"]:
        lines.append(f"  {MARK[m['status']]} {_when(m['date']):>11}  {m['title']}")
    nxt = doc["next_milestone"]
    lines.append(f"  Next: {nxt['title']}, {_when(nxt['date'])} ({_days(nxt['days'])})"
                 if nxt else "  Every milestone has passed.")
    lines += ["", f"Entries: {doc['entries']}"]
    width = max((len(c["title"]) for c in doc["categories"]), default=0)
    lines += [f"  {c['title']:<{width}}  {c['entries']:>3}" for c in doc["categories"]]
    lines += ["", "Judges (complete / assigned)"]
    for j in doc["judges"]:
        extra = f", {j['recused']} recused" if j["recused"] else ""
        lines.append(f"  {j['name']} ({j['id']}): {j['complete']} / {j['assigned']}{extra}")
    if doc["short_of_judges"]:
        lines += ["", "Entries short of judges"]
        lines += [f"  {s['entry']}: {s['judges']} of {s['needed']}"
                  for s in doc["short_of_judges"]]
    lines.append("")
    if doc["ready_to_tally"]:
        lines.append("Ready to tally: yes.")
    else:
        lines.append("Ready to tally: not yet — " + "; ".join(doc["not_ready_because"]) + ".")
    return escaped("\n".join(lines) + "\n")


def _mermaid_text(text: str) -> str:
    """Mermaid Gantt task names may not hold ':' or '#' or ';'."""
    return re.sub(r"[:#;]", " ", text).strip() or "milestone"


def to_markdown(doc: dict[str, Any]) -> str:
    lines = [f"# {md_escape(doc['programme'])} {md_escape(doc['edition'])}: status", "",
             f"Status on {_when(doc['today'])}.", "", "## Timeline", "", "```mermaid", "gantt",
             f"    title {_mermaid_text(doc['programme'])} {_mermaid_text(doc['edition'])}",
             "    dateFormat YYYY-MM-DD", "    axisFormat %b %Y", "    section Milestones"]
    for m in doc["timeline"]:
        tag = "done, " if m["status"] == "done" else ("active, " if m["status"] == "next" else "")
        lines.append(f"    {_mermaid_text(m['title'])} :milestone, {tag}{m['id']}, "
                     f"{m['date']}, 0d")
    lines += ["    section Today",
              f"    Today :milestone, crit, qsi-today-marker, {doc['today']}, 0d",
              "```", ""]
    lines += ["| | Date | Milestone |", "|---|---|---|"]
    for m in doc["timeline"]:
        lines.append(f"| {MARK[m['status']].strip()} | {_when(m['date'])} | "
                     f"{md_escape(m['title'])} |")
    nxt = doc["next_milestone"]
    lines += ["", f"**Next:** {md_escape(nxt['title'])}, {_when(nxt['date'])} "
              f"({_days(nxt['days'])})." if nxt else "Every milestone has passed.", ""]
    lines += ["## Entries", "", f"{doc['entries']} entries.", "", "| Category | Entries |",
              "|---|---:|"]
    lines += [f"| {md_escape(c['title'])} | {c['entries']} |" for c in doc["categories"]]
    lines += ["", "## Judges", "", "| Judge | Complete | Assigned | Recused |",
              "|---|---:|---:|---:|"]
    lines += [f"| {md_escape(j['name'])} (`{j['id']}`) | {j['complete']} | {j['assigned']} | "
              f"{j['recused']} |" for j in doc["judges"]]
    if doc["short_of_judges"]:
        lines += ["", "## Entries short of judges", ""]
        lines += [f"- `{s['entry']}`: {s['judges']} of {s['needed']}"
                  for s in doc["short_of_judges"]]
    lines += ["", "## Ready to tally", ""]
    lines.append("Yes." if doc["ready_to_tally"] else
                 "Not yet: " + "; ".join(doc["not_ready_because"]) + ".")
    return escaped("\n".join(lines) + "\n")


REPORTERS: dict[str, Reporter[dict[str, Any]]] = {
    "text": writing(to_text), "json": writing(to_json), "markdown": writing(to_markdown)}
