"""A feedback report's chart: the entry's score and criterion scores against its
category, drawn by hand as SVG like the MDC charts (render/chart.py): deterministic,
accessible (a title, a description in words, a tooltip on every mark; the report adds
the same numbers as a table) and the same in a browser and a PDF.

One row per score, on the rubric's scale: a grey bar from the category's lower to its
upper quartile (the middle half of its entries), a dark tick at its median, and a dot
for the entry. Given as plain data (render/feedback.py's `rows`): `label`, `value`,
`q1`, `median`, `q3` (numbers, or None) with their `shown` texts, and the scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .chart import FONT, INK, _f, text

WIDTH = 640
LABEL = 232  # the plot starts here; the labels are to its left
RIGHT = 560  # the plot ends here; the entry's score is printed to its right
ROW = 30
TOP = 28  # room for the scale's numbers above the first row
DOT = "#005EB8"  # NHS blue: the entry
BAND = "#C8D6E5"  # the middle half of the category
GRID = "#E6E6E6"


def _ticks(low: int, high: int) -> list[int]:
    """Whole numbers across the scale, at most 11 of them."""
    step = max(1, -(-(high - low) // 10))
    return list(range(low, high + 1, step)) if high > low else [low]


def describe(row: Mapping[str, Any]) -> str:
    """One row in words, for the description and the tooltips."""
    own = (f"{row['label']}: this entry {row['value_shown']}" if row["value"] is not None
           else f"{row['label']}: this entry has no score")
    if row["median"] is None:
        return own + "."
    return (f"{own}; the category's median {row['median_shown']}, its middle half "
            f"{row['q1_shown']} to {row['q3_shown']}.")


def score_chart_svg(rows: Sequence[Mapping[str, Any]], scale: Mapping[str, int],
                    prefix: str) -> str:
    """The chart of `rows` on `scale` (`min`, `max`) as an SVG element; `prefix` makes its
    IDs unique on the page."""
    low, high = int(scale["min"]), int(scale["max"])
    span = (high - low) or 1
    height = TOP + ROW * len(rows) + 34

    def x(value: float) -> float:
        return LABEL + (value - low) / span * (RIGHT - LABEL)

    ident = text(prefix)
    words = " ".join(describe(row) for row in rows)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="score-chart" '
           f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
           f'aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT}" '
           f'font-size="12" fill="{INK}">',
           f'<title id="{ident}-title">Scores against the category</title>',
           f'<desc id="{ident}-desc">{text(words)}</desc>',
           f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
           f'<g stroke="{GRID}" stroke-width="1">']
    bottom = TOP + ROW * len(rows)
    out += [f'<line x1="{_f(x(t))}" x2="{_f(x(t))}" y1="{TOP - 4}" y2="{bottom}"/>'
            for t in _ticks(low, high)]
    out.append('</g><g text-anchor="middle" font-size="11">')
    out += [f'<text x="{_f(x(t))}" y="{TOP - 8}">{t}</text>' for t in _ticks(low, high)]
    out.append("</g>")
    for index, row in enumerate(rows):
        middle = TOP + ROW * index + ROW / 2
        out.append(f'<text x="{LABEL - 8}" y="{_f(middle + 4)}" text-anchor="end">'
                   f'{text(row["label"])}</text>')
        if row["median"] is not None:
            out.append(f'<rect x="{_f(x(row["q1"]))}" y="{_f(middle - 7)}" '
                       f'width="{_f(x(row["q3"]) - x(row["q1"]))}" height="14" '
                       f'fill="{BAND}"><title>{text(describe(row))}</title></rect>')
            out.append(f'<line x1="{_f(x(row["median"]))}" x2="{_f(x(row["median"]))}" '
                       f'y1="{_f(middle - 9)}" y2="{_f(middle + 9)}" stroke="{INK}" '
                       f'stroke-width="2.5"/>')
        if row["value"] is not None:
            out.append(f'<circle cx="{_f(x(row["value"]))}" cy="{_f(middle)}" r="6" '
                       f'fill="{DOT}" stroke="#ffffff" stroke-width="1.5">'
                       f'<title>{text(describe(row))}</title></circle>')
        out.append(f'<text x="{RIGHT + 14}" y="{_f(middle + 4)}" font-weight="700">'
                   f'{text(row["value_shown"])}</text>')
    legend = bottom + 22
    out += [f'<circle cx="{LABEL + 6}" cy="{legend - 4}" r="6" fill="{DOT}"/>',
            f'<text x="{LABEL + 18}" y="{legend}">This entry</text>',
            f'<rect x="{LABEL + 100}" y="{legend - 11}" width="24" height="14" fill="{BAND}"/>',
            f'<text x="{LABEL + 130}" y="{legend}">Middle half of the category</text>',
            f'<line x1="{LABEL + 312}" x2="{LABEL + 312}" y1="{legend - 13}" y2="{legend + 5}" '
            f'stroke="{INK}" stroke-width="2.5"/>',
            f'<text x="{LABEL + 320}" y="{legend}">Median</text>',
            "</svg>"]
    return "".join(out)
