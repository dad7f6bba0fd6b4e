"""The showcase site: index.html (programme, categories, winners and highly commended,
every published entry, adoption, filters) and entries/<entry>.html for each entry
whose entrant consented to publication, with adoption/<entry>.html for each winning or
highly commended one that other organisations are taking up. It is built from context.public(), so
nothing of a non-consenting entry can reach it, whatever the templates do. Pages work
from file:// with no network: relative links, inline CSS and JavaScript pinned by a
Content-Security-Policy.

Until the results are released, the site shows the entries and the finalists, never a
winner, an award, a rank or an adoption record (context.embargoed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import context
from .measures import adoption_page
from .pages import assets

if TYPE_CHECKING:
    from . import Job


def render(job: Job) -> None:
    full = context.full(job.programme)
    view = context.public(full if job.released else context.embargoed(full))
    templates = job.templates
    programme = view["programme"]
    home = assets(templates, programme, ["style.css", "site.css"], "site.js")
    job.outputs.add("index.html", templates.render("site-index.html",
                                                   {**view, **home, "root": ""}))
    page = assets(templates, programme, ["style.css", "site.css"])
    categories = {c["id"]: c for c in view["categories"]}
    for entry in view["entries"]:
        job.outputs.add(entry["page"], templates.render("site-entry.html", {
            **view, **page, "root": "../", "entry": entry,
            "category": categories[entry["category"]]}))
    for entry in view["entries"]:  # a page per spread winner: the adopting sites' charts
        if entry["adoption_page"]:
            job.outputs.add(entry["adoption_page"], templates.render("site-adoption.html", {
                **view, **page, "root": "../", "entry": entry,
                "category": categories[entry["category"]],
                "adopters": adoption_page(job.programme, entry)}))
