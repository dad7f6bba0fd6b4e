"""Statistical process control as NHS England's "Making Data Count" (MDC) defines it:
XmR charts with special-cause rules, and run charts on the median for phases too short
for limits. Pure: numbers in, an Analysis out; no I/O, no drawing.

Per phase (the points between recalculation points):

- **XmR** (at least MIN_POINTS points): the mean; the mean moving range MR̄ of the
  phase's consecutive points (not screened unless asked: screening drops the moving
  ranges of SCREEN × MR̄ or more, then takes the mean again); process limits at
  mean ± 2.66 MR̄; the 2σ lines at mean ± (2/3)·2.66 MR̄. A point is special cause when
  it is
  - `beyond-limit`: above the upper or below the lower process limit;
  - `shift`: one of `shift` (6) or more consecutive points all above, or all below,
    the mean (a point on the mean ends a run);
  - `trend`: one of `trend` (6) or more consecutive points each higher than the one
    before, or each lower (an equal value ends a trend; a trend may cross the mean);
  - `two-of-three`: beyond a 2σ line, in 3 consecutive points all on one side of the
    mean of which 2 or 3 are beyond that 2σ line. Points beyond the process limit do
    not count towards this rule (MDC version 5), unless `beyond_counts` says so.
- **Run chart** (fewer points): the median, and the run-chart rules: a `shift` is
  RUN_SHIFT (6) or more points on one side of the median, where a point on the median
  neither adds to nor breaks the run; a `trend` is RUN_TREND (5) or more points rising
  or falling, where a value equal to the one before is ignored. Points that are not
  counted are not flagged.

A flagged point is high or low: beyond-limit, two-of-three and shift by the side of the
mean it is on, trend by the direction of the trend (when rules disagree, the first in
RULES decides). With the measure's `improvement` it is `improvement` (high when higher
is better, low when lower is), `concern` (the other way) or `neither`; an unflagged
point is `common` cause. The **variation** icon is the class and side of the last
point (`common-cause`, `improvement-high`, `concern-low`, `neither-high`, ...). The
**assurance** icon compares the target with the last phase's process limits: a target
beyond the limits on the worse side is `consistent-pass` (the process always meets
it), on the better side `consistent-fail` (it never will without change), between
them `inconsistent`; there is none without a target, without a direction, or when the
last phase is a run chart.

The arithmetic is exact: each value is taken as the decimal it is written as (its
shortest repr), and means, moving ranges and limits are fractions, so no flag depends
on floating-point rounding and the same data always gives the same result.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from ..model.measures import MIN_POINTS

Improvement = Literal["higher", "lower", "neither"]
Signal = Literal["improvement", "concern", "neither", "common"]

LIMIT = Fraction(266, 100)  # process limits at mean ± LIMIT × MR̄
NEAR = 2 * LIMIT / 3  # the 2σ lines
SCREEN = Fraction(3267, 1000)  # screening drops moving ranges of SCREEN × MR̄ or more
RUN_SHIFT = 6
RUN_TREND = 5
RULES = ("beyond-limit", "two-of-three", "shift", "trend")
IMPROVEMENTS: tuple[Improvement, ...] = ("higher", "lower", "neither")


@dataclass(frozen=True)
class Options:
    shift: int = 6  # points in a shift (XmR)
    trend: int = 6  # points in a trend (XmR)
    screen: bool = False  # screen the moving ranges
    beyond_counts: bool = False  # points beyond a process limit count for two-of-three


@dataclass(frozen=True)
class Point:
    period: str
    value: float
    signal: Signal
    rules: tuple[str, ...]  # the rules that flag it, in RULES order
    side: Literal["high", "low"] | None  # None for common cause


@dataclass(frozen=True)
class Phase:
    points: tuple[Point, ...]
    mean: float | None = None  # XmR phases
    mr_bar: float | None = None
    upper: float | None = None
    lower: float | None = None
    upper_2s: float | None = None
    lower_2s: float | None = None
    median: float | None = None  # run-chart phases
    exact_limits: tuple[Fraction, Fraction] | None = field(default=None, repr=False)

    @property
    def has_limits(self) -> bool:
        return self.mean is not None


@dataclass(frozen=True)
class Analysis:
    phases: tuple[Phase, ...]
    improvement: Improvement
    target: float | None
    variation: str | None  # None when there are no points
    assurance: str | None

    @property
    def points(self) -> list[Point]:
        return [point for phase in self.phases for point in phase.points]


def exact(value: float) -> Fraction:
    """The decimal a value is written as (5.1 is 51/10, not the float nearest it)."""
    return Fraction(repr(float(value)))


def phase_starts(periods: Sequence[str], recalculate_at: Iterable[str]) -> list[int]:
    """The index at which each phase starts: 0, then each recalculation point's, in
    order. A recalculation point that is not a period after the first is a ValueError."""
    where = {period: index for index, period in enumerate(periods)}
    starts = {0}
    for period in recalculate_at:
        index = where.get(period)
        if not index:  # not a period, or the first (which starts a phase anyway)
            raise ValueError(period)
        starts.add(index)
    return sorted(starts)


def analyse(points: Sequence[tuple[str, float]], improvement: Improvement = "neither",
            target: float | None = None, recalculate_at: Iterable[str] = (),
            options: Options = Options()) -> Analysis:
    """The MDC analysis of `points` (period, value), in order."""
    periods = [period for period, _ in points]
    starts = phase_starts(periods, recalculate_at)
    bounds = list(zip(starts, [*starts[1:], len(points)], strict=True))
    phases = tuple(_phase(points[start:end], improvement, options)
                   for start, end in bounds if end > start)
    last = phases[-1] if phases else None
    return Analysis(phases, improvement, target,
                    _variation(last.points[-1]) if last and last.points else None,
                    _assurance(last, improvement, target))


def _phase(points: Sequence[tuple[str, float]], improvement: Improvement,
           options: Options) -> Phase:
    values = [exact(value) for _, value in points]
    flags: list[dict[str, int]] = [{} for _ in values]  # rule -> +1 high, -1 low
    if len(values) >= MIN_POINTS:
        mean = sum(values, Fraction(0)) / len(values)
        ranges = [abs(b - a) for a, b in itertools.pairwise(values)]
        mr_bar = sum(ranges, Fraction(0)) / len(ranges)
        if options.screen:
            kept = [r for r in ranges if r < SCREEN * mr_bar]
            mr_bar = sum(kept, Fraction(0)) / len(kept) if kept else mr_bar
        upper, lower = mean + LIMIT * mr_bar, mean - LIMIT * mr_bar
        upper_2s, lower_2s = mean + NEAR * mr_bar, mean - NEAR * mr_bar
        sides = [_sign(v - mean) for v in values]
        for index, value in enumerate(values):
            if value > upper or value < lower:
                flags[index]["beyond-limit"] = sides[index]
        _two_of_three(values, sides, upper, lower, upper_2s, lower_2s, options, flags)
        _runs(sides, options.shift, "shift", flags)
        _trends(values, options.trend, flags, skip_equal=False)
        return Phase(_points(points, flags, improvement), float(mean), float(mr_bar),
                     float(upper), float(lower), float(upper_2s), float(lower_2s),
                     exact_limits=(lower, upper))
    median = Fraction(statistics.median(values))
    _runs([_sign(v - median) for v in values], RUN_SHIFT, "shift", flags, skip_zero=True)
    _trends(values, RUN_TREND, flags, skip_equal=True)
    return Phase(_points(points, flags, improvement), median=float(median))


def _sign(number: Fraction) -> int:
    return (number > 0) - (number < 0)


def _two_of_three(values: list[Fraction], sides: list[int], upper: Fraction,
                  lower: Fraction, upper_2s: Fraction, lower_2s: Fraction,
                  options: Options, flags: list[dict[str, int]]) -> None:
    near = [(v > upper_2s or v < lower_2s) and (options.beyond_counts or lower <= v <= upper)
            for v in values]
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        side = sides[start]
        if side == 0 or any(sides[i] != side for i in window):
            continue
        close = [i for i in window if near[i]]
        if len(close) >= 2:
            for i in close:
                flags[i]["two-of-three"] = side


def _runs(sides: list[int], length: int, rule: str, flags: list[dict[str, int]],
          skip_zero: bool = False) -> None:
    """Flag every run of `length` or more points on one side (a zero side ends a run,
    or with `skip_zero` is passed over: it neither counts nor breaks the run)."""
    run: list[int] = []
    for index, side in [*enumerate(sides), (len(sides), 0)]:
        if side == 0 and skip_zero and index < len(sides):
            continue
        if run and side == sides[run[0]]:
            run.append(index)
            continue
        if len(run) >= length:
            for i in run:
                flags[i][rule] = sides[i]
        run = [index] if side != 0 else []


def _trends(values: list[Fraction], length: int, flags: list[dict[str, int]],
            skip_equal: bool) -> None:
    """Flag every run of `length` or more points each above (or each below) the one
    before. An equal value ends the run, or with `skip_equal` is ignored."""
    counted = list(range(len(values)))
    if skip_equal:  # only the counted points, each compared with the one counted before
        counted = [i for i in counted if i == 0 or values[i] != values[i - 1]]
    seq = [values[i] for i in counted]
    run, direction = [0], 0
    for k in range(1, len(seq) + 1):
        step = _sign(seq[k] - seq[k - 1]) if k < len(seq) else 0
        if step != 0 and step == direction:
            run.append(k)
            continue
        if direction != 0 and len(run) >= length:
            for j in run:
                flags[counted[j]]["trend"] = direction
        run, direction = [k - 1, k], step


def _points(points: Sequence[tuple[str, float]], flags: list[dict[str, int]],
            improvement: Improvement) -> tuple[Point, ...]:
    out = []
    for (period, value), flagged in zip(points, flags, strict=True):
        rules = tuple(rule for rule in RULES if rule in flagged)
        if not rules:
            out.append(Point(period, float(value), "common", (), None))
            continue
        high = flagged[rules[0]] > 0
        signal: Signal
        if improvement == "neither":
            signal = "neither"
        else:
            signal = "improvement" if high == (improvement == "higher") else "concern"
        out.append(Point(period, float(value), signal, rules, "high" if high else "low"))
    return tuple(out)


def _variation(last: Point) -> str:
    return "common-cause" if last.signal == "common" else f"{last.signal}-{last.side}"


def _assurance(last: Phase | None, improvement: Improvement,
               target: float | None) -> str | None:
    if last is None or target is None or improvement == "neither" or last.exact_limits is None:
        return None
    aim, (lower, upper) = exact(target), last.exact_limits
    if aim > upper:
        return "consistent-pass" if improvement == "lower" else "consistent-fail"
    if aim < lower:
        return "consistent-pass" if improvement == "higher" else "consistent-fail"
    return "inconsistent"


def as_dict(analysis: Analysis) -> dict[str, Any]:
    """The analysis as plain data (`qsi spc --format json`, and what charts are drawn
    from): per phase its kind, statistics and points, then the two icons."""
    phases = []
    for phase in analysis.phases:
        stats: dict[str, Any] = (
            {"kind": "xmr", "mean": phase.mean, "mr_bar": phase.mr_bar, "upper": phase.upper,
             "lower": phase.lower, "upper_2s": phase.upper_2s, "lower_2s": phase.lower_2s}
            if phase.has_limits else {"kind": "run", "median": phase.median})
        stats["points"] = [{"period": p.period, "value": p.value, "signal": p.signal,
                            "rules": list(p.rules)} for p in phase.points]
        phases.append(stats)
    return {"improvement": analysis.improvement, "target": analysis.target,
            "phases": phases, "variation": analysis.variation,
            "assurance": analysis.assurance}
