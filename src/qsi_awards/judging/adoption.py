"""Part 2: the spread and adoption of the winning and highly commended projects.

For every entry the tally (with the steering group's decisions) makes a winner or
highly commended, the organisations taking it up, each at its latest stage
(the most recent record of that organisation for that entry; on the same date, the
later record in adoption.yaml), with the earlier steps as its history. Records for
entries without those awards are kept apart, never dropped. Pure: no I/O; the
reporters are in report/adoption.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import AdoptionRecord
from ..names import name_key
from .tally import Results

STAGES = ("interested", "planning", "piloting", "adopted", "declined")
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
class AdoptionProgress:
    programme: str
    edition: str
    entries: list[EntryAdoption]  # winners and highly commended, in category order
    others: list[EntryAdoption]  # entries without those awards that have records

    def counts(self) -> dict[str, int]:
        return {stage: sum(len(e.at(stage)) for e in self.entries) for stage in STAGES}


def _adopters(records: Iterable[AdoptionRecord]) -> list[Adopter]:
    by_org: dict[str, list[tuple[int, AdoptionRecord]]] = {}
    for index, record in enumerate(records):
        by_org.setdefault(name_key(record.organisation), []).append((index, record))
    adopters = []
    for steps in by_org.values():
        steps.sort(key=lambda step: (step[1].date, step[0]))
        latest = steps[-1][1]
        adopters.append(Adopter(
            organisation=latest.organisation.strip(), stage=latest.stage,
            date=latest.date.isoformat(), contact=latest.contact, notes=latest.notes,
            history=[(step.stage, step.date.isoformat()) for _, step in steps[:-1]]))
    # furthest along first (declined last), then the most recent, then by name
    adopters.sort(key=lambda a: a.organisation.casefold())
    adopters.sort(key=lambda a: (STAGES.index(a.stage) if a.stage != "declined" else -1,
                                 a.date), reverse=True)
    return adopters


def build(results: Results, records: Iterable[AdoptionRecord]) -> AdoptionProgress:
    """Adoption progress from the tally and adoption.yaml's (valid) records."""
    per_entry: dict[str, list[AdoptionRecord]] = {}
    for record in records:
        per_entry.setdefault(record.entry, []).append(record)
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
    return AdoptionProgress(results.programme, results.edition, entries, others)
