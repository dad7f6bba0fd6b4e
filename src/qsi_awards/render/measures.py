"""Measures for improvement as templates see them: plain data for the chart filters
(`spc_chart`, `spc_icon`: render/chart.py) and the data table, made from a measure's
checked data (load/measures.py) and its MDC analysis (judging/spc.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..judging.adoption import AWARDED, adopters
from ..judging.spc import analyse, as_dict
from ..load.measures import Series
from . import chart
from .text import one_line

if TYPE_CHECKING:
    from ..programme import Programme

SPREAD_AWARDS = AWARDED  # the entries whose spread the site follows, on a page each


def view(series: Series) -> dict[str, Any]:
    """A measure, analysed, as plain data: its title, unit, direction and target, the
    phases with their statistics and points (each with its label and signal in words),
    and the icons with their labels."""
    measure = series.measure
    data = as_dict(analyse(series.points, measure.improvement, measure.target,
                           measure.recalculate_at))
    shown = {**data, "id": measure.id, "title": one_line(measure.title),
             "unit": one_line(measure.unit)}
    places = chart.decimals(shown)
    for phase in data["phases"]:
        phase["since"] = chart.period_label(phase["points"][0]["period"])
        phase["shown"] = {key: chart.stat(phase[key], places) for key in
                          ("mean", "upper", "lower", "median") if phase.get(key) is not None}
        for point in phase["points"]:
            point["label"] = chart.period_label(point["period"])
            point["shown"] = chart.plain(point["value"])
            point["words"] = chart.SIGNAL_WORDS[point["signal"]] + (
                " (" + ", ".join(chart.RULE_WORDS[r] for r in point["rules"]) + ")"
                if point["rules"] else "")
    variation, assurance = data["variation"], data["assurance"]
    shown.update({
        "target_shown": chart.plain(measure.target) if measure.target is not None else None,
        "improvement_words": chart.IMPROVEMENT_WORDS[measure.improvement],
        "variation_label": chart.VARIATION_LABELS[variation] if variation else None,
        "assurance_label": chart.ASSURANCE_LABELS[assurance] if assurance else None,
    })
    return shown


def anonymised(measures: list[dict[str, Any]], clean: Callable[[str], str]
               ) -> list[dict[str, Any]]:
    """Measures for a judge pack: their words redacted as the entry's text is, and no ID
    (an ID can name the organisation)."""
    return [{**m, "id": f"measure-{n}", "title": clean(m["title"]), "unit": clean(m["unit"])}
            for n, m in enumerate(measures, start=1)]


def adoption_page(prog: Programme, entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The organisations taking up a winning or highly commended entry, for its adoption
    page, furthest along first (as `qsi adoption` lists them): each at its latest stage,
    with its earlier steps and the measures of its latest record that has any."""
    folder = prog.folder
    records = [(index, record) for index, record in folder.adoption
               if record.entry == entry["id"]]
    out = []
    for adopter in adopters(records):
        measured = [index for index in adopter.records if folder.adoption_measures.get(index)]
        out.append({
            "organisation": one_line(adopter.organisation),
            "stage": adopter.stage,
            "date": adopter.date,
            "notes": one_line(adopter.notes) if adopter.notes else None,
            "history": [{"stage": stage, "date": date} for stage, date in adopter.history],
            "measures": [view(series) for series in folder.adoption_measures[measured[-1]]]
            if measured else [],
        })
    return out
