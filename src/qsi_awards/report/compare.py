"""`qsi compare`'s reporters: text, JSON, Markdown and an Excel workbook, over
judging/compare.py's Comparison. Every format but JSON shows the same sections
(`sections`), one column per edition; an edition's embargoed results read "embargoed"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from ..controls import escaped
from ..dates import short_date
from ..judging.adoption import STAGES
from ..judging.compare import Comparison, Edition
from ..render.text import md_escape
from . import Reporter, json_text, writing
from .adoption import STAGE_LABEL
from .tables import Cell, Table, workbook

EMBARGOED = "embargoed"

Section = tuple[str, list[tuple[str, list[Cell]]]]  # title, then (measure, one cell each)


def _union(editions: tuple[Edition, ...], keys: Callable[[Edition], dict[str, Any]]
           ) -> list[str]:
    """Every key any edition has, in the order they first appear."""
    return list(dict.fromkeys(key for e in editions for key in keys(e)))


def sections(comparison: Comparison) -> list[Section]:
    """The comparison as titled tables of measures, one cell per edition."""
    editions = comparison.editions

    def row(measure: str, cell: Callable[[Edition], Cell]) -> tuple[str, list[Cell]]:
        return measure, [cell(e) for e in editions]

    titles: dict[str, str] = {}
    for e in reversed(editions):  # the first edition's title of a category stands
        titles.update(e.category_titles)

    def result(cell: Callable[[Any], Cell]) -> Callable[[Edition], Cell]:
        return lambda e: EMBARGOED if e.results is None else cell(e.results)

    return [
        ("Programme", [
            row("Name", lambda e: e.programme), row("Edition", lambda e: e.edition),
            row("Region", lambda e: e.region), row("Results released", lambda e: e.released),
            row("Release date", lambda e: e.release_date)]),
        ("Entries", [
            row("Entries", lambda e: e.entries), row("Organisations", lambda e: e.organisations),
            row("Judges", lambda e: e.judges)]),
        # a category an edition does not have is empty, not 0
        ("Categories", [(f"{titles[c]} ({c})", [e.categories.get(c) for e in editions])
                        for c in _union(editions, lambda e: e.categories)]),
        ("Care settings", [(s, [e.settings.get(s, 0) for e in editions])
                           for s in _union(editions, lambda e: e.settings)]),
        ("Themes", [(t, [e.themes.get(t, 0) for e in editions])
                    for t in _union(editions, lambda e: e.themes)]),
        ("Judging rules", [
            row("Judges per entry", lambda e: e.rules.judges_per_entry),
            row("Method", lambda e: e.rules.method), row("Scale", lambda e: e.rules.scale),
            row("Criteria", lambda e: e.rules.criteria),
            row("Shortlist places", lambda e: e.rules.shortlist_size),
            row("Highly commended places", lambda e: e.rules.highly_commended)]),
        ("Scores and awards", [
            row("Judgements counted", result(lambda r: r.judgements)),
            row("Entries scored", result(lambda r: r.scored)),
            row("Mean entry score", result(lambda r: r.mean)),
            row("Lowest entry score", result(lambda r: r.lowest)),
            row("Highest entry score", result(lambda r: r.highest)),
            row("Winners", result(lambda r: r.winners)),
            row("Highly commended", result(lambda r: r.highly_commended))]),
        ("Adoption", [(STAGE_LABEL[stage], [e.adoption[stage] for e in editions])
                      for stage in STAGES]),
    ]


def _text(cell: Cell) -> str:
    if cell is None:
        return "—"
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, dt.date):
        return short_date(cell)
    if isinstance(cell, float):
        return f"{cell:.2f}"
    return " ".join(str(cell).split())


def _intro(comparison: Comparison) -> str:
    return (f"Compared on {short_date(comparison.today)}. Scores and awards are shown only "
            "for editions whose results are released; the others say \"embargoed\".")


def to_text(comparison: Comparison) -> str:
    labels = [e.label for e in comparison.editions]
    lines = [_intro(comparison)]
    for title, rows in sections(comparison):
        grid = [[title, *labels], *([measure, *map(_text, cells)] for measure, cells in rows)]
        widths = [max(len(line[i]) for line in grid) for i in range(len(grid[0]))]
        lines.append("")
        for number, line in enumerate(grid):
            lines.append("  ".join(cell.ljust(width) if i == 0 else cell.rjust(width)
                                   for i, (cell, width) in enumerate(zip(line, widths,
                                                                         strict=True))
                                   ).rstrip())
            if number == 0:
                lines.append("  ".join("-" * width for width in widths))
    return escaped("\n".join(lines) + "\n")


def to_markdown(comparison: Comparison) -> str:
    labels = [md_escape(e.label) for e in comparison.editions]
    lines = ["# Editions compared", "", md_escape(_intro(comparison))]
    for title, rows in sections(comparison):
        lines += ["", f"## {title}", "", "| " + " | ".join(["", *labels]) + " |",
                  "|---|" + "---:|" * len(labels)]
        lines += ["| " + " | ".join([md_escape(measure), *(md_escape(_text(c)) for c in cells)])
                  + " |" for measure, cells in rows]
    return escaped("\n".join(lines) + "\n")


def _edition_dict(e: Edition) -> dict[str, Any]:
    return {
        "label": e.label, "programme": e.programme, "edition": e.edition, "region": e.region,
        "results": {"released": e.released,
                    "release_date": e.release_date.isoformat() if e.release_date else None},
        "entries": e.entries, "organisations": e.organisations, "judges": e.judges,
        "categories": [{"id": c, "title": e.category_titles[c], "entries": n}
                       for c, n in e.categories.items()],
        "settings": e.settings, "themes": e.themes, "rules": asdict(e.rules),
        "scores": EMBARGOED if e.results is None else asdict(e.results),
        "adoption": e.adoption,
    }


def to_json(comparison: Comparison) -> str:
    document = {"today": comparison.today.isoformat(),
                "editions": [_edition_dict(e) for e in comparison.editions]}
    return json_text(document)


def tables(comparison: Comparison) -> list[Table]:
    """A sheet per section: a row per measure, a column per edition."""
    labels = tuple(e.label for e in comparison.editions)
    return [Table(title, ("Measure", *labels), tuple((measure, *cells) for measure, cells in rows))
            for title, rows in sections(comparison)]


REPORTERS: dict[str, Reporter[Comparison]] = {
    "text": writing(to_text), "json": writing(to_json), "markdown": writing(to_markdown),
    "xlsx": workbook(tables, "compare.xlsx")}
