"""Part 2: the spread and adoption of the winning and highly commended projects.

For every entry the tally (with the steering group's decisions) makes a winner or
highly commended, the organisations taking it up, each at its latest stage
(the most recent record of that organisation for that entry; on the same date, the
later record in adoption.yaml), with the earlier steps as its history. Records for
entries without those awards are kept apart, never dropped. Pure: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import controls
from ..names import name_key
from ..render.text import md_escape
from .tally import Results

STAGES = ("interested", "planning", "piloting", "adopted", "declined")
STAGE_LABEL = {"interested": "Interested", "planning": "Planning", "piloting": "Piloting",
               "adopted": "Adopted", "declined": "Declined"}
AWARD_LABEL = {"winner": "Winner", "highly_commended": "Highly commended",
               "shortlisted": "Shortlisted", None: "No award"}
AWARDED = ("winner", "highly_commended")


@dataclass
class Adopter:
    organisation: str
    stage: str
    date: str
    contact: str | None = None
    notes: str | None = None
    history: list[tuple[str, str]] = field(default_factory=list)  # (stage, date), oldest first


@dataclass
class EntryAdoption:
    category: str
    category_title: str
    entry: str
    title: str
    organisation: str
    award: str | None
    adopters: list[Adopter]

    def at(self, stage: str) -> list[Adopter]:
        return [a for a in self.adopters if a.stage == stage]


@dataclass
class Report:
    programme: str
    edition: str
    entries: list[EntryAdoption]  # winners and highly commended, in category order
    others: list[EntryAdoption]  # entries without those awards that have records

    def counts(self) -> dict[str, int]:
        return {stage: sum(len(e.at(stage)) for e in self.entries) for stage in STAGES}


def _adopters(records: Iterable[Mapping[str, Any]]) -> list[Adopter]:
    by_org: dict[str, list[tuple[str, int, Mapping[str, Any]]]] = {}
    for index, record in enumerate(records):
        by_org.setdefault(name_key(record["organisation"]), []).append(
            (record["date"], index, record))
    adopters = []
    for steps in by_org.values():
        steps.sort(key=lambda step: (step[0], step[1]))
        latest = steps[-1][2]
        adopters.append(Adopter(
            organisation=latest["organisation"].strip(), stage=latest["stage"],
            date=latest["date"], contact=latest.get("contact"), notes=latest.get("notes"),
            history=[(step[2]["stage"], step[2]["date"]) for step in steps[:-1]]))
    # furthest along first (declined last), then the most recent, then by name
    adopters.sort(key=lambda a: a.organisation.casefold())
    adopters.sort(key=lambda a: (STAGES.index(a.stage) if a.stage != "declined" else -1,
                                 a.date), reverse=True)
    return adopters


def build(results: Results, records: Iterable[Mapping[str, Any]]) -> Report:
    """The adoption report from the tally and adoption.yaml's (valid) records."""
    per_entry: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        per_entry.setdefault(record["entry"], []).append(record)
    entries: list[EntryAdoption] = []
    others: list[EntryAdoption] = []
    for category in results.categories:
        awarded = [r for r in category.entries if r.award in AWARDED]
        awarded.sort(key=lambda r: AWARDED.index(str(r.award)))  # stable: keeps rank order
        rest = [r for r in category.entries if r.award not in AWARDED and r.entry in per_entry]
        for result, target in [(r, entries) for r in awarded] + [(r, others) for r in rest]:
            target.append(EntryAdoption(
                category.id, category.title, result.entry, result.title, result.organisation,
                result.award, _adopters(per_entry.get(result.entry, []))))
    return Report(results.programme, results.edition, entries, others)


# Reporters ------------------------------------------------------------------------------


def _adopter_dict(adopter: Adopter) -> dict[str, Any]:
    return {"organisation": adopter.organisation, "stage": adopter.stage,
            "date": adopter.date, "contact": adopter.contact, "notes": adopter.notes,
            "history": [{"stage": stage, "date": date} for stage, date in adopter.history]}


def _entry_dict(item: EntryAdoption) -> dict[str, Any]:
    return {"category": item.category, "category_title": item.category_title,
            "entry": item.entry, "title": item.title, "organisation": item.organisation,
            "award": item.award,
            "stages": {stage: [_adopter_dict(a) for a in item.at(stage)] for stage in STAGES}}


def to_json(report: Report) -> str:
    document = {
        "programme": report.programme,
        "edition": report.edition,
        "stages": list(STAGES),
        "summary": report.counts(),
        "entries": [_entry_dict(item) for item in report.entries],
        "other_entries": [_entry_dict(item) for item in report.others],
    }
    return controls.json_escaped(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _summary(report: Report) -> str:
    counts = report.counts()
    return ", ".join(f"{STAGE_LABEL[stage].lower()} {counts[stage]}" for stage in STAGES)


def _sections(report: Report) -> list[tuple[str | None, EntryAdoption]]:
    """Each entry with the heading to print before it (None: same heading as before)."""
    out: list[tuple[str | None, EntryAdoption]] = []
    current: str | None = None
    for item in report.entries:
        heading = item.category_title if item.category != current else None
        current = item.category
        out.append((heading, item))
    for index, item in enumerate(report.others):
        out.append(("Other entries with adoption records" if index == 0 else None, item))
    return out


def to_text(report: Report) -> str:
    lines = [f"Spread and adoption: {_one_line(report.programme)} {_one_line(report.edition)}",
             "Each organisation at its latest stage, for every winning and highly commended "
             "entry.", ""]
    if not report.entries:
        lines += ["No winning or highly commended entries yet.", ""]
    for heading, item in _sections(report):
        if heading is not None:
            lines.append(_one_line(heading))
        lines.append(f"  {AWARD_LABEL[item.award]}: {_one_line(item.title)} ({item.entry}), "
                     f"{_one_line(item.organisation)}")
        if not item.adopters:
            lines.append("    no adoption recorded yet")
        for adopter in item.adopters:
            lines.append(f"    {adopter.stage:<11} {adopter.date}  "
                         f"{_one_line(adopter.organisation)}")
        lines.append("")
    lines.append(f"Organisations by stage: {_summary(report)}.")
    return controls.escaped("\n".join(lines) + "\n")


def to_markdown(report: Report) -> str:
    title = f"{md_escape(report.programme)} {md_escape(report.edition)}"
    lines = [f"# Spread and adoption: {title}", "",
             "Each organisation at its latest stage, for every winning and highly commended "
             "entry.", "", "| Stage | Organisations |", "|---|---|"]
    counts = report.counts()
    lines += [f"| {STAGE_LABEL[stage]} | {counts[stage]} |" for stage in STAGES]
    lines.append("")
    if not report.entries:
        lines += ["No winning or highly commended entries yet.", ""]
    for heading, item in _sections(report):
        if heading is not None:
            lines += [f"## {md_escape(heading)}", ""]
        lines += [f"### {AWARD_LABEL[item.award]}: {md_escape(item.title)}", "",
                  f"{md_escape(item.organisation)} (`{item.entry}`)", ""]
        if not item.adopters:
            lines += ["No adoption recorded yet.", ""]
            continue
        lines += ["| Stage | Organisation | Date | Earlier |", "|---|---|---|---|"]
        for adopter in item.adopters:
            earlier = "; ".join(f"{stage} {date}" for stage, date in adopter.history)
            lines.append(f"| {STAGE_LABEL[adopter.stage]} | {md_escape(adopter.organisation)} | "
                         f"{adopter.date} | {md_escape(earlier)} |")
        lines.append("")
    return controls.escaped("\n".join(lines))
