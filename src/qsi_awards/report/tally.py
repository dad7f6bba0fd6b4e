"""`qsi tally`'s reporters: a rich table, JSON (the SPEC shape), CSV and Markdown; and
the audit trail behind one entry (`--explain`). Deterministic: the same results give
the same bytes."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, TextIO

from ..controls import escaped, json_escaped, removed
from ..errors import QsiError
from ..judging.tally import CategoryResult, EntryResult, Results, round2
from ..render.text import md_escape
from . import Reporter, writing

AWARD_LABEL = {"winner": "Winner", "highly_commended": "Highly commended",
               "shortlisted": "Shortlisted", None: ""}


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
    return {
        "programme": results.programme,
        "edition": results.edition,
        "method": results.method,
        "categories": [
            {
                "id": category.id,
                "title": category.title,
                "entries": [entry_dict(r, results.method) for r in category.entries],
                "undecided": category.undecided,
                "decision": (category.decision.model_dump(mode="json", exclude_unset=True)
                             if category.decision is not None else None),
            }
            for category in results.categories
        ],
    }


def to_json(results: Results) -> str:
    return json_escaped(json.dumps(as_dict(results), indent=2, ensure_ascii=False)) + "\n"


CSV_COLUMNS = ["category", "rank", "entry", "title", "organisation", "score", "z",
               "judgements", "spread", "award", "tally_award", "flags"]


def to_csv(results: Results) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for category in results.categories:
        for r in category.entries:
            row = entry_dict(r, results.method)
            writer.writerow([
                category.id, _blank(row["rank"]), r.entry, _cell_text(r.title),
                _cell_text(r.organisation), _blank(row["score"]), _blank(row.get("z")),
                row["judgements"], _blank(row["spread"]), row["award"] or "",
                row.get("tally_award") or "", " ".join(r.flags)])
    return buffer.getvalue()


def _blank(value: Any) -> str:
    return "" if value is None else str(value)


def _cell_text(text: str) -> str:
    """Keep spreadsheet programs from running entrant text as a formula; no control
    characters."""
    text = removed(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _score_text(value: Any) -> str:
    return "—" if value is None else f"{round2(value):.2f}"


def _undecided_text(category: CategoryResult) -> list[str]:
    lines = []
    for open_group in category.undecided:
        awards = ", ".join(AWARD_LABEL[a].lower() for a in open_group["awards"])
        lines.append(f"Undecided: {awards} — tie between {', '.join(open_group['entries'])}; "
                     "the steering group decides (decisions.yaml).")
    return lines


def to_markdown(results: Results) -> str:
    lines = [f"# {md_escape(results.programme)} {md_escape(results.edition)}: tally", "",
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


def explain(results: Results, entry_id: str, criteria: list[str]) -> str:
    """The audit trail behind one entry's result, in plain text (QsiError for an entry
    that does not exist)."""
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
        parts = ", ".join(f"{c} {js.scores[c]}" for c in criteria)
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
    return escaped("\n".join(lines) + "\n")


REPORTERS: dict[str, Reporter[Results]] = {
    "table": table, "json": writing(to_json), "csv": writing(to_csv),
    "markdown": writing(to_markdown)}
