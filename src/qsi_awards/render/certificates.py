"""One PDF certificate per winner and highly commended entry:
`<category>/<entry>-winner.pdf` and `<category>/<entry>-highly-commended.pdf`, from the
certificate.html template (A4 landscape) through WeasyPrint. Certificates go to the
teams themselves, so non-consenting entries get theirs too.

They name the awards, so until the results are released they are made only with
--confidential (to be printed for the ceremony), each page then marked "Confidential —
embargoed until <date>" (Job.embargo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import context

if TYPE_CHECKING:
    from . import Job

SUFFIX = {"winner": "winner", "highly_commended": "highly-commended"}
LABEL = {"winner": "Winner", "highly_commended": "Highly Commended"}


def render(job: Job) -> None:
    banner = job.embargo()
    view = context.full(job.programme)
    pages: list[tuple[str, str]] = []
    for category in view["categories"]:
        if category["incomplete"]:
            job.warn(f"{category['id']}: {category['incomplete']} entries are not fully judged "
                     "yet; these awards may still change.")
        for open_place in category["undecided"]:
            job.warn(f"{category['id']}: a tie leaves a {open_place['awards'][0]} place open; "
                     "record the steering group's decision in decisions.yaml.")
        summary = {k: category[k] for k in ("id", "title", "theme", "setting")}
        for entry in category["winners"] + category["highly_commended"]:
            award = entry["award"]
            html = job.templates.render("certificate.html", {
                "programme": view["programme"], "category": summary, "entry": entry,
                "award": award, "award_label": LABEL[award]})
            pages.append((f"{category['id']}/{entry['id']}-{SUFFIX[award]}.pdf", html))
    if not pages:
        job.warn("No entry has a winner or highly commended award yet, so there are no "
                 "certificates to make.")
        return
    from .pdf import PdfMaker

    make = PdfMaker.for_programme(job.programme.root)
    for rel, html in pages:
        job.outputs.add(rel, make(html, "certificate.html", banner))
    for warning in make.warnings:
        job.warn(warning)
