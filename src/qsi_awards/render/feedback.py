"""Feedback to entrants, `<entry>.html` and `<entry>.pdf` per entry: the outcome, the
entry's score and criterion scores against its category's median and quartiles (a chart
and a table: judging/feedback.py), the judges' comments, the charts of its measures and
what the rubric rewards.

Each report is made from one entry's data and the category's quartiles, nothing else of
any other entry. The judges' comments are anonymised as the judge packs' text is
(context.cleaner), with the judges' names, IDs and handles and every entry's title and
ID taken out too, and listed sorted by their text, so their order says nothing of who
wrote which; a judge's `private_comment` is never read. Only the comments of the
judgements the tally counted are shown. Entries withdrawn or disqualified get no report.

With rounds, the scores are those of each rubric round that judged the entry; a ranked
final is described by what it decided, not by scores.

Results are in it, so until the results are released it is made only with
--confidential, every page marked embargoed (Job.embargo), like the certificates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..judging.feedback import MIN_FIELD, Compared, Spreads, Standing, spreads, standing
from ..judging.tally import AWARD_LABELS, Award, EntryResult, round2
from . import context
from .pages import assets
from .text import one_line

if TYPE_CHECKING:
    from fractions import Fraction

    from ..judging.rounds import Round
    from ..judging.tally import Results
    from ..programme import Programme
    from . import Job

# an award as the report names it: the templates' award labels, and no award
OUTCOMES: dict[str | None, str] = dict(AWARD_LABELS.items())
OUTCOMES[None] = "Not shortlisted"


def render(job: Job) -> None:
    banner = job.embargo()
    prog = job.programme
    view = context.full(prog)
    entries = {e["id"]: e for c in view["categories"] for e in c["entries"]}
    left = left_out(prog)
    rounds = [Scored(prog, rnd, prog.round_results(rnd), left) for rnd in prog.rounds
              if not rnd.calibration and not rnd.ranked]
    final = prog.rounds[-1] if prog.rounds[-1].ranked else None
    awards = {r.entry: r.award for c in prog.results().categories for r in c.entries}
    clean = context.cleaner(view, prog.judges.values(),
                            {text: "[entry]" for e in entries.values()
                             for text in (e["id"], e["title"])})
    page = assets(job.templates, view["programme"], ["style.css", "feedback.css"])
    documents = []
    for entry_id, entry in sorted(entries.items()):
        if entry_id in left:
            continue
        report = feedback(prog, view["programme"], entry, awards.get(entry_id), rounds,
                          final, clean)
        documents.append((entry_id, job.templates.render(
            "feedback.html", {**report, **page, "banner": banner})))
    if not documents:
        job.warn("there are no entries to give feedback on (none, or every one withdrawn "
                 "or disqualified).")
        return
    from .pdf import PdfMaker

    make = PdfMaker.for_programme(prog.root)
    for entry_id, html in documents:
        job.outputs.add(f"{entry_id}.html", html)
        job.outputs.add(f"{entry_id}.pdf", make(html, "feedback.html", banner, in_margin=True))
    for warning in make.warnings:
        job.warn(warning)


def left_out(prog: Programme) -> set[str]:
    """The entries withdrawn or disqualified, and the calibration exercises' reference
    entries: none gets a report, or counts in a category's quartiles."""
    return {entry_id for entry_id, front in prog.fronts.items()
            if front.withdrawn is not None or front.disqualified is not None
            } | set(prog.references)


def shown(value: Fraction | None) -> str:
    return f"{round2(value):.2f}" if value is not None else "—"


def _row(label: str, compared: Compared) -> dict[str, Any]:
    spread = compared.spread if compared.entries >= MIN_FIELD else None
    numbers = {"value": compared.value, "q1": spread.q1 if spread else None,
               "median": spread.median if spread else None,
               "q3": spread.q3 if spread else None}
    row: dict[str, Any] = {"label": label, "key": compared.key}
    for key, number in numbers.items():
        row[key] = float(number) if number is not None else None
        row[f"{key}_shown"] = shown(number)
    return row


def _round_view(prog: Programme, rnd: Round, category: str, found: Standing
                ) -> dict[str, Any]:
    titles = {c.id: one_line(c.title) for c in prog.rubric_for(category, rnd).criteria}
    rows = [_row("Overall score (weighted)", found.score),
            *(_row(titles[c.key], c) for c in found.criteria)]
    return {"id": rnd.id, "title": one_line(rnd.title),
            "named": prog.settings.rounds is not None,
            "judgements": found.judgements,
            "entries": found.score.entries,
            "compared": found.score.entries >= MIN_FIELD,
            "rows": rows}


class Scored:
    """A rubric round's tally, each entry's result and each category's spread, on the
    category's own rubric."""

    def __init__(self, prog: Programme, rnd: Round, results: Results, left: set[str]) -> None:
        self.round = rnd
        self.criteria: dict[str, list[str]] = {
            c.id: [criterion.id for criterion in prog.rubric_for(c.id, rnd).criteria]
            for c in results.categories}
        self.results: dict[str, EntryResult] = {
            r.entry: r for c in results.categories for r in c.entries}
        self.spreads: dict[str, Spreads] = {c.id: spreads(c, self.criteria[c.id], left)
                                            for c in results.categories}


def feedback(prog: Programme, programme: Mapping[str, Any], entry: Mapping[str, Any],
             award: Award | None, rounds: list[Scored], final: Round | None,
             clean: Callable[[str], str]) -> dict[str, Any]:
    """One entry's report: only its own data and its category's quartiles. `award` is
    its award in the programme's results, `rounds` each rubric round's tally."""
    entry_id = entry["id"]
    scored = []
    comments = []
    rubric = prog.rubric_for(entry["category"], rounds[0].round if rounds else None)
    for tallied in rounds:
        result = tallied.results.get(entry_id)
        if result is None:  # the round did not judge it
            continue
        rnd = tallied.round
        found = standing(result, tallied.criteria[result.category],
                         tallied.spreads[result.category])
        scored.append(_round_view(prog, rnd, result.category, found))
        sheets = prog.sheets(rnd)
        for counted in result.judgements:
            judgement = sheets[counted.judge].judgements.get(entry_id)
            comment = one_line(clean(judgement.comment or "")) if judgement else ""
            if comment:
                comments.append(comment)
    ranked = None
    if final is not None and entry_id in prog.entrants(final):
        ranked = {"title": one_line(final.title), "award": award,
                  "outcome": OUTCOMES[award]}
    return {
        "programme": programme,
        "entry": {key: entry[key] for key in ("id", "title", "category", "category_title",
                                              "organisation", "measures")},
        "outcome": {"award": award, "label": OUTCOMES[award]},
        "rubric": context.rubric_view(rubric),  # the category's own, where it has one
        "rounds": scored,
        "final": ranked,
        "comments": sorted(comments, key=lambda text: (text.casefold(), text)),
        "min_field": MIN_FIELD,
    }
