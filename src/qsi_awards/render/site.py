"""The showcase site: index.html (programme, categories, winners and highly commended,
every published entry, adoption, filters) and entries/<entry>.html for each entry
whose entrant consented to publication, with adoption/<entry>.html for each winning or
highly commended one that other organisations are taking up. It is built from context.public(), so
nothing of a non-consenting entry can reach it, whatever the templates do. Pages work
from file:// with no network: relative links, inline CSS and JavaScript pinned by a
Content-Security-Policy.

Until the results are released, the site shows the entries and the finalists, never a
winner, an award, a rank or an adoption record (context.embargoed).

The call for entries: how-to-enter.html (linked from the index) gives the categories
with who may enter them, the rubric with its weights and guidance, the word limits, the
timeline, the hashtag, and links to the entry form (--entry-form) and the privacy
notice. As on `today`: before the submissions_open milestone it says when entries open;
after the submission deadline, that entries are closed. privacy.html is the programme's
PRIVACY.md (Markdown, raw HTML off), and calendar.ics the timeline (calendar.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from . import calendar, context
from .measures import adoption_page
from .pages import assets

if TYPE_CHECKING:
    from . import Job

ENTER = "how-to-enter.html"
PRIVACY = "privacy.html"


def render(job: Job) -> None:
    full = context.full(job.programme)
    view = context.public(full if job.released else context.embargoed(full))
    templates = job.templates
    programme = view["programme"]
    page = assets(templates, programme, ["style.css", "site.css"])
    enter = call_for_entries(job)
    home = assets(templates, programme, ["style.css", "site.css"], "site.js")
    job.outputs.add("index.html", templates.render("site-index.html",
                                                   {**view, **home, "root": "",
                                                    "enter": enter}))
    job.outputs.add(ENTER, templates.render("site-enter.html", {
        "programme": programme, **page, "root": "", "enter": enter,
        "form": context.entry_form(job.programme)}))
    if enter["privacy"]:
        job.outputs.add(enter["privacy"], templates.render("site-privacy.html", {
            "programme": programme, **page, "root": "", "notice": enter["notice"]}))
    job.outputs.add(calendar.OUTPUT, calendar.calendar(job.programme.settings))
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


def call_for_entries(job: Job) -> dict[str, Any]:
    """Where the call for entries stands on `today` (`state`: before, open or closed),
    its dates, and the pages the How to enter page links: the entry form (while entries
    are open, when --entry-form gives it), the privacy notice, the calendar."""
    from ..load.texts import privacy_notice

    settings = job.programme.settings
    opens = settings.milestone("submissions_open")
    deadline = settings.milestone("submission_deadline")
    state = ("before" if opens is not None and job.today < opens else
             "closed" if deadline is not None and job.today > deadline else "open")
    notice = privacy_notice(job.programme.root)
    if notice is not None and notice.text is None:
        job.warn(f"the site has no privacy notice page: {notice.problem}")
    link = job.entry_form
    if link is not None and state == "open" and not _web_address(link):
        beside = job.outputs.root / link.split("#")[0].split("?")[0]
        if not beside.is_file():
            job.warn(f"--entry-form {link}: there is no {beside} yet. Render the form there "
                     "too (qsi render entry-form --out the same folder), or the link on the "
                     "How to enter page leads nowhere.")
    return {
        "page": ENTER,
        "state": state,
        "today": job.today.isoformat(),
        "opens": _iso(opens),
        "deadline": _iso(deadline),
        "form": link if state == "open" else None,
        "privacy": PRIVACY if notice is not None and notice.text is not None else None,
        "notice": notice.text if notice is not None else None,
        "calendar": calendar.OUTPUT,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _web_address(link: str) -> bool:
    return link.strip().lower().startswith(("http:", "https:", "mailto:"))
