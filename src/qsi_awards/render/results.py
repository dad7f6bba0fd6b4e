"""The steering group's results pack, `results.html` and `results.pdf`: the whole tally
per category (ranks, scores, judges, spread, awards, flags), the steering group's
decisions and when the results are released. It is confidential whatever the date:
every page says so, and until the release it is made only with --confidential and
every page says "Confidential — embargoed until <date>" (Job.embargo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import context
from .pages import assets

if TYPE_CHECKING:
    from . import Job

CONFIDENTIAL = "Confidential — for the programme team and the steering group"


def render(job: Job) -> None:
    banner = job.embargo() or CONFIDENTIAL
    prog = job.programme
    view = context.results(prog, prog.results())
    page = assets(job.templates, view["programme"], ["style.css", "results.css"])
    html = job.templates.render("results.html", {**view, **page, "banner": banner})
    from .pdf import PdfMaker

    make = PdfMaker.for_programme(prog.root)
    job.outputs.add("results.html", html)
    job.outputs.add("results.pdf", make(html, "results.html", banner, in_margin=True))
    for warning in make.warnings:
        job.warn(warning)
