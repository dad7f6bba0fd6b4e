"""Year on year, region by region: one programme's figures, to set beside another's
(`qsi compare`). Entries, organisations, judges, entries per category, care setting and
theme, the judging rules, the scores and awards, and the spread and adoption of its
projects.

The scores and awards are results: while an edition's results are embargoed (see
release.py) its `results` is None, and every report says "embargoed" in their place.
Adoption is counted over every record (each organisation at its latest stage for each
entry), whatever the entry's award, so it tells nothing of the results.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from ..names import name_key
from .adoption import STAGES, adopters
from .tally import round2

if TYPE_CHECKING:
    from ..model import AdoptionRecord
    from ..programme import Programme


@dataclass(frozen=True)
class ResultFigures:
    """An edition's scores and awards (released results only)."""

    judgements: int  # counted: complete and not conflicted
    scored: int  # entries with a score
    mean: float | None  # of the entries' scores, rounded to 2 decimals
    lowest: float | None
    highest: float | None
    winners: int
    highly_commended: int


@dataclass(frozen=True)
class Rules:
    """How an edition judges (programme.yaml): scores under other rules compare less."""

    judges_per_entry: int
    method: str
    scale: str  # '0–10'
    criteria: int
    shortlist_size: int
    highly_commended: int  # places per category


@dataclass(frozen=True)
class Edition:
    """One programme's figures, as `label` (a folder or a git revision) named it."""

    label: str
    programme: str
    edition: str
    region: str | None
    released: bool  # the results, on the day of the comparison
    release_date: dt.date | None
    entries: int
    organisations: int  # entering organisations, names compared as a person reads them
    judges: int
    categories: dict[str, int]  # category ID -> entries, in categories.yaml's order
    category_titles: dict[str, str]
    settings: dict[str, int]  # care setting -> entries
    themes: dict[str, int]  # theme -> entries
    rules: Rules
    results: ResultFigures | None  # None while the results are embargoed
    adoption: dict[str, int]  # stage -> organisations at it (latest stage per entry)


def edition(prog: Programme, label: str) -> Edition:
    """The figures of `prog` on its `today`."""
    fronts = prog.fronts
    categories = {c.id: 0 for c in prog.categories}
    categories.update(Counter(front.category for front in fronts.values()))
    themes = {c.id: c.theme for c in prog.categories}
    released = prog.release.released(prog.today)
    by_entry: dict[str, list[tuple[int, AdoptionRecord]]] = {}
    for index, record in enumerate(prog.adoption):
        by_entry.setdefault(record.entry, []).append((index, record))
    stages = Counter(a.stage for records in by_entry.values() for a in adopters(records))
    return Edition(
        label=label, programme=prog.settings.name, edition=prog.settings.edition,
        region=prog.settings.region, released=released, release_date=prog.release.date,
        entries=len(fronts),
        organisations=len({name_key(front.organisation) for front in fronts.values()}),
        judges=len(prog.judges), categories=categories,
        category_titles={c.id: c.title for c in prog.categories},
        settings=dict(sorted(Counter(str(f.care_setting) for f in fronts.values()).items())),
        themes=dict(sorted(Counter(str(themes.get(f.category)) for f in fronts.values()
                                   ).items())),
        rules=_rules(prog), results=_results(prog) if released else None,
        adoption={stage: stages[stage] for stage in STAGES})


def _rules(prog: Programme) -> Rules:
    judging, rubric = prog.settings.judging, prog.settings.rubric
    return Rules(judging.judges_per_entry, judging.method,
                 f"{rubric.scale.min}–{rubric.scale.max}", len(rubric.criteria),
                 judging.shortlist_size, judging.highly_commended)


def _results(prog: Programme) -> ResultFigures:
    results = prog.results()
    entries = [r for category in results.categories for r in category.entries]
    scores = [r.score for r in entries if r.score is not None]
    return ResultFigures(
        judgements=sum(len(r.judgements) for r in entries), scored=len(scores),
        mean=round2(sum((Fraction(s) for s in scores), Fraction(0)) / len(scores))
        if scores else None,
        lowest=round2(min(scores)) if scores else None,
        highest=round2(max(scores)) if scores else None,
        winners=sum(1 for r in entries if r.award == "winner"),
        highly_commended=sum(1 for r in entries if r.award == "highly_commended"))


@dataclass(frozen=True)
class Comparison:
    """Editions side by side, on `today` (which decides what is still embargoed)."""

    today: dt.date
    editions: tuple[Edition, ...]
