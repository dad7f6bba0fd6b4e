"""`qsi adoption`'s reporters: text, JSON, Markdown, an Excel workbook (`tables`) or CSV
(the Adoption table alone), over judging/adoption.py's AdoptionProgress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..controls import escaped
from ..judging.adoption import STAGES, Adopter, AdoptionProgress, EntryAdoption
from ..judging.tally import AWARD_LABELS
from ..render.text import md_escape
from . import Reporter, json_text, writing
from .tables import Cell, Table, csv_of, workbook

STAGE_LABEL = {"interested": "Interested", "planning": "Planning", "piloting": "Piloting",
               "adopted": "Adopted", "declined": "Declined"}
AWARD_LABEL: dict[str | None, str] = dict([*AWARD_LABELS.items(), (None, "No award")])


def _adopter_dict(adopter: Adopter) -> dict[str, Any]:
    return {"organisation": adopter.organisation, "stage": adopter.stage,
            "date": adopter.date, "contact": adopter.contact, "notes": adopter.notes,
            "history": [{"stage": stage, "date": date} for stage, date in adopter.history]}


def _entry_dict(item: EntryAdoption) -> dict[str, Any]:
    return {"category": item.category, "category_title": item.category_title,
            "entry": item.entry, "title": item.title, "organisation": item.organisation,
            "award": item.award,
            "stages": {stage: [_adopter_dict(a) for a in item.at(stage)] for stage in STAGES}}


def to_json(progress: AdoptionProgress) -> str:
    document = {
        "programme": progress.programme,
        "edition": progress.edition,
        "stages": list(STAGES),
        "summary": progress.counts(),
        "entries": [_entry_dict(item) for item in progress.entries],
        "other_entries": [_entry_dict(item) for item in progress.others],
    }
    return json_text(document)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _summary(progress: AdoptionProgress) -> str:
    counts = progress.counts()
    return ", ".join(f"{STAGE_LABEL[stage].lower()} {counts[stage]}" for stage in STAGES)


def _sections(progress: AdoptionProgress) -> list[tuple[str | None, EntryAdoption]]:
    """Each entry with the heading to print before it (None: same heading as before)."""
    out: list[tuple[str | None, EntryAdoption]] = []
    current: str | None = None
    for item in progress.entries:
        heading = item.category_title if item.category != current else None
        current = item.category
        out.append((heading, item))
    for index, item in enumerate(progress.others):
        out.append(("Other entries with adoption records" if index == 0 else None, item))
    return out


def to_text(progress: AdoptionProgress) -> str:
    lines = [f"Spread and adoption: {_one_line(progress.programme)} {_one_line(progress.edition)}",
             "Each organisation at its latest stage, for every winning and highly commended "
             "entry.", ""]
    if not progress.entries:
        lines += ["No winning or highly commended entries yet.", ""]
    for heading, item in _sections(progress):
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
    lines.append(f"Organisations by stage: {_summary(progress)}.")
    return escaped("\n".join(lines) + "\n")


def to_markdown(progress: AdoptionProgress) -> str:
    title = f"{md_escape(progress.programme)} {md_escape(progress.edition)}"
    lines = [f"# Spread and adoption: {title}", "",
             "Each organisation at its latest stage, for every winning and highly commended "
             "entry.", "", "| Stage | Organisations |", "|---|---|"]
    counts = progress.counts()
    lines += [f"| {STAGE_LABEL[stage]} | {counts[stage]} |" for stage in STAGES]
    lines.append("")
    if not progress.entries:
        lines += ["No winning or highly commended entries yet.", ""]
    for heading, item in _sections(progress):
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
    return escaped("\n".join(lines))


def adoption_table(progress: AdoptionProgress) -> Table:
    """One row per organisation taking up an entry, at its latest stage (an entry with
    none yet: one row, its adoption columns empty); the winners and highly commended
    first, in category order, then the other entries with records."""
    rows: list[tuple[Cell, ...]] = []
    for item in [*progress.entries, *progress.others]:
        entry: tuple[Cell, ...] = (item.category, item.entry, item.title, item.organisation,
                                   AWARD_LABEL[item.award] if item.award else None)
        if not item.adopters:
            rows.append((*entry, None, None, None, None, None, None))
        for a in item.adopters:
            earlier = "; ".join(f"{stage} {date}" for stage, date in a.history) or None
            rows.append((*entry, a.organisation, STAGE_LABEL[a.stage],
                         dt.date.fromisoformat(a.date), earlier, a.contact, a.notes))
    return Table("Adoption", ("Category", "Entry", "Title", "Organisation", "Award",
                              "Adopting organisation", "Stage", "Date", "Earlier", "Contact",
                              "Notes"), tuple(rows))


def tables(progress: AdoptionProgress) -> list[Table]:
    """Summary (organisations at each stage, for the winning and highly commended
    entries) and Adoption."""
    counts = progress.counts()
    return [Table("Summary", ("Stage", "Organisations"), tuple(
        (STAGE_LABEL[stage], counts[stage]) for stage in STAGES)), adoption_table(progress)]


REPORTERS: dict[str, Reporter[AdoptionProgress]] = {
    "text": writing(to_text), "json": writing(to_json), "markdown": writing(to_markdown),
    "xlsx": workbook(tables, "adoption.xlsx"), "csv": csv_of(adoption_table)}
