"""`qsi spc`'s reporters, over a measure as plain data (`title`, `unit` and the analysis
of judging/spc.py, `as_dict`): a short summary (text), the analysis (JSON) or the chart
(SVG, render/chart.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..controls import escaped
from ..render import chart
from . import Reporter, json_text, writing

Measure = Mapping[str, Any]
KEYS = ("improvement", "target", "phases", "variation", "assurance")


def to_json(measure: Measure) -> str:
    document = {key: measure[key] for key in KEYS}
    return json_text(document)


def to_text(measure: Measure) -> str:
    lines = [escaped(str(measure["title"])), chart.describe(measure)]
    flagged = [p for p in chart.points(measure) if p["signal"] != "common"]
    if flagged:
        lines.append("Special cause points:")
        width = max(len(chart.period_label(p["period"])) for p in flagged)
        for point in flagged:
            label = chart.period_label(point["period"])
            rules = ", ".join(chart.RULE_WORDS[rule] for rule in point["rules"])
            lines.append(f"  {label:<{width}}  {chart.plain(point['value']):>10}  "
                         f"{point['signal']}: {rules}")
    return "\n".join(lines) + "\n"


def to_svg(measure: Measure) -> str:
    return chart.chart_svg(measure, "spc") + "\n"


REPORTERS: dict[str, Reporter[Measure]] = {
    "text": writing(to_text),
    "json": writing(to_json),
    "svg": writing(to_svg),
}
