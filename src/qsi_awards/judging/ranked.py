"""The tally of a ranked round: each category's finalists ordered by the Schulze method
(judging/schulze.py) over the panel's ballots, then placed as the rubric tally places
(tally.place): a tied group that straddles an award place leaves it undecided. Pure.

A finalist on whom fewer than `judges_per_entry` ballots have a say (ballots not ranked
yet, conflicts) is incomplete: left out of the count, and never awarded. In the last
round every finalist is already on the shortlist, so it keeps `shortlisted` at least.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model import Ballot, Category, Decision, EntryFile
from . import schulze
from .conflicts import ConflictIndex
from .rounds import Round
from .tally import Award, CategoryResult, EntryResult, Results, apply_decision, place


@dataclass(frozen=True)
class CountedBallot:
    """One judge's ballot in one category, as counted."""

    judge: str
    ranking: tuple[frozenset[str], ...]  # the finalists ranked, best first
    excluded: dict[str, str]  # finalist -> why this judge has no say on its pairs


@dataclass
class RankedCategory:
    id: str
    title: str
    count: schulze.Count  # over the finalists counted (not the incomplete ones)
    ballots: list[CountedBallot]
    not_counted: list[tuple[str, str]]  # (judge, why their ballot does not count)
    say: dict[str, int]  # finalist -> how many ballots have a say on it
    result: CategoryResult


@dataclass
class RankedResults:
    round: Round
    results: Results  # the finalists' ranks, awards and flags, as the rubric tally has them
    categories: list[RankedCategory] = field(default_factory=list)

    def category_of(self, entry_id: str) -> RankedCategory | None:
        return next((c for c in self.categories
                     if any(r.entry == entry_id for r in c.result.entries)), None)


def tally(
    rnd: Round,
    categories: Sequence[Category],
    finalists: Mapping[str, EntryFile],
    ballots: Mapping[str, Mapping[str, Ballot]],
    conflicts: ConflictIndex,
    highly_commended: int,
    decisions: Sequence[Decision] = (),
    programme: str = "",
    edition: str = "",
) -> RankedResults:
    """Count every category. `finalists` maps entry id -> front matter; `ballots` maps
    judge -> category -> ballot (the panel's ballot files)."""
    results = Results(programme, edition, "ranked", [], round=rnd.id)
    out = RankedResults(rnd, results)
    decided = {d.category: d for d in decisions}
    for category in categories:
        names = sorted(e for e, front in finalists.items() if front.category == category.id)
        counted: list[CountedBallot] = []
        not_counted: list[tuple[str, str]] = []
        for judge_id in sorted(ballots):
            if not rnd.on_panel(judge_id):
                continue
            ballot = ballots[judge_id].get(category.id)
            if ballot is None:
                continue
            if ballot.ranking is None:
                not_counted.append((judge_id, "not ranked yet"))
                continue
            excluded = {name: why for name in names if (why := _conflict(
                conflicts, judge_id, name, finalists[name], ballot)) is not None}
            groups = tuple(frozenset(n for n in ([place] if isinstance(place, str) else place)
                                     if n in finalists and finalists[n].category == category.id)
                           for place in ballot.ranking)
            counted.append(CountedBallot(judge_id, tuple(g for g in groups if g), excluded))
        say = {name: sum(1 for b in counted if name not in b.excluded) for name in names}
        complete = [name for name in names if say[name] >= rnd.judges_per_entry]
        count = schulze.count(complete, (schulze.Ballot(b.ranking, frozenset(b.excluded))
                                         for b in counted))
        by_id = {name: EntryResult(name, category.id, finalists[name].title,
                                   finalists[name].organisation, [], []) for name in names}
        levels: list[Award] = ["shortlisted"] * rnd.shortlist_size
        if rnd.last:  # the rest of the finalists stay on the shortlist
            levels = ["winner"]
            levels += ["highly_commended"] * highly_commended
            levels += ["shortlisted"] * len(names)
        undecided = place([[by_id[n] for n in group] for group in count.ranking], levels)
        incomplete = [by_id[n] for n in names if n not in complete]
        for entry in incomplete:
            entry.add_flag("incomplete")
            entry.award = "shortlisted" if rnd.last else None
        ordered = [by_id[n] for group in count.ranking for n in group] + incomplete
        decision = decided.get(category.id)
        if decision is not None:
            apply_decision(ordered, decision)
        result = CategoryResult(category.id, category.title, ordered, undecided, decision)
        results.categories.append(result)
        out.categories.append(RankedCategory(category.id, category.title, count, counted,
                                             not_counted, say, result))
    return out


def _conflict(conflicts: ConflictIndex, judge_id: str, entry_id: str, front: EntryFile,
              ballot: Ballot) -> str | None:
    if entry_id in ballot.conflicts:
        return f"declared a conflict: {ballot.conflicts[entry_id]}"
    reason = conflicts.reason(judge_id, entry_id, front.organisation)
    return None if reason is None else f"conflicted: {reason}"
