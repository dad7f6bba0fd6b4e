"""The steering group's monthly board report, `board-report.pdf`: progress against the
plan (the timeline and its phases, judging overdue), entries by category and care
setting, judging progress, the registers' exceptions and Part 2's adoption. It respects
the embargo: before the results are released it names no winner (and so shows no
adoption of one) unless made with --confidential, when every page says "Confidential
— embargoed until <date>", as the results pack does."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from ..dates import short_date
from ..judging.adoption import STAGES, build
from ..judging.progress import progress
from ..report.status import MARK, no_next, register_lines
from .context import programme_view
from .pages import assets
from .results import CONFIDENTIAL
from .text import one_line

if TYPE_CHECKING:
    from ..judging.progress import Progress
    from ..model import EntryFile
    from ..programme import Programme
    from . import Job

STATE = {"done": "Done", "next": "Next", "upcoming": "To come", "current": "Under way",
         "overdue": "Overdue"}


def render(job: Job) -> None:
    prog = job.programme
    named = job.released or job.confidential  # may the report name the winners?
    banner = CONFIDENTIAL if job.released or not job.confidential else (
        prog.release.embargo_note())
    state = progress(prog.folder, prog.findings, job.today)
    view = {**board_view(prog, state, named), "banner": banner,
            "today": short_date(job.today)}
    page = assets(job.templates, view["programme"], ["style.css", "results.css"])
    html = job.templates.render("board-report.html", {**view, **page})
    from .pdf import PdfMaker

    make = PdfMaker.for_programme(prog.root)
    job.outputs.add("board-report.pdf", make(html, "board-report.html", banner,
                                             in_margin=True))
    for warning in make.warnings:
        job.warn(warning)


def _in_awards(prog: Programme) -> list[EntryFile]:
    """The entries still in the awards: not withdrawn or disqualified."""
    return [e.front for e in prog.folder.entries.values() if e.front.left is None]


def _settings(prog: Programme) -> list[str]:
    """The care settings the entries have, in the programme's order."""
    found = {front.care_setting for front in _in_awards(prog)}
    return [s.id for s in prog.settings.settings if s.id in found]


def board_view(prog: Programme, state: Progress, named: bool) -> dict[str, Any]:
    """What board-report.html is given (see its header)."""
    settings = _settings(prog)
    labels = {s.id: s.label for s in prog.settings.settings}
    counts: Counter[tuple[str, str]] = Counter(
        (front.category, front.care_setting) for front in _in_awards(prog))
    entries = [{"title": c.title, "counts": [counts[(c.id, s)] for s in settings],
                "total": sum(counts[(c.id, s)] for s in settings)} for c in prog.categories]
    timeline = [{"mark": MARK[m.status].strip(), "state": STATE[m.status],
                 "date": short_date(m.date), "until": short_date(m.until) if m.until else None,
                 "title": m.title, "owner": m.owner, "after": list(m.after)}
                for m in state.timeline]
    late = state.judging_overdue
    judging = {
        "round": state.round.title if state.round is not None else None,
        "judges": len(state.judges),
        "assigned": sum(j.assigned for j in state.judges),
        "complete": sum(j.complete for j in state.judges),
        "pending": state.pending_judgements,
        "short": len(state.short_of_judges),
        "ready": state.ready_to_tally,
        "not_ready_because": list(state.not_ready_because),
        "overdue": None if late is None else {"deadline": short_date(late.deadline),
                                              "days": late.days},
    }
    exceptions = [] if state.registers is None else [
        {"heading": heading, "lines": lines} for heading, lines in register_lines(
            state.registers)]
    awards: list[dict[str, Any]] = []
    adoption: dict[str, Any] | None = None
    if named:
        results = prog.results()
        for category in results.categories:
            awarded = [{"title": one_line(r.title), "organisation": r.organisation,
                        "award": r.award} for r in category.entries
                       if r.award in ("winner", "highly_commended")]
            awards.append({"title": category.title, "awarded": awarded,
                           "note": category.no_award})
        built = build(results, prog.adoption)
        adoption = {"stages": list(STAGES), "counts": built.counts(),
                    "entries": [{"title": one_line(e.title), "category": e.category_title,
                                 "award": e.award,
                                 "stages": {s: len(e.at(s)) for s in STAGES}}
                                for e in built.entries]}
    nxt = state.next_milestone
    return {
        "programme": programme_view(prog),
        "timeline": timeline,
        "next": None if nxt is None else {"title": nxt.title, "date": short_date(nxt.date),
                                          "days": nxt.days},
        "no_next": no_next(state),
        "settings": [labels[s] for s in settings],
        "entries": entries,
        "entry_count": len(_in_awards(prog)),
        "release": prog.release.describe(),
        "judging": judging,
        "registers": state.registers is not None,
        "exceptions": exceptions,
        "named": named,
        "awards": awards,
        "adoption": adoption,
    }
