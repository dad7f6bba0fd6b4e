"""Making Data Count charts as SVG, drawn by hand: deterministic (the same measure
always gives the same bytes), accessible (a title, a description of what the chart
shows, a tooltip on every point; pages add the data table) and the same in a browser,
a PDF (vector) and a file of its own (`qsi spc --format svg`).

A chart is drawn from a measure as plain data: `title`, `unit`, `improvement`,
`target` and the analysis of judging/spc.py (`as_dict`): phases with their mean and
process limits (XmR) or median (run chart), the points with their signal, and the
variation and assurance icons. Colours are MDC's: improvement #00B0F0, concern
#E46C0A, neither #490092, common cause #A6A6A6. Every text is escaped for XML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from html import escape
from typing import Any

from ..controls import removed
from ..dates import MONTHS

COLOURS = {"improvement": "#00B0F0", "concern": "#E46C0A", "neither": "#490092",
           "common": "#A6A6A6"}
LINE = "#7B7D7D"  # the data line and the process limits
INK = "#231F20"  # the mean, the median, the text
TARGET = "#DE1B1B"
FONT = "'qsi Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"

SIGNAL_WORDS = {"improvement": "special cause improvement", "concern": "special cause concern",
                "neither": "special cause, neither better nor worse", "common": "common cause"}
LEGEND_WORDS = {"improvement": "Special cause improvement", "concern": "Special cause concern",
                "neither": "Special cause, neither", "common": "Common cause"}
RULE_WORDS = {"beyond-limit": "beyond a process limit", "two-of-three": "two of three near a limit",
              "shift": "shift", "trend": "trend"}
VARIATION_LABELS = {
    "common-cause": "Common cause variation: no significant change",
    "improvement-high": "Special cause variation: improvement, high",
    "improvement-low": "Special cause variation: improvement, low",
    "concern-high": "Special cause variation: concern, high",
    "concern-low": "Special cause variation: concern, low",
    "neither-high": "Special cause variation: high (neither better nor worse)",
    "neither-low": "Special cause variation: low (neither better nor worse)",
}
ASSURANCE_LABELS = {
    "consistent-pass": "The process will consistently meet the target",
    "consistent-fail": "The process will consistently miss the target",
    "inconsistent": "The process will inconsistently meet and miss the target",
}
IMPROVEMENT_WORDS = {"higher": "Higher is better.", "lower": "Lower is better.",
                     "neither": "Neither higher nor lower is better."}

WIDTH = 720
LEFT, RIGHT, TOP, BOTTOM = 64, 700, 32, 262  # the plot area; the legend is below it


def text(value: Any) -> str:
    """Text for SVG: control characters removed, XML escaped."""
    return escape(removed(str(value)), quote=True)


def period_label(period: str) -> str:
    """'2019-04' as 'Apr 2019', '2019-04-30' as '30 Apr 2019'; a point number as is."""
    parts = period.split("-")
    if len(parts) in (2, 3) and all(part.isdigit() for part in parts):
        month = MONTHS[int(parts[1]) - 1][:3]
        return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"
    return period


def plain(value: float) -> str:
    """A value as it was written: 5.1, 12, 1,250 (never 1e+06 or 12.0)."""
    number = Decimal(repr(float(value)))
    shown = format(number, ",f")
    return shown.removesuffix(".0") if shown.endswith(".0") else shown


def decimals(measure: Mapping[str, Any]) -> int:
    """How many decimals statistics are shown with: two more than the data's, at least
    2 (MDC's 23.20 for whole numbers), at most 6."""
    written = [plain(p["value"]) for p in points(measure)]
    most = max((len(w.split(".")[1]) if "." in w else 0 for w in written), default=0)
    return max(2, min(6, most + 1))


def stat(value: float, places: int) -> str:
    return f"{value:,.{places}f}"


def points(measure: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [point for phase in measure["phases"] for point in phase["points"]]


def point_words(point: Mapping[str, Any], unit: str) -> str:
    """'Apr 2019: 5.4 falls per 1,000 occupied bed days; special cause improvement
    (shift)'."""
    words = f"{period_label(point['period'])}: {plain(point['value'])} {unit}; "
    words += SIGNAL_WORDS[point["signal"]]
    if point["rules"]:
        words += " (" + ", ".join(RULE_WORDS[rule] for rule in point["rules"]) + ")"
    return words


def describe(measure: Mapping[str, Any]) -> str:
    """What the chart shows, in sentences: its description for screen readers, and the
    summary of `qsi spc --format text`."""
    shown = points(measure)
    if not shown:
        return "There are no points."
    places = decimals(measure)
    phases = measure["phases"]
    monthly = all(len(p["period"].split("-")) == 2 for p in shown)
    kinds = {phase["kind"] for phase in phases}
    chart = ("An XmR chart" if kinds == {"xmr"} else "A run chart" if kinds == {"run"}
             else "An XmR chart with run-chart phases")
    out = [f"{chart} of {len(shown)}{' monthly' if monthly else ''} "
           f"point{'s' if len(shown) != 1 else ''}, from "
           f"{period_label(shown[0]['period'])} to {period_label(shown[-1]['period'])}"
           f"{f', in {len(phases)} phases' if len(phases) > 1 else ''}.",
           IMPROVEMENT_WORDS[measure["improvement"]]]
    for phase in phases:
        start = period_label(phase["points"][0]["period"])
        lead = f"From {start}" if len(phases) > 1 else "The"
        if phase["kind"] == "xmr":
            out.append(f"{lead}{' the' if len(phases) > 1 else ''} mean is "
                       f"{stat(phase['mean'], places)}, with process limits "
                       f"{stat(phase['lower'], places)} to {stat(phase['upper'], places)}.")
        else:
            out.append(f"{lead}{' the' if len(phases) > 1 else ''} median is "
                       f"{stat(phase['median'], places)} (too few points for process "
                       "limits).")
    flagged = [p for p in shown if p["signal"] != "common"]
    if not flagged:
        out.append("No point shows special cause variation.")
    for signal in ("improvement", "concern", "neither"):
        these = [p for p in flagged if p["signal"] == signal]
        if these:
            rules = sorted({rule for p in these for rule in p["rules"]},
                           key=list(RULE_WORDS).index)
            out.append(f"{len(these)} point{'s' if len(these) != 1 else ''} "
                       f"show{'s' if len(these) == 1 else ''} {SIGNAL_WORDS[signal]} ("
                       + ", ".join(RULE_WORDS[rule] for rule in rules) + ").")
    if measure.get("variation"):
        out.append(f"{VARIATION_LABELS[measure['variation']]} at the last point.")
    if measure.get("target") is not None:
        target = f"The target is {plain(measure['target'])}"
        assurance = measure.get("assurance")
        out.append(f"{target}: {ASSURANCE_LABELS[assurance][0].lower()}"
                   f"{ASSURANCE_LABELS[assurance][1:]}." if assurance else
                   f"{target}; there is no assurance without process limits and a "
                   "direction.")
    return " ".join(out)


def _ticks(low: float, high: float) -> tuple[list[float], int]:
    """About five round values covering [low, high], and the decimals they need."""
    span = high - low
    if span <= 0:
        span = abs(high) or 1.0
        low, high = low - span / 2, high + span / 2
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(s * magnitude for s in (1, 2, 2.5, 5, 10) if s * magnitude >= raw)
    first, last = math.floor(low / step), math.ceil(high / step)
    exponent = Decimal(repr(step)).normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return [n * step for n in range(first, last + 1)], places


def _f(number: float) -> str:
    """A coordinate: one decimal, never '-0.0'."""
    shown = f"{number:.1f}"
    return "0.0" if shown == "-0.0" else shown


def chart_svg(measure: Mapping[str, Any], prefix: str) -> str:
    """The chart of `measure` as an SVG element; `prefix` makes its IDs unique on a page."""
    shown = points(measure)
    unit = str(measure["unit"])
    places = decimals(measure)
    values = [p["value"] for p in shown]
    for phase in measure["phases"]:
        values += [phase[key] for key in ("upper", "lower", "median") if phase.get(key) is not None]
    if measure.get("target") is not None:
        values.append(measure["target"])
    least, most = min(values, default=0.0), max(values, default=1.0)
    margin = (most - least) * 0.03  # nothing drawn on the plot's very edge
    ticks, tick_places = _ticks(least - margin, most + margin)
    low, high = ticks[0], ticks[-1]
    count = max(len(shown), 1)
    step = (RIGHT - LEFT) / count

    def x(index: float) -> float:
        return LEFT + (index + 0.5) * step

    def y(value: float) -> float:
        return BOTTOM - (value - low) / (high - low) * (BOTTOM - TOP)

    ident = text(prefix)
    legend, height = _legend(measure, shown)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="spc-chart" '
           f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
           f'aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT}" '
           f'font-size="12" fill="{INK}">',
           f'<title id="{ident}-title">{text(measure["title"])}</title>',
           f'<desc id="{ident}-desc">{text(describe(measure))}</desc>',
           f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
           f'<text x="{LEFT}" y="{TOP - 14}" font-weight="700">{text(unit)}</text>',
           '<g stroke="#E6E6E6" stroke-width="1">']
    out += [f'<line x1="{LEFT}" x2="{RIGHT}" y1="{_f(y(t))}" y2="{_f(y(t))}"/>' for t in ticks]
    out.append('</g><g text-anchor="end" font-size="11">')
    out += [f'<text x="{LEFT - 6}" y="{_f(y(t) + 4)}">{stat(t, tick_places)}</text>'
            for t in ticks]
    out.append("</g>")
    out += _phase_lines(measure, x, y, step, places)
    if measure.get("target") is not None:
        target = measure["target"]
        out.append(f'<line x1="{LEFT}" x2="{RIGHT}" y1="{_f(y(target))}" y2="{_f(y(target))}" '
                   f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="8 4">'
                   f'<title>Target {text(plain(target))}</title></line>')
    if shown:
        line = " ".join(f"{_f(x(i))},{_f(y(p['value']))}" for i, p in enumerate(shown))
        out.append(f'<polyline points="{line}" fill="none" stroke="{LINE}" '
                   'stroke-width="1.5"/>')
    out.append('<g stroke="#ffffff" stroke-width="1">')
    for index, point in enumerate(shown):
        special = point["signal"] != "common"
        out.append(f'<circle cx="{_f(x(index))}" cy="{_f(y(point["value"]))}" '
                   f'r="{5 if special else 4}" fill="{COLOURS[point["signal"]]}">'
                   f'<title>{text(point_words(point, unit))}</title></circle>')
    out.append('</g><g text-anchor="middle" font-size="11">')
    every = max(1, math.ceil(64 / step))
    for index in range(0, len(shown), every):
        out.append(f'<text x="{_f(x(index))}" y="{BOTTOM + 18}">'
                   f'{text(period_label(shown[index]["period"]))}</text>')
    out.append(f'</g><line x1="{LEFT}" x2="{RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}" '
               f'stroke="{INK}" stroke-width="1"/>')
    out += legend
    out.append("</svg>")
    return "".join(out)


def _phase_lines(measure: Mapping[str, Any], x: Any, y: Any, step: float,
                 places: int) -> list[str]:
    out = []
    start = 0
    phases: Sequence[Mapping[str, Any]] = measure["phases"]
    for number, phase in enumerate(phases):
        size = len(phase["points"])
        left, right = x(start) - step / 2, x(start + size - 1) + step / 2
        since = period_label(phase["points"][0]["period"])
        if number:
            out.append(f'<line x1="{_f(left)}" x2="{_f(left)}" y1="{TOP}" y2="{BOTTOM}" '
                       f'stroke="{INK}" stroke-width="1" stroke-dasharray="2 3">'
                       f'<title>Limits recalculated from {text(since)}</title></line>')
        lines = ([("mean", "Mean", "", 2), ("upper", "Upper process limit", "6 4", 1.5),
                  ("lower", "Lower process limit", "6 4", 1.5)]
                 if phase["kind"] == "xmr" else [("median", "Median", "2 2", 2)])
        for key, name, dash, width in lines:
            level = y(phase[key])
            colour = INK if key in ("mean", "median") else LINE
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line x1="{_f(left)}" x2="{_f(right)}" y1="{_f(level)}" '
                       f'y2="{_f(level)}" stroke="{colour}" stroke-width="{width}"{dashed}>'
                       f'<title>{name} {stat(phase[key], places)}, from {text(since)}'
                       '</title></line>')
        start += size
    return out


def _legend(measure: Mapping[str, Any], shown: Sequence[Mapping[str, Any]]
            ) -> tuple[list[str], int]:
    """The legend's elements, and the height of the chart with it."""
    signals = {p["signal"] for p in shown}
    kinds = {phase["kind"] for phase in measure["phases"]}
    items: list[tuple[str, str]] = [  # (swatch kind:colour:dash, words)
        (f"dot:{COLOURS[s]}:", LEGEND_WORDS[s])
        for s in ("common", "improvement", "concern", "neither") if s in signals]
    if "xmr" in kinds:
        items += [(f"line:{INK}:", "Mean"), (f"line:{LINE}:6 4", "Process limits")]
    if "run" in kinds:
        items.append((f"line:{INK}:2 2", "Median"))
    if measure.get("target") is not None:
        items.append((f"line:{TARGET}:8 4", "Target"))
    out = ['<g font-size="11">']
    across: float = LEFT
    row = BOTTOM + 48
    for swatch, words in items:
        width = 40 + 6.6 * len(words)
        if across + width > RIGHT:
            across, row = LEFT, row + 20
        kind, colour, dash = swatch.split(":")
        if kind == "dot":
            out.append(f'<circle cx="{_f(across + 6)}" cy="{row - 4}" r="5" fill="{colour}"/>')
        else:
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line x1="{_f(across)}" x2="{_f(across + 16)}" y1="{row - 4}" '
                       f'y2="{row - 4}" stroke="{colour}" stroke-width="2"{dashed}/>')
        out.append(f'<text x="{_f(across + 22)}" y="{row}">{text(words)}</text>')
        across += width
    out.append("</g>")
    return out, row + 14


def icon_svg(measure: Mapping[str, Any], which: str) -> str:
    """The variation or assurance icon of a measure as a small SVG (decorative: the page
    says the same in words beside it), or '' when it has none."""
    if which not in ("variation", "assurance"):
        raise ValueError(f"an icon is 'variation' or 'assurance', not {which!r}")
    code = measure.get(which)
    if not code:
        return ""
    head = ('<svg xmlns="http://www.w3.org/2000/svg" class="spc-icon" viewBox="0 0 48 48" '
            f'width="48" height="48" aria-hidden="true" focusable="false" font-family="{FONT}">')
    if which == "variation":
        signal, _, side = code.partition("-")
        colour = COLOURS["common" if signal == "common" else signal]
        heights = ([30, 30, 30, 30, 30] if signal == "common" else
                   [32, 30, 32, 24, 18] if side == "high" else [22, 24, 22, 30, 36])
        dots = "".join(
            f'<circle cx="{12 + 6 * n}" cy="{h}" r="2.6" fill="'
            f'{colour if signal != "common" and n >= 3 else COLOURS["common"]}"/>'
            for n, h in enumerate(heights))
        letter = ("" if signal == "common" else
                  f'<text x="24" y="17" text-anchor="middle" font-size="11" font-weight="700" '
                  f'fill="{colour}">{"H" if side == "high" else "L"}</text>')
        return (f'{head}<circle cx="24" cy="24" r="21" fill="#ffffff" stroke="{colour}" '
                f'stroke-width="3"/>{letter}{dots}</svg>')
    colour = {"consistent-pass": COLOURS["improvement"], "consistent-fail": COLOURS["concern"],
              "inconsistent": COLOURS["common"]}[code]
    letter = {"consistent-pass": "P", "consistent-fail": "F", "inconsistent": "?"}[code]
    return (f'{head}<circle cx="24" cy="24" r="21" fill="#ffffff" stroke="{colour}" '
            f'stroke-width="3"/><line x1="10" x2="38" y1="33" y2="33" stroke="{TARGET}" '
            f'stroke-width="1.5" stroke-dasharray="3 2"/><text x="24" y="28" '
            f'text-anchor="middle" font-size="18" font-weight="700" fill="{colour}">{letter}'
            '</text></svg>')
