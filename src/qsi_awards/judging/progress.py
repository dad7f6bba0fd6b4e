"""`qsi status` as a function: where the programme stands (timeline, entries, each
judge's progress, readiness to tally, whether the results are released), as a Progress
for report/status.py. It counts judgements; it never holds a score."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import ProblemsFound
from .conflicts import ConflictIndex, panel_judgements
from .registers import Exceptions, exceptions
from .release import Release, release
from .rounds import Round

if TYPE_CHECKING:
    from ..findings import Finding
    from ..load import Folder


@dataclass(frozen=True)
class MilestoneStatus:
    id: str
    title: str
    date: dt.date
    kind: str | None
    # current: a phase under way; overdue: the judging deadline passed with judging to do
    status: Literal["done", "next", "upcoming", "current", "overdue"]
    until: dt.date | None = None  # a phase's last day
    owner: str | None = None
    after: tuple[str, ...] = ()  # the milestones it follows


@dataclass(frozen=True)
class NextMilestone:
    id: str
    title: str
    date: dt.date
    days: int  # from today


@dataclass(frozen=True)
class CategoryCount:
    id: str
    title: str
    entries: int


@dataclass(frozen=True)
class JudgeProgress:
    id: str
    name: str
    assigned: int  # the judgements that put them on an entry's panel
    complete: int  # of those, scored on every criterion
    recused: int  # judgements in their sheet that declare a conflict


@dataclass(frozen=True)
class ShortEntry:
    """An entry with fewer judges than judges_per_entry."""

    entry: str
    judges: int
    needed: int


@dataclass(frozen=True)
class LeftEntry:
    """An entry withdrawn by its team or disqualified: on record, out of the awards."""

    entry: str
    title: str
    how: str  # withdrawn | disqualified
    date: dt.date
    reason: str


@dataclass(frozen=True)
class RoundState:
    """A judging round, and where it stands on `today` (programmes with rounds only)."""

    id: str
    title: str
    method: str
    opens: dt.date | None
    closes: dt.date | None
    state: str  # not open yet | open | closed


@dataclass(frozen=True)
class JudgingOverdue:
    """Judging left to do after the judging deadline (the round's close, with rounds)."""

    deadline: dt.date
    days: int  # since the deadline
    pending: int  # judgements not yet scored
    short: int  # entries short of judges


@dataclass(frozen=True)
class Progress:
    """Where the programme stands on `today`."""

    programme: str
    edition: str
    today: dt.date
    timeline: tuple[MilestoneStatus, ...]  # by date
    next_milestone: NextMilestone | None  # None when every milestone has passed
    entries: int
    categories: tuple[CategoryCount, ...]
    judges: tuple[JudgeProgress, ...]
    short_of_judges: tuple[ShortEntry, ...]
    pending_judgements: int
    errors: int
    warnings: int
    ready_to_tally: bool
    not_ready_because: tuple[str, ...]
    release: Release  # when the results are released
    released: bool  # on `today`
    round: RoundState | None = None  # the round the judges' progress is about
    rounds: tuple[RoundState, ...] = ()
    judging_overdue: JudgingOverdue | None = None
    registers: Exceptions | None = None  # None: the programme keeps no registers
    left: tuple[LeftEntry, ...] = ()  # withdrawn or disqualified: not in `entries`


def status(root: Path, today: dt.date, round_id: str | None = None) -> Progress:
    """Where the programme folder `root` stands, whatever its errors (they are counted);
    loads and checks it, then `progress`."""
    from ..programme import examine

    examined = examine(root, round_id, today)
    return progress(examined.folder, examined.findings, today, round_id)


def progress(folder: Folder, found: Sequence[Finding], today: dt.date,
             round_id: str | None = None) -> Progress:
    """Where a loaded folder with its findings stands. Raises ProblemsFound when
    programme.yaml itself is unusable, since then there is no timeline to show."""
    if folder.settings is None:
        raise ProblemsFound("programme.yaml has errors, so there is no timeline to show; "
                            "run 'qsi validate' to see them.")
    from ..programme import Programme

    settings = folder.settings
    prog = Programme(folder, settings, today=today)
    rnd = prog.round(round_id)
    needed = rnd.judges_per_entry

    per_category = Counter(e.front.category for e in folder.entries.values()
                           if e.front.left is None)
    left = tuple(LeftEntry(entry_id, " ".join(e.front.title.split()), how, why.date,
                           " ".join(why.reason.split()))
                 for entry_id, e in sorted(folder.entries.items())
                 if e.front.left is not None for how, why in [e.front.left])
    categories = tuple(CategoryCount(c.id, c.title, per_category[c.id])
                       for c in folder.categories.values())

    conflicts = ConflictIndex(folder.judges)
    entries = prog.entrants(rnd)
    assigned: Counter[str] = Counter()  # per judge
    complete: Counter[str] = Counter()  # per judge
    recused: Counter[str] = Counter()  # per judge
    assigned_counts: Counter[str] = Counter()  # per entry
    complete_judgements: Counter[str] = Counter()  # per entry
    if rnd.ranked:  # a ballot per category: it counts for each finalist it has a say on
        for judge_id, sheet in prog.ballots(rnd).items():
            if not rnd.on_panel(judge_id):
                continue
            for category, ballot in sheet.ballots.items():
                finalists = [e for e, front in entries.items() if front.category == category]
                if not finalists:
                    continue
                assigned[judge_id] += 1
                complete[judge_id] += ballot.ranking is not None
                for entry_id in finalists:
                    if entry_id not in ballot.conflicts and not conflicts.conflicted(
                            judge_id, entry_id, entries[entry_id].organisation):
                        assigned_counts[entry_id] += 1
                        complete_judgements[entry_id] += ballot.ranking is not None
    else:
        sheets = {judge_id: sheet.judgements for judge_id, sheet in prog.sheets(rnd).items()
                  if rnd.on_panel(judge_id)}
        for judge_id, entry_id, judgement in panel_judgements(sheets, entries, conflicts):
            assigned[judge_id] += 1
            assigned_counts[entry_id] += 1
            scores = judgement.criterion_scores()
            criteria = prog.rubric_for(entries[entry_id].category, rnd).criteria
            if all(scores.get(c.id) is not None for c in criteria):
                complete[judge_id] += 1
                complete_judgements[entry_id] += 1
        for judge_id, judgements in sheets.items():
            recused[judge_id] = sum(1 for j in judgements.values() if j.conflict is not None)
    judges = tuple(JudgeProgress(judge_id, judge.name, assigned[judge_id], complete[judge_id],
                                 recused[judge_id])
                   for judge_id, judge in folder.judges.items() if rnd.on_panel(judge_id))

    short = tuple(ShortEntry(entry_id, assigned_counts[entry_id], needed)
                  for entry_id in sorted(entries) if assigned_counts[entry_id] < needed)
    errors = sum(1 for f in found if f.severity == "error")
    warnings = len(found) - errors
    pending = sum(j.assigned - j.complete for j in judges)
    incomplete = [e for e in sorted(entries) if complete_judgements[e] < needed]
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
    results_release = release(settings, folder.results_released)
    deadline = rnd.closes or settings.milestone("judging_deadline")
    overdue = None
    if deadline is not None and today > deadline and (pending or short):
        overdue = JudgingOverdue(deadline, (today - deadline).days, pending, len(short))
    milestones = sorted(settings.timeline, key=lambda m: (m.date, m.id))
    upcoming = [m for m in milestones if m.date >= today]
    next_one = upcoming[0] if upcoming else None
    timeline = tuple(MilestoneStatus(
        m.id, m.title, m.date, m.kind,
        _milestone_state(m.date, m.until, today, m is next_one,
                         overdue is not None and m.kind == "judging_deadline"),
        m.until, m.owner, tuple(m.after)) for m in milestones)
    return Progress(
        programme=settings.name,
        edition=settings.edition,
        today=today,
        timeline=timeline,
        next_milestone=None if next_one is None else NextMilestone(
            next_one.id, next_one.title, next_one.date, (next_one.date - today).days),
        entries=len(folder.entries) - len(left),
        categories=categories,
        judges=judges,
        short_of_judges=short,
        pending_judgements=pending,
        errors=errors,
        warnings=warnings,
        ready_to_tally=not reasons and bool(entries),
        not_ready_because=tuple(reasons) if entries else (
            ("there are no entries yet",) if rnd.index == 0 else
            ("the round before has shortlisted no entries yet",)),
        round=None if settings.rounds is None else _state(rnd, today),
        rounds=() if settings.rounds is None else tuple(_state(r, today) for r in prog.rounds),
        release=results_release,
        released=results_release.released(today),
        judging_overdue=overdue,
        registers=exceptions(folder.registers, today) if folder.registers.any else None,
        left=left,
    )


def _milestone_state(start: dt.date, until: dt.date | None, today: dt.date, is_next: bool,
                     overdue: bool) -> Literal["done", "next", "upcoming", "current",
                                               "overdue"]:
    if (until or start) < today:
        return "overdue" if overdue else "done"
    if start < today:
        return "current"
    return "next" if is_next else "upcoming"


def _state(rnd: Round, today: dt.date) -> RoundState:
    return RoundState(rnd.id, rnd.title, rnd.method, rnd.opens, rnd.closes, rnd.state(today))

