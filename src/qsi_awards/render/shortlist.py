"""shortlist.md and shortlist.html: per category, the shortlisted entries with their
organisation and summary; winner and highly commended marked once judging is complete.
A non-consenting entry is listed (the programme team needs to know it is shortlisted)
but marked not for publication, and its summary is left out.

Until the results are released the page is the list of finalists instead: the same
entries by title, with no award, rank or score (context.embargoed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import context
from .pages import assets

if TYPE_CHECKING:
    from . import Job


def render(job: Job) -> None:
    view = context.full(job.programme)
    if not job.released:
        view = context.embargoed(view)
    for category in view["categories"]:
        if category["incomplete"]:
            job.warn(f"{category['id']}: {category['incomplete']} entries are not fully judged "
                     "yet, so the shortlist is provisional.")
    job.outputs.add("shortlist.md", job.templates.render("shortlist.md", view))
    page = assets(job.templates, view["programme"], ["style.css", "shortlist.css"])
    job.outputs.add("shortlist.html", job.templates.render("shortlist.html", {**view, **page}))
