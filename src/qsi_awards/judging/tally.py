"""The tally: SPEC §4, exactly. Pure functions, no I/O.

Exactness: with the `mean` method every score is a Fraction, so equal scores are
equal, whatever the order of the files. With `zscore`, means and variances are
Fractions and only the square root is a float. Ranking compares scores rounded to
9 decimal places, then the tiebreak criteria (exact means); entries still equal
share a rank and are a tie: never broken by name, file order or chance.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from ..model import Category, Decision, EntryFile

Award = Literal["winner", "highly_commended", "shortlisted"]
LEVELS: tuple[Award, ...] = ("winner", "highly_commended", "shortlisted")
# How every output names an award (a ranked round's "finalist" too): the one table.
AWARD_LABELS: dict[str, str] = {"winner": "Winner", "highly_commended": "Highly commended",
                                "shortlisted": "Shortlisted", "finalist": "Finalist"}
FLAG_ORDER = ("incomplete", "tie", "disagreement", "below-threshold", "overridden")

Number = Fraction | float


@dataclass(frozen=True)
class JudgementRecord:
    """One entry in one judge's score sheet, as the tally sees it."""

    judge: str
    entry: str
    scores: Mapping[str, int | None]
    recused: bool = False  # `conflict: reason` in the sheet
    conflict: str | None = None  # why the judge is conflicted (judges.yaml), if they are


@dataclass(frozen=True)
class Settings:
    """What the tally of one round needs from programme.yaml."""

    weights: Mapping[str, Number]  # criterion id -> weight, in rubric order
    judges_per_entry: int
    method: str = "mean"
    shortlist_size: int = 5
    highly_commended: int = 2
    tiebreak: Sequence[str] = ()
    disagreement: float | None = None
    threshold: float | None = None  # the lowest score that can be awarded (or go on)
    awards: bool = True  # False in a round before the last: every place is a shortlist place
    # the weights of a category scored on a rubric of its own (categories.yaml rubric:)
    category_weights: Mapping[str, Mapping[str, Number]] = field(default_factory=dict)

    def weights_for(self, category: str) -> Mapping[str, Number]:
        """The weights an entry of this category is scored with."""
        return self.category_weights.get(category, self.weights)


@dataclass
class JudgeScore:
    """One counted judgement of an entry, for the audit trail."""

    judge: str
    scores: Mapping[str, int]
    points: int  # Σ W·x with the weights scaled to whole numbers W
    total: int  # Σ W, so that S = points / total exactly
    z: float | None = None  # zscore method only
    mu: Fraction | None = None
    sigma: float | None = None
    pooled: bool = False  # sigma replaced by the pooled sigma

    @property
    def weighted(self) -> Fraction:
        """S, the judgement score."""
        return Fraction(self.points, self.total)


@dataclass
class EntryResult:
    """One entry's result: its judgements, score, rank, flags and award."""

    entry: str
    category: str
    title: str
    organisation: str
    judgements: list[JudgeScore]
    excluded: list[tuple[str, str]]  # (judge, why it does not count)
    score: Number | None = None
    z: float | None = None
    spread: Fraction | None = None
    tiebreak: tuple[Fraction, ...] = ()
    rank: int | None = None
    award: Award | None = None
    tally_award: Award | None = None
    flags: list[str] = field(default_factory=list)

    def add_flag(self, flag: str) -> None:
        if flag not in self.flags:
            self.flags.append(flag)
            self.flags.sort(key=FLAG_ORDER.index)


@dataclass
class CategoryResult:
    """One category's results, in rank order, with what the steering group decided."""

    id: str
    title: str
    entries: list[EntryResult]
    undecided: list[dict[str, list[str]]]
    decision: Decision | None
    no_award: str | None = None  # "no award: best score 4.20 is below the threshold 6.00"


@dataclass
class Results:
    """The tally of a round: every category's results."""

    programme: str
    edition: str
    method: str
    categories: list[CategoryResult]
    pooled_mean: Fraction | None = None
    pooled_sigma: float | None = None
    round: str | None = None  # the round's ID, in a programme that has rounds

    def entry(self, entry_id: str) -> tuple[CategoryResult, EntryResult] | None:
        for category in self.categories:
            for result in category.entries:
                if result.entry == entry_id:
                    return category, result
        return None


def exact(value: Number | int) -> Fraction:
    """A weight as the number the programme wrote: 0.1 is 1/10, not the binary float
    nearest to it."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def whole_weights(weights: Mapping[str, Number]) -> dict[str, int]:
    """The weights scaled by one factor to whole numbers, so S = Σ W·x / Σ W needs
    integer arithmetic only (and one exact division)."""
    fractions = {c: exact(w) for c, w in weights.items()}
    scale = math.lcm(*(f.denominator for f in fractions.values())) if fractions else 1
    return {c: int(f * scale) for c, f in fractions.items()}


def weighted_score(scores: Mapping[str, int], weights: Mapping[str, Number]) -> Fraction:
    """S = Σ w·x / Σ w, exactly."""
    whole = whole_weights(weights)
    return Fraction(sum(w * scores[c] for c, w in whole.items()), sum(whole.values()))


def _mean_of(points: Sequence[int], total: int) -> Fraction:
    """The exact mean of points/total."""
    return Fraction(sum(points), total * len(points))


def _pvariance_of(points: Sequence[int], total: int) -> Fraction:
    """The exact population variance of points/total: (nΣp² − (Σp)²) / (n² total²)."""
    n = len(points)
    sum_p = sum(points)
    return Fraction(n * sum(p * p for p in points) - sum_p * sum_p, n * n * total * total)


def round2(value: Number) -> float:
    """Round half up to 2 decimals, from the exact value."""
    exact = (Decimal(value.numerator) / Decimal(value.denominator)
             if isinstance(value, Fraction) else Decimal(value))
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def rank_key(value: Number) -> int:
    """Scores compare to 9 decimal places: the score in billionths, rounded as
    round(value, 9) rounds (half to even), as a whole number (which compares far faster
    than the Fraction it stands for)."""
    if isinstance(value, float):
        value = Fraction(value)
    return round(value * 1_000_000_000)


def tally(
    settings: Settings,
    categories: Sequence[Category],
    entries: Mapping[str, EntryFile],
    records: Iterable[JudgementRecord],
    decisions: Sequence[Decision] = (),
    programme: str = "",
    edition: str = "",
) -> Results:
    """Score, rank and award every entry. `entries` maps id -> front matter. Each entry is
    scored on its category's rubric (settings.weights_for)."""
    # category -> its criteria, their whole weights in that order, and their sum
    rubrics: dict[str, tuple[list[str], list[int], int]] = {}

    def rubric(category: str) -> tuple[list[str], list[int], int]:
        if category not in rubrics:
            weights = whole_weights(settings.weights_for(category))
            rubrics[category] = list(weights), list(weights.values()), sum(weights.values())
        return rubrics[category]

    counted: dict[str, list[JudgeScore]] = {entry_id: [] for entry_id in entries}
    excluded: dict[str, list[tuple[str, str]]] = {entry_id: [] for entry_id in entries}
    for record in records:
        front = entries.get(record.entry)
        if front is None:
            continue
        criteria, whole, total = rubrics.get(front.category) or rubric(front.category)
        if record.recused:
            excluded[record.entry].append((record.judge, "declared a conflict (recused)"))
        elif record.conflict is not None:
            excluded[record.entry].append((record.judge, f"conflicted: {record.conflict}"))
        else:
            given = [record.scores.get(c) for c in criteria]
            if None in given:
                excluded[record.entry].append((record.judge, "not fully scored yet"))
                continue
            values = [int(value) for value in given]  # type: ignore[arg-type]
            points = sum(map(operator.mul, whole, values))
            counted[record.entry].append(
                JudgeScore(record.judge, dict(zip(criteria, values, strict=True)), points,
                           total))
    for judge_scores in counted.values():
        judge_scores.sort(key=lambda js: js.judge)
    for reasons in excluded.values():
        reasons.sort()

    results = Results(programme, edition, settings.method, [])
    if settings.method == "zscore":
        _standardise(counted, results)

    by_category: dict[str, list[EntryResult]] = {c.id: [] for c in categories}
    disagreement = exact(settings.disagreement) if settings.disagreement is not None else None
    for entry_id in sorted(entries):
        meta = entries[entry_id]
        judge_scores = counted[entry_id]
        result = EntryResult(entry_id, meta.category, meta.title, meta.organisation,
                             judge_scores, excluded[entry_id])
        criteria, _, total = rubric(meta.category)
        if judge_scores:
            entry_points = [js.points for js in judge_scores]
            result.spread = Fraction(max(entry_points) - min(entry_points), total)
            # the tiebreak criteria the category's rubric has
            result.tiebreak = tuple(Fraction(sum(js.scores[c] for js in judge_scores),
                                             len(judge_scores))
                                    for c in settings.tiebreak if c in criteria)
            if settings.method == "zscore":
                result.z = math.fsum(js.z for js in judge_scores if js.z is not None) / len(
                    judge_scores)
                assert results.pooled_mean is not None and results.pooled_sigma is not None
                result.score = float(results.pooled_mean) + result.z * results.pooled_sigma
            else:
                result.score = _mean_of(entry_points, total)
            if disagreement is not None and result.spread > disagreement:
                result.add_flag("disagreement")
        if len(judge_scores) < settings.judges_per_entry:
            result.add_flag("incomplete")
        if meta.category in by_category:
            by_category[meta.category].append(result)

    decided = {d.category: d for d in decisions}
    for category in categories:
        ranked, undecided = _rank(by_category[category.id], settings)
        decision = decided.get(category.id)
        if decision is not None:
            apply_decision(ranked, decision)
        results.categories.append(CategoryResult(
            category.id, category.title, ranked, undecided, decision,
            _no_award(ranked, settings.threshold)))
    return results


def _no_award(results: list[EntryResult], threshold: float | None) -> str | None:
    """Why the threshold leaves a category with nothing at all, if it does."""
    scored = [r.score for r in results if r.rank is not None and r.score is not None]
    if threshold is None or not scored or any(
            "below-threshold" not in r.flags for r in results if r.rank is not None):
        return None
    return (f"no award: best score {round2(max(scored)):.2f} is below the threshold "
            f"{round2(exact(threshold)):.2f}")


def _standardise(counted: Mapping[str, list[JudgeScore]], results: Results) -> None:
    """z = (S − μ_j)/σ_j per judge, with the pooled σ where a judge has fewer than 3
    judgements or no spread; every z is 0 where the pooled σ is 0 as well."""
    per_judge: dict[str, list[int]] = {}
    everything: list[int] = []
    # one denominator for every judgement, so that rubrics of their own (whose Σ W
    # differ) share the integer arithmetic: S = points·(total/js.total) / total
    total = math.lcm(1, *(js.total for scores in counted.values() for js in scores))
    for judge_scores in counted.values():
        for js in judge_scores:
            points = js.points * (total // js.total)
            per_judge.setdefault(js.judge, []).append(points)
            everything.append(points)
    if not everything:
        results.pooled_mean, results.pooled_sigma = Fraction(0), 0.0
        return
    pooled_mean = _mean_of(everything, total)
    pooled_sigma = math.sqrt(_pvariance_of(everything, total))
    results.pooled_mean, results.pooled_sigma = pooled_mean, pooled_sigma
    stats: dict[str, tuple[Fraction, float, bool]] = {}
    for judge, values in per_judge.items():
        variance = _pvariance_of(values, total)
        if len(values) < 3 or variance == 0:
            stats[judge] = (_mean_of(values, total), pooled_sigma, True)
        else:
            stats[judge] = (_mean_of(values, total), math.sqrt(variance), False)
    for judge_scores in counted.values():
        for js in judge_scores:
            mu, sigma, pooled = stats[js.judge]
            js.mu, js.sigma, js.pooled = mu, sigma, pooled
            js.z = 0.0 if sigma == 0 else float(js.weighted - mu) / sigma


def places(settings: Settings) -> list[Award]:
    """The award level of each place, in order: 1 winner, then highly commended, then
    shortlisted up to shortlist_size places in all."""
    if not settings.awards:
        return ["shortlisted"] * settings.shortlist_size
    levels: list[Award] = ["winner"]
    levels += ["highly_commended"] * settings.highly_commended
    while len(levels) < settings.shortlist_size:
        levels.append("shortlisted")
    return levels


def _rank(results: list[EntryResult], settings: Settings
          ) -> tuple[list[EntryResult], list[dict[str, list[str]]]]:
    complete = [r for r in results if "incomplete" not in r.flags]
    incomplete = sorted((r for r in results if "incomplete" in r.flags), key=lambda r: r.entry)

    def key(result: EntryResult) -> tuple[int | Fraction, ...]:
        assert result.score is not None
        return (rank_key(result.score), *result.tiebreak)

    groups: dict[tuple[int | Fraction, ...], list[EntryResult]] = {}
    for result in complete:
        groups.setdefault(key(result), []).append(result)
    ordered = [sorted(groups[group_key], key=lambda r: r.entry)
               for group_key in sorted(groups, reverse=True)]
    passed = ordered
    if settings.threshold is not None:
        lowest = exact(settings.threshold)
        passed = [g for g in ordered if g[0].score is not None and g[0].score >= lowest]
    undecided = place(passed, places(settings))
    position = sum(len(group) for group in passed)
    for group in ordered[len(passed):]:  # below the threshold: ranked, never awarded
        for result in group:
            result.rank = position + 1
            result.add_flag("below-threshold")
            if len(group) > 1:
                result.add_flag("tie")
        position += len(group)
    return [r for group in ordered for r in group] + incomplete, undecided


def place(groups: Sequence[Sequence[EntryResult]], levels: Sequence[Award]
          ) -> list[dict[str, list[str]]]:
    """Give each group of equal entries, best first, its rank and award from the places
    `levels`; return the places left open by groups that straddle them (`undecided`)."""
    undecided: list[dict[str, list[str]]] = []
    position = 0
    for group in groups:
        in_places = list(levels[position: position + len(group)])
        award: Award | None = None
        if in_places:
            # the lowest level the group reaches; a group that runs past the last place
            # reaches the shortlist boundary, so it is shortlisted as a whole
            award = in_places[-1] if len(in_places) == len(group) else "shortlisted"
        if len(group) > 1:
            for result in group:
                result.add_flag("tie")
            open_places = [level for level in in_places if level != award]
            if open_places:
                undecided.append({"awards": list(open_places),
                                  "entries": [r.entry for r in group]})
        for result in group:
            result.rank = position + 1
            result.award = award
        position += len(group)
    return undecided


def apply_decision(results: list[EntryResult], decision: Decision) -> None:
    """The steering group's decision overrides the category's awards (a shortlist
    decision, for a round before the last, its shortlist)."""
    decided: dict[str, Award] = {}
    if decision.shortlist is not None:
        decided = dict.fromkeys(decision.shortlist, "shortlisted")
    if decision.winner:
        decided[decision.winner] = "winner"
    for entry_id in decision.highly_commended:
        decided.setdefault(entry_id, "highly_commended")
    for result in results:
        tally_award = result.award
        if result.entry in decided:
            new_award: Award | None = decided[result.entry]
        elif decision.shortlist is not None:
            new_award = None
        elif tally_award in ("winner", "highly_commended"):
            new_award = "shortlisted"
        else:
            new_award = tally_award
        if new_award != tally_award:
            result.tally_award = tally_award
            result.award = new_award
            result.add_flag("overridden")
