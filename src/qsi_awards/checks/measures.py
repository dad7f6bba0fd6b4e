"""Measures for improvement: what their data means for a chart. (load/measures.py has
already checked the data itself: periods, numbers, the CSV's header.)

- bad-recalculation: a recalculation point (`recalculate_at`) that is not one of the
  measure's periods, is its first period (which starts a phase anyway), or is given
  twice.
- bad-period: a recalculation point that is not a period, or not of the data's kind.
- too-few-points (warning): a phase with fewer than 13 points, too few for process
  limits; qsi draws a run chart on the median for it instead (judging/spc.py).
- target-direction: a target on a measure where neither higher nor lower is better:
  whether a process meets a target depends on which way is better, so the target
  cannot be judged.

Entries' measures and adoption records' measures are checked alike.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..load import ADOPTION, Doc
from ..load.measures import PERIOD_ADVICE, Series, period_key
from ..model.measures import MIN_POINTS
from .context import Context


def check(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    for entry in folder.entries.values():
        for series in entry.measures:
            yield from _measure(entry.doc, (), series)
    if ADOPTION in folder.docs:
        doc = folder.docs[ADOPTION]
        for index, measures in folder.adoption_measures.items():
            for series in measures:
                yield from _measure(doc, ("adoption", index), series)


def _measure(doc: Doc, base: tuple[str | int, ...], series: Series) -> Iterator[Finding]:
    measure = series.measure
    loc = (*base, "measures", series.index)
    label = f"the measure '{measure.id}'"
    if measure.target is not None and measure.improvement == "neither":
        yield doc.finding("target-direction", (
            f"{label.capitalize()} has a target, {measure.target:g}, but improvement: "
            "neither, so no value is better than another and the target cannot be judged; "
            "say whether higher or lower is better, or remove the target."), (*loc, "target"))
    periods = [period for period, _ in series.points]
    places = {period: number for number, period in enumerate(periods)}
    kind = period_key(periods[0])
    starts = {0}
    good = True
    for number, period in enumerate(measure.recalculate_at):
        where = (*loc, "recalculate_at", number)
        key = period_key(period)
        if key is None or (kind is not None and key[0] != kind[0]):
            good = False
            yield doc.finding("bad-period", (
                f"The recalculation point '{period}' is not a period like the data's; write "
                f"{PERIOD_ADVICE}, as the points are written."), where)
            continue
        place = places.get(period)
        if place is None or place == 0 or place in starts:
            good = False
            why = ("is not one of its periods" if place is None else
                   "is its first period, which starts a phase anyway" if place == 0 else
                   "is given twice")
            yield doc.finding("bad-recalculation", (
                f"The recalculation point '{period}' of {label} {why}; give the first "
                "period of each new phase, once, such as the month a change began."), where)
            continue
        starts.add(place)
    if not good:
        return
    bounds = sorted(starts)
    for start, end in zip(bounds, [*bounds[1:], len(periods)], strict=True):
        size = end - start
        if size >= MIN_POINTS:
            continue
        where = ((*loc, "recalculate_at", measure.recalculate_at.index(periods[start]))
                 if start else (*loc, "id"))
        span = (f"from {periods[start]} to {periods[end - 1]}" if size > 1
                else f"only at {periods[start]}")
        yield doc.finding("too-few-points", (
            f"{label.capitalize()} has {size} point{'s' if size != 1 else ''} {span}, too "
            f"few for process limits (they need {MIN_POINTS}), so qsi draws a run chart on "
            "the median for them; add points, or recalculate later."), where)
