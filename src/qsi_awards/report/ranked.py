"""`qsi tally`'s reporters for a ranked round: per category the finalists in Schulze
order with their awards and flags, how many ballots have a say on each and its Borda
total (which explains, never decides); JSON also gives the pairwise counts and the
strongest paths; the workbook has About, Results and Undecided sheets. `explain` is the
audit trail behind one finalist. Deterministic."""

from __future__ import annotations

from typing import Any, TextIO

from ..controls import escaped
from ..errors import QsiError
from ..judging.ranked import RankedCategory, RankedResults
from ..judging.tally import EntryResult
from ..render.text import md_escape
from . import Reporter, json_text, writing
from .tables import Cell, Table, csv_of, workbook
from .tally import (
    AWARD_LABEL,
    CONFIDENTIAL,
    _undecided_text,
    about,
    summary_reporter,
    undecided_table,
)
from .vote import explanation, matrix, number


def _entry(category: RankedCategory, r: EntryResult) -> dict[str, Any]:
    borda = category.count.borda.get(r.entry)
    out: dict[str, Any] = {
        "rank": r.rank, "entry": r.entry, "title": r.title, "organisation": r.organisation,
        "ballots": category.say.get(r.entry, 0),
        "borda": None if borda is None else number(borda),
        "award": r.award, "flags": list(r.flags)}
    if "overridden" in r.flags:
        out["tally_award"] = r.tally_award
    return out


def as_dict(ranked: RankedResults) -> dict[str, Any]:
    results = ranked.results
    return {
        "round": ranked.round.id, "programme": results.programme, "edition": results.edition,
        "method": "ranked",
        "confidential": True,  # the whole report, as the rubric tally's
        "categories": [{
            "id": c.id, "title": c.title,
            "entries": [_entry(c, r) for r in c.result.entries],
            "ranking": [list(group) for group in c.count.ranking],
            "pairwise": matrix(c.count, c.count.pairwise),
            "strongest": matrix(c.count, c.count.strongest),
            "undecided": c.result.undecided,
            "decision": (c.result.decision.model_dump(mode="json", exclude_unset=True)
                         if c.result.decision is not None else None),
        } for c in ranked.categories],
    }


def to_json(ranked: RankedResults) -> str:
    return json_text(as_dict(ranked))


CSV_COLUMNS = ("category", "rank", "entry", "title", "organisation", "ballots", "borda",
               "award", "tally_award", "flags")


def csv_table(ranked: RankedResults) -> Table:
    """The CSV: one row per finalist, awards by ID."""
    rows: list[tuple[Cell, ...]] = []
    for category in ranked.categories:
        for r in category.result.entries:
            row = _entry(category, r)
            rows.append((category.id, r.rank, r.entry, r.title, r.organisation, row["ballots"],
                         row["borda"], r.award, row.get("tally_award"), " ".join(r.flags)))
    return Table("Tally", CSV_COLUMNS, tuple(rows))


def tables(ranked: RankedResults) -> list[Table]:
    """A ranked round's tally as tables: About, Results (one row per finalist) and
    Undecided."""
    rows: list[tuple[Cell, ...]] = []
    for category in ranked.categories:
        for r in category.result.entries:
            row = _entry(category, r)
            rows.append((category.id, r.rank, r.entry, r.title, r.organisation, row["ballots"],
                         row["borda"], AWARD_LABEL[r.award] or None,
                         AWARD_LABEL[row.get("tally_award")] or None,
                         ", ".join(r.flags) or None))
    results = ranked.results
    return [about(results.programme, results.edition, ranked.round.id, "ranked (Schulze)"),
            Table("Results", ("Category", "Rank", "Entry", "Title", "Organisation", "Ballots",
                              "Borda", "Award", "Tally award", "Flags"), tuple(rows)),
            undecided_table([c.result for c in ranked.categories])]


def _award(r: EntryResult) -> str:
    award = AWARD_LABEL[r.award]
    if "overridden" in r.flags:
        award += f" (tally: {AWARD_LABEL[r.tally_award] or 'none'})"
    return award


def _rows(category: RankedCategory) -> list[list[str]]:
    rows = []
    for r in category.result.entries:
        row = _entry(category, r)
        rows.append([str(r.rank or "—"), f"{r.title} ({r.entry})", r.organisation,
                     str(row["ballots"]), "—" if row["borda"] is None else str(row["borda"]),
                     _award(r), ", ".join(r.flags)])
    return rows


HEADINGS = ["Rank", "Entry", "Organisation", "Ballots", "Borda", "Award", "Flags"]


def _title(ranked: RankedResults) -> str:
    results = ranked.results
    return (f"{results.programme} {results.edition}: {ranked.round.title} "
            f"(round {ranked.round.id}, ranked by the Schulze method)")


def to_markdown(ranked: RankedResults) -> str:
    lines = [f"# {md_escape(_title(ranked))}", "", f"> **{CONFIDENTIAL}**", "",
             "Finalists in Schulze order; ties are never broken. Borda (n−1 … 0 points, ties "
             "shared) explains the order and never decides it.", ""]
    for category in ranked.categories:
        lines += [f"## {md_escape(category.title)}", ""]
        if not category.result.entries:
            lines += ["No finalists.", ""]
            continue
        lines += ["| " + " | ".join(HEADINGS) + " |", "|---:|---|---|---:|---:|---|---|"]
        for row in _rows(category):
            lines.append("| " + " | ".join([row[0], md_escape(row[1]), md_escape(row[2]),
                                            *row[3:]]) + " |")
        lines.append("")
        for text in _undecided_text(category.result):
            lines += [f"> {text}", ""]
        if category.result.decision:
            lines += [f"> Decision: {md_escape(category.result.decision.reason)}", ""]
    return escaped("\n".join(lines).rstrip("\n") + "\n")


def table(ranked: RankedResults, out: TextIO, /) -> None:
    from rich import box
    from rich.console import Console
    from rich.markup import escape as escape_markup
    from rich.table import Table

    def escape(text: str) -> str:
        return escape_markup(escaped(text))

    console = Console(file=out, highlight=False)
    if not console.is_terminal:
        console.width = 140
    console.print(f"[bold]{escape(_title(ranked))}[/]")
    console.print(f"[bold red]{escape(CONFIDENTIAL)}[/]")
    for category in ranked.categories:
        grid = Table(title=escape(category.title), box=box.SIMPLE_HEAVY, title_justify="left")
        for heading in HEADINGS:
            grid.add_column(heading, justify="right" if heading in (
                "Rank", "Ballots", "Borda") else "left")
        for row in _rows(category):
            grid.add_row(*(escape(cell) for cell in row))
        console.print(grid)
        for text in _undecided_text(category.result):
            console.print(f"  [yellow]{escape(text)}[/]")
        if category.result.decision:
            console.print(f"  Decision: {escape(category.result.decision.reason)}")


def explain(ranked: RankedResults, entry_id: str) -> str:
    """The audit trail behind one finalist: its category's ballots, the pairwise counts,
    the strongest paths and where that leaves it."""
    category = ranked.category_of(entry_id)
    if category is None:
        raise QsiError(f"'{entry_id}' is not a finalist in the round '{ranked.round.id}'; the "
                       "finalists are listed by 'qsi tally --round " + ranked.round.id + "'.")
    r = next(e for e in category.result.entries if e.entry == entry_id)
    lines = [f"{r.title} ({r.entry})", f"Category: {category.title} ({category.id})",
             f"Round: {ranked.round.title} ({ranked.round.id}), ranked by the Schulze method",
             "", "Ballots (best first; '=' ties; finalists left out tie below):"]
    for ballot in category.ballots:
        text = " > ".join(" = ".join(sorted(group)) for group in ballot.ranking) or "(none ranked)"
        lines.append(f"  {ballot.judge}: {text}")
        lines += [f"    no say on {name}: {why}" for name, why in sorted(ballot.excluded.items())]
    lines += [f"  {judge}: not counted, {why}" for judge, why in category.not_counted]
    if not category.ballots:
        lines.append("  none yet")
    lines.append("")
    if "incomplete" in r.flags:
        lines.append(f"{r.entry} has {category.say.get(r.entry, 0)} ballot(s) with a say of the "
                     f"{ranked.round.judges_per_entry} it needs, so it is not counted yet.")
    else:
        lines += explanation(category.count)
    lines.append("")
    lines.append(f"Rank: {r.rank or 'none'}; award: {AWARD_LABEL[r.award] or 'none'}"
                 + (f" (the count alone gave: {AWARD_LABEL[r.tally_award] or 'none'})"
                    if "overridden" in r.flags else "") + ".")
    if "tie" in r.flags:
        peers = [e.entry for e in category.result.entries if e.rank == r.rank and e is not r]
        lines.append(f"Tied with {', '.join(peers)}: neither beats the other (or they are "
                     "linked by such ties); the count never breaks a tie.")
    for open_group in category.result.undecided:
        if r.entry in open_group["entries"]:
            lines.append("Open places from this tie: "
                         + ", ".join(AWARD_LABEL[a].lower() for a in open_group["awards"]))
    if category.result.decision is not None and "overridden" in r.flags:
        lines.append(f"Decision: {category.result.decision.reason}")
    lines += ["", CONFIDENTIAL]
    return escaped("\n".join(lines) + "\n")


# "github" assumes a public repository; the command line gives it the programme's setting
REPORTERS: dict[str, Reporter[RankedResults]] = {
    "table": table, "json": writing(to_json), "csv": csv_of(csv_table),
    "markdown": writing(to_markdown), "xlsx": workbook(tables, "tally.xlsx"),
    "github": summary_reporter(False, to_markdown)}
