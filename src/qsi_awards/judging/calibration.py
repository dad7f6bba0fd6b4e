"""Calibration and moderation (`qsi calibration`): does each judge run harsh or lenient,
and do the judges agree? Pure, exact where it can be: every mean, offset and alpha is a
Fraction; only square roots (spreads, intervals, correlations) are floats.

Per judge, over their complete, counted judgements in a rubric round (S, the weighted
score, as the tally computes it):
- judgements: how many;
- offset: for each entry they share with co-judges, S minus the mean S of the others on
  that entry; their mean offset (above 0: lenient; below: harsh) with a 95% interval,
  mean ± t·s/√n (s the sample standard deviation of their offsets, t Student's for n−1
  degrees of freedom). A judge whose interval lies wholly above or below 0 is flagged;
- spread: the population standard deviation of their S, how much of the scale they use;
- correlation: Pearson's r between their S and the others' mean S on the same entries
  (none with fewer than 3 shared entries, or no variation).

Agreement: Krippendorff's alpha per criterion and over S (units: entries; observers:
judges; a judge who did not score an entry is missing), with the interval metric by
default; nominal, ordinal and ratio are here too, for the published worked example.

Moderation: the entries whose spread (highest S − lowest S) exceeds
judging.disagreement, each judge's scores side by side.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from .tally import Number, exact

Level = Literal["nominal", "ordinal", "interval", "ratio"]

# Two-sided 95% critical values of Student's t, by degrees of freedom (a standard table);
# beyond 30, the value for the largest tabulated df not above it (so never too narrow).
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
       9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
       16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074,
       23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045,
       30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}


def t95(df: int) -> float:
    return T95[max(k for k in T95 if k <= df)]


@dataclass(frozen=True)
class Judgement:
    """One complete, counted judgement: S and the criterion scores."""

    judge: str
    entry: str
    score: Fraction
    scores: Mapping[str, int]


@dataclass(frozen=True)
class JudgeCalibration:
    judge: str
    judgements: int
    shared: int  # judgements with at least one co-judge (the offsets)
    offset: Fraction | None  # mean offset from co-judges
    interval: tuple[float, float] | None  # 95%, with 2 or more offsets
    spread: float | None  # population standard deviation of their S
    correlation: float | None
    flag: Literal["lenient", "harsh"] | None


@dataclass(frozen=True)
class Moderation:
    entry: str
    category: str
    spread: Fraction
    judgements: tuple[Judgement, ...]  # by judge


@dataclass
class Calibration:
    round: str
    criteria: tuple[str, ...]
    judges: list[JudgeCalibration]
    agreement: dict[str, Fraction | None]  # criterion (and "overall") -> alpha
    moderation: list[Moderation] = field(default_factory=list)
    disagreement: Number | None = None


def calibrate(round_id: str, criteria: Sequence[str], judgements: Iterable[Judgement],
              categories: Mapping[str, str], disagreement: Number | None) -> Calibration:
    """`categories` maps each entry to its category (for the moderation list)."""
    every = sorted(judgements, key=lambda j: (j.judge, j.entry))
    by_entry: dict[str, list[Judgement]] = {}
    for j in every:
        by_entry.setdefault(j.entry, []).append(j)
    judges = [_judge(judge_id, [j for j in every if j.judge == judge_id], by_entry)
              for judge_id in sorted({j.judge for j in every})]
    agreement: dict[str, Fraction | None] = {  # over the entries whose rubric has it
        c: alpha(_units({e: [j for j in found if c in j.scores]
                         for e, found in by_entry.items()}, _criterion(c)))
        for c in criteria}
    agreement["overall"] = alpha(_units(by_entry, lambda j: j.score))
    moderation = []
    if disagreement is not None:
        limit = exact(disagreement)
        for entry_id in sorted(by_entry):
            found = by_entry[entry_id]
            spread = max(j.score for j in found) - min(j.score for j in found)
            if spread > limit:
                moderation.append(Moderation(entry_id, categories.get(entry_id, ""), spread,
                                             tuple(found)))
    return Calibration(round_id, tuple(criteria), judges, agreement, moderation, disagreement)


def _judge(judge_id: str, mine: list[Judgement], by_entry: Mapping[str, list[Judgement]]
           ) -> JudgeCalibration:
    offsets: list[Fraction] = []
    pairs: list[tuple[Fraction, Fraction]] = []
    for j in mine:
        others = [o.score for o in by_entry[j.entry] if o.judge != judge_id]
        if others:
            panel = sum(others, Fraction(0)) / len(others)
            offsets.append(j.score - panel)
            pairs.append((j.score, panel))
    offset = sum(offsets, Fraction(0)) / len(offsets) if offsets else None
    interval = None
    flag: Literal["lenient", "harsh"] | None = None
    if offset is not None and len(offsets) >= 2:
        variance = sum(((o - offset) ** 2 for o in offsets), Fraction(0)) / (len(offsets) - 1)
        half = t95(len(offsets) - 1) * math.sqrt(variance) / math.sqrt(len(offsets))
        interval = (float(offset) - half, float(offset) + half)
        if interval[0] > 0:
            flag = "lenient"
        elif interval[1] < 0:
            flag = "harsh"
    scores = [j.score for j in mine]
    spread = None
    if scores:
        mean = sum(scores, Fraction(0)) / len(scores)
        spread = math.sqrt(sum(((s - mean) ** 2 for s in scores), Fraction(0)) / len(scores))
    return JudgeCalibration(judge_id, len(mine), len(offsets), offset, interval, spread,
                            pearson(pairs), flag)


def pearson(pairs: Sequence[tuple[Fraction, Fraction]]) -> float | None:
    """Pearson's r of the pairs (None below 3 pairs, or when either side is constant)."""
    if len(pairs) < 3:
        return None
    n = len(pairs)
    mx = sum((x for x, _ in pairs), Fraction(0)) / n
    my = sum((y for _, y in pairs), Fraction(0)) / n
    sxy = sum(((x - mx) * (y - my) for x, y in pairs), Fraction(0))
    sxx = sum(((x - mx) ** 2 for x, _ in pairs), Fraction(0))
    syy = sum(((y - my) ** 2 for _, y in pairs), Fraction(0))
    if sxx == 0 or syy == 0:
        return None
    return float(sxy) / math.sqrt(sxx * syy)


def _criterion(name: str) -> Callable[[Judgement], Fraction]:
    return lambda j: Fraction(j.scores[name])


def _units(by_entry: Mapping[str, list[Judgement]], value: Callable[[Judgement], Fraction]
           ) -> list[list[Fraction]]:
    return [[value(j) for j in found] for _, found in sorted(by_entry.items())]


def alpha(units: Iterable[Sequence[Number]], level: Level = "interval") -> Fraction | None:
    """Krippendorff's alpha: 1 − D_o / D_e, over the units with two or more values (each a
    unit's values from its observers, missing ones left out). None when there is nothing
    to compare or no variation at all (D_e = 0)."""
    pairable = [[exact(v) for v in unit] for unit in units if len(unit) >= 2]
    values = [v for unit in pairable for v in unit]
    n = len(values)
    if n < 2:
        return None
    delta = _metric(level, values)
    observed = sum((Fraction(sum(delta(a, b) for i, a in enumerate(unit)
                                 for j, b in enumerate(unit) if i != j), len(unit) - 1)
                    for unit in pairable), Fraction(0)) / n
    counts: dict[Fraction, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    expected = sum((counts[a] * counts[b] * delta(a, b) for a in counts for b in counts
                    if a != b), Fraction(0)) / (n * (n - 1))
    if expected == 0:
        return None
    return 1 - observed / expected


def _metric(level: Level, values: Sequence[Fraction]) -> Callable[[Fraction, Fraction], Fraction]:
    if level == "nominal":
        return lambda a, b: Fraction(0) if a == b else Fraction(1)
    if level == "interval":
        return lambda a, b: (a - b) ** 2
    if level == "ratio":
        return lambda a, b: Fraction(0) if a + b == 0 else ((a - b) / (a + b)) ** 2
    counts: dict[Fraction, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    ordered = sorted(counts)

    def ordinal(a: Fraction, b: Fraction) -> Fraction:
        low, high = min(a, b), max(a, b)
        between = sum(counts[g] for g in ordered if low <= g <= high)
        return Fraction(2 * between - counts[low] - counts[high], 2) ** 2

    return ordinal
