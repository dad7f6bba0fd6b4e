"""`qsi tally`'s reporters: a rich table, JSON (the SPEC shape), CSV, Markdown and an
Excel workbook (`tables`: About, Results, Judgements, Undecided); and the audit trail
behind one entry (`--explain`). Deterministic: the same results give the same bytes."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

from ..controls import escaped
from ..errors import QsiError
from ..judging.tally import AWARD_LABELS, CategoryResult, EntryResult, Results, round2
from ..render.text import md_escape
from . import Reporter, json_text, writing
from .findings import append_summary
from .tables import Cell, Table, csv_of, workbook

T = TypeVar("T")

AWARD_LABEL: dict[str | None, str] = dict([*AWARD_LABELS.items(), (None, "")])
# Every report of the tally says so: it holds every score and rank.
CONFIDENTIAL = ("Confidential: every score and rank, for the programme team and the steering "
                "group only; publish the results with 'qsi render' once they are released.")


def _num(value: Any) -> float | None:
    return None if value is None else round2(value)


def entry_dict(result: EntryResult, method: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rank": result.rank,
        "entry": result.entry,
        "title": result.title,
        "organisation": result.organisation,
        "score": _num(result.score),
    }
    if method == "zscore":
        out["z"] = _num(result.z)
    out.update({
        "judgements": len(result.judgements),
        "spread": _num(result.spread),
        "award": result.award,
        "flags": list(result.flags),
    })
    if "overridden" in result.flags:
        out["tally_award"] = result.tally_award
    return out


def as_dict(results: Results) -> dict[str, Any]:
    out = {
        "programme": results.programme,
        "edition": results.edition,
        "method": results.method,
        "confidential": True,  # the whole report: see CONFIDENTIAL
        "categories": [
            {
                "id": category.id,
                "title": category.title,
                "entries": [entry_dict(r, results.method) for r in category.entries],
                "undecided": category.undecided,
                "decision": (category.decision.model_dump(mode="json", exclude_unset=True)
                             if category.decision is not None else None),
                **({"no_award": category.no_award} if category.no_award else {}),
            }
            for category in results.categories
        ],
    }
    return {"round": results.round, **out} if results.round is not None else out


def to_json(results: Results) -> str:
    return json_text(as_dict(results))


CSV_COLUMNS = ("category", "rank", "entry", "title", "organisation", "score", "z",
               "judgements", "spread", "award", "tally_award", "flags")


def csv_table(results: Results) -> Table:
    """The CSV: one row per entry, awards by ID."""
    rows: list[tuple[Cell, ...]] = []
    for category in results.categories:
        for r in category.entries:
            row = entry_dict(r, results.method)
            rows.append((category.id, row["rank"], r.entry, r.title, r.organisation,
                         row["score"], row.get("z"), row["judgements"], row["spread"],
                         row["award"], row.get("tally_award"), " ".join(r.flags)))
    return Table("Tally", CSV_COLUMNS, tuple(rows))


def about(programme: str, edition: str, round_id: str | None, method: str) -> Table:
    """A tally workbook's first sheet: what it is, and that it is confidential."""
    rows: list[tuple[Cell, ...]] = [("Programme", programme), ("Edition", edition)]
    if round_id is not None:
        rows.append(("Round", round_id))
    rows += [("Method", method), ("Confidential", CONFIDENTIAL)]
    return Table("About", ("Field", "Value"), tuple(rows))


def undecided_table(categories: list[CategoryResult]) -> Table:
    """The places a tie left open, category by category."""
    return Table("Undecided", ("Category", "Places open", "Tied entries"), tuple(
        (category.id, ", ".join(AWARD_LABEL[a] for a in group["awards"]),
         ", ".join(group["entries"]))
        for category in categories for group in category.undecided))


def tables(results: Results) -> list[Table]:
    """The tally as tables: About; Results, one row per entry (scores rounded to 2
    decimals, as in JSON); Judgements, each counted judgement's S and criterion scores;
    Undecided, the places ties left open."""
    zscore = results.method == "zscore"
    columns = ["Category", "Rank", "Entry", "Title", "Organisation", "Score"]
    columns += ["z"] if zscore else []
    columns += ["Judgements", "Spread", "Award", "Tally award", "Flags"]
    rows: list[tuple[Cell, ...]] = []
    criteria: dict[str, None] = {}
    for category in results.categories:
        for r in category.entries:
            row = entry_dict(r, results.method)
            cells: list[Cell] = [category.id, r.rank, r.entry, r.title, r.organisation,
                                 row["score"]]
            cells += [row["z"]] if zscore else []
            cells += [row["judgements"], row["spread"], AWARD_LABEL[r.award] or None,
                      AWARD_LABEL[row.get("tally_award")] or None, ", ".join(r.flags) or None]
            rows.append(tuple(cells))
            for js in r.judgements:
                criteria.update(dict.fromkeys(js.scores))
    judgements = tuple(
        (category.id, r.entry, js.judge, round2(js.weighted),
         *(js.scores.get(c) for c in criteria))
        for category in results.categories for r in category.entries for js in r.judgements)
    return [about(results.programme, results.edition, results.round, results.method),
            Table("Results", tuple(columns), tuple(rows)),
            Table("Judgements", ("Category", "Entry", "Judge", "S", *criteria), judgements),
            undecided_table(results.categories)]


def _score_text(value: Any) -> str:
    return "—" if value is None else f"{round2(value):.2f}"


def _undecided_text(category: CategoryResult) -> list[str]:
    lines = [category.no_award[:1].upper() + category.no_award[1:] + "."
             ] if category.no_award else []
    for open_group in category.undecided:
        awards = ", ".join(AWARD_LABEL[a].lower() for a in open_group["awards"])
        lines.append(f"Undecided: {awards} — tie between {', '.join(open_group['entries'])}; "
                     "the steering group decides (decisions.yaml).")
    return lines


def to_markdown(results: Results) -> str:
    lines = [f"# {md_escape(results.programme)} {md_escape(results.edition)}: tally", "",
             f"> **{CONFIDENTIAL}**", "",
             f"Method: `{results.method}`. Scores rounded to 2 decimals; ranking uses full "
             "precision.", ""]
    for category in results.categories:
        lines += [f"## {md_escape(category.title)}", ""]
        if not category.entries:
            lines += ["No entries.", ""]
            continue
        header = "| Rank | Entry | Organisation | Score |"
        rule = "|---:|---|---|---:|"
        if results.method == "zscore":
            header += " z |"
            rule += "---:|"
        lines += [header + " Judges | Spread | Award | Flags |", rule + "---:|---:|---|---|"]
        for r in category.entries:
            row = (f"| {r.rank or '—'} | {md_escape(r.title)} (`{r.entry}`) | "
                   f"{md_escape(r.organisation)} | ")
            row += f"{_score_text(r.score)} |"
            if results.method == "zscore":
                row += f" {_score_text(r.z)} |"
            award = AWARD_LABEL[r.award]
            if "overridden" in r.flags:
                award += f" (tally: {AWARD_LABEL[r.tally_award] or 'none'})"
            row += (f" {len(r.judgements)} | {_score_text(r.spread)} | {award} | "
                    f"{', '.join(r.flags)} |")
            lines.append(row)
        lines.append("")
        for text in _undecided_text(category):
            lines += [f"> {text}", ""]
        if category.decision:
            lines += [f"> Decision: {md_escape(category.decision.reason)}", ""]
    return escaped("\n".join(lines).rstrip("\n") + "\n")


def table(results: Results, out: TextIO, /) -> None:
    """A table per category, for the screen (rich; plain text when `out` is no terminal)."""
    from rich import box
    from rich.console import Console
    from rich.markup import escape as escape_markup
    from rich.table import Table

    def escape(text: str) -> str:
        return escape_markup(escaped(text))

    console = Console(file=out, highlight=False)
    if not console.is_terminal:
        console.width = 140
    console.print(f"[bold]{escape(results.programme)} {escape(results.edition)}[/] — "
                  f"tally by {results.method}")
    console.print(f"[bold red]{escape(CONFIDENTIAL)}[/]")
    for category in results.categories:
        grid = Table(title=escape(category.title), box=box.SIMPLE_HEAVY, title_justify="left")
        grid.add_column("Rank", justify="right")
        grid.add_column("Entry")
        grid.add_column("Organisation")
        grid.add_column("Score", justify="right")
        if results.method == "zscore":
            grid.add_column("z", justify="right")
        grid.add_column("Judges", justify="right")
        grid.add_column("Spread", justify="right")
        grid.add_column("Award")
        grid.add_column("Flags")
        for r in category.entries:
            award = AWARD_LABEL[r.award]
            if "overridden" in r.flags:
                award += f" (tally: {AWARD_LABEL[r.tally_award] or 'none'})"
            cells = [str(r.rank or "—"), escape(f"{r.title} ({r.entry})"),
                     escape(r.organisation), _score_text(r.score)]
            if results.method == "zscore":
                cells.append(_score_text(r.z))
            cells += [str(len(r.judgements)), _score_text(r.spread), award, ", ".join(r.flags)]
            grid.add_row(*cells)
        console.print(grid)
        for text in _undecided_text(category):
            console.print(f"  [yellow]{escape(text)}[/]")
        if category.decision:
            console.print(f"  Decision: {escape(category.decision.reason)}")


def explain(results: Results, entry_id: str) -> str:
    """The audit trail behind one entry's result, in plain text (QsiError for an entry
    that does not exist). Each judgement's scores are on the criteria of the entry's
    rubric, in its order."""
    found = results.entry(entry_id)
    if found is None:
        raise QsiError(f"There is no entry '{entry_id}'; the entries are the file names in "
                       "entries/ without .md.")
    category, r = found
    lines = [f"{r.title} ({r.entry})", f"Category: {category.title} ({category.id})",
             f"Organisation: {r.organisation}", f"Method: {results.method}", ""]
    lines.append("Counted judgements (S = Σ weight × score / Σ weight):")
    if not r.judgements:
        lines.append("  none")
    for js in r.judgements:
        parts = ", ".join(f"{c} {score}" for c, score in js.scores.items())
        line = f"  {js.judge}: {parts} -> S = {float(js.weighted):.4f}"
        if js.z is not None:
            sigma = "pooled σ" if js.pooled else "own σ"
            line += (f"; z = (S − μ {float(js.mu or 0):.4f}) / {sigma} "
                     f"{js.sigma or 0:.4f} = {js.z:.4f}")
        lines.append(line)
    if r.excluded:
        lines.append("Not counted:")
        lines += [f"  {judge}: {why}" for judge, why in r.excluded]
    lines.append("")
    if r.score is None:
        lines.append("Entry score: none (no complete judgements).")
    elif results.method == "zscore":
        assert r.z is not None and results.pooled_mean is not None
        lines.append(f"Entry score: mean z = {r.z:.4f}; rescaled μ_all + z·σ_all = "
                     f"{float(results.pooled_mean):.4f} + {r.z:.4f} × "
                     f"{results.pooled_sigma or 0:.4f} = {float(r.score):.4f} "
                     f"(shown as {round2(r.score):.2f})")
    else:
        values = " + ".join(f"{float(js.weighted):.4f}" for js in r.judgements)
        lines.append(f"Entry score: ({values}) / {len(r.judgements)} = {float(r.score):.4f} "
                     f"(shown as {round2(r.score):.2f})")
    if r.spread is not None:
        lines.append(f"Spread (highest S − lowest S): {float(r.spread):.4f}"
                     + (" — judges disagree strongly" if "disagreement" in r.flags else ""))
    if r.tiebreak:
        lines.append("Tiebreak means: " + ", ".join(f"{float(v):.4f}" for v in r.tiebreak))
    lines.append("")
    if r.rank is None:
        lines.append("Rank: none — the entry is incomplete (too few complete judgements), so it "
                     "is listed after the ranked entries and cannot be awarded.")
    else:
        lines.append(f"Rank: {r.rank} of {sum(1 for e in category.entries if e.rank)} ranked "
                     f"entries in {category.id}.")
        if "tie" in r.flags:
            peers = [e.entry for e in category.entries if e.rank == r.rank and e is not r]
            lines.append(f"Tied with {', '.join(peers)} on score and every tiebreak; the "
                         "tally never breaks a tie.")
    award = AWARD_LABEL[r.award] or "none"
    if "overridden" in r.flags:
        lines.append(f"Award: {award}, by the steering group's decision "
                     f"(the scores alone gave: {AWARD_LABEL[r.tally_award] or 'none'}).")
        if category.decision:
            lines.append(f"Reason: {category.decision.reason}")
    else:
        lines.append(f"Award: {award}.")
    for open_group in category.undecided:
        if r.entry in open_group["entries"]:
            lines.append("Open places from this tie: "
                         + ", ".join(AWARD_LABEL[a].lower() for a in open_group["awards"]))
    lines += ["", CONFIDENTIAL]
    return escaped("\n".join(lines) + "\n")


# The GitHub Actions events whose job summary may hold the tally: a push (to the default
# branch, in qsi's workflow), a manual run, a scheduled one. Never a pull request's: the
# people who can see a pull request's checks are not only the programme team.
SUMMARY_EVENTS = ("push", "workflow_dispatch", "schedule")


def github(private: bool) -> Reporter[Results]:
    """The reporter for GitHub Actions: the tally goes into the job summary (the file
    GITHUB_STEP_SUMMARY names) only on a push, manual or scheduled run (GITHUB_EVENT_NAME)
    of a repository that programme.yaml says is private (`private`); otherwise the
    summary says why it is not there. The log (`out`) never holds the tally."""
    return summary_reporter(private, to_markdown)


def summary_reporter(private: bool, to_markdown: Callable[[T], str]) -> Reporter[T]:
    """github() for any tally (a rubric round's, a ranked round's), as `to_markdown`
    writes it."""

    def reporter(results: T, out: TextIO, /) -> None:
        event = os.environ.get("GITHUB_EVENT_NAME", "")
        if event not in SUMMARY_EVENTS:
            why = (f"The tally is not shown on a {event or 'run that is not a push'}: it "
                   "goes into the job summary only on a push to the default branch (or a "
                   "manual run), never on a pull request. Run 'qsi tally' on your own "
                   "computer.")
        elif not private:
            why = ("The tally is not shown here: programme.yaml says this repository is "
                   "public (repository: public, the default), so anyone could read this "
                   "summary. If only the programme team can read the repository and its "
                   "Actions logs, set repository: private in programme.yaml; or run 'qsi "
                   "tally' on your own computer.")
        else:
            why = None
        summary = to_markdown(results) if why is None else f"## qsi tally\n\n{why}\n"
        if not append_summary(summary):
            out.write("qsi tally: GITHUB_STEP_SUMMARY names no file, so there is no job "
                      "summary to add the tally to.\n")
        elif why is None:
            out.write("qsi tally: the tally is in the job summary (programme.yaml says this "
                      "repository is private).\n")
        else:
            out.write(f"qsi tally: {why}\n")

    return reporter


# "github" assumes a public repository; the command line gives it the programme's setting
REPORTERS: dict[str, Reporter[Results]] = {
    "table": table, "json": writing(to_json), "csv": csv_of(csv_table),
    "markdown": writing(to_markdown), "xlsx": workbook(tables, "tally.xlsx"),
    "github": github(private=False)}
