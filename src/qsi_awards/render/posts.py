"""posts.csv: a social media post for each milestone of the call for entries, for the
programme team to schedule (columns `milestone,date,text`): the call opens (on the
submissions_open milestone), two weeks and two days before the submission deadline,
the finalists announced, and the winners announced (on the release date).

Each post comes from the template social-post-milestone.txt, with the safety rules of
the announcement's posts (announcement.py): one line, at most 280 characters as the
platforms count them (the programme's name shortened at word boundaries to fit), the
hashtag added when the template leaves it out, and a cell a spreadsheet cannot take for
a formula. The posts give counts and dates only, never an entry's title or a team.

The embargo: the winners' post is made only once the results are released; before
that it is left out, with a warning that says when to render the posts again. The
finalists' post is made once every entry is judged (a provisional shortlist could
still change), and never says who won.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import ProblemsFound
from . import context
from .text import PostTooLong, fit_post, one_line, post_length, spreadsheet_cell

if TYPE_CHECKING:
    from . import Job

OUTPUT = "posts.csv"
TEMPLATE = "social-post-milestone.txt"
LIMIT = 280
MILESTONES = ("call-opens", "deadline-in-2-weeks", "deadline-in-2-days", "finalists",
              "winners")


def schedule(job: Job, view: dict[str, Any]) -> list[tuple[str, dt.date | None]]:
    """The milestones that get a post, with the day to send it (None: when it happens),
    warning about each one left out and why."""
    settings = job.programme.settings
    opens = settings.milestone("submissions_open")
    deadline = settings.milestone("submission_deadline")
    found: list[tuple[str, dt.date | None]] = [("call-opens", opens)]
    if deadline is None:
        job.warn("no posts before the deadline: the timeline has no submission_deadline "
                 "milestone. Add one to programme.yaml to get them.")
    else:
        found += [("deadline-in-2-weeks", deadline - dt.timedelta(days=14)),
                  ("deadline-in-2-days", deadline - dt.timedelta(days=2))]
    if view["provisional"]:
        job.warn(f"no finalists' post yet: {view['incomplete']} entries are still being "
                 "judged, so the finalists may change. Render the posts again once judging "
                 "is finished.")
    elif not any(c["finalists"] or c["unpublished_finalists"] for c in view["categories"]):
        job.warn("no finalists' post yet: no entry is shortlisted. Render the posts again "
                 "once the judges have scored the entries.")
    else:
        found.append(("finalists", None))
    release = job.programme.release
    if job.released:
        found.append(("winners", release.date))
    else:
        job.warn(f"no winners' post yet: the results are released {release.describe()}, and "
                 "until then the winners are embargoed. Render the posts again from that day.")
    return found


def render(job: Job) -> None:
    full = context.full(job.programme)
    view = context.public(full if job.released else context.embargoed(full))
    categories = view["categories"]
    settings = job.programme.settings
    deadline = settings.milestone("submission_deadline")
    opens = settings.milestone("submissions_open")
    values = {
        "programme": view["programme"],
        "deadline": deadline.isoformat() if deadline else None,
        "opens": opens.isoformat() if opens else None,
        "category_count": len(categories),
        "finalists": sum(len(c["finalists"]) + c["unpublished_finalists"]
                         for c in categories),
        "winners": sum(len(c["winners"]) + c["unpublished_winners"] for c in categories),
    }
    rows = [("milestone", "date", "text")]
    for milestone, day in schedule(job, view):
        text = post(job, {**values, "milestone": milestone}, one_line(settings.name))
        rows.append((milestone, day.isoformat() if day else "", spreadsheet_cell(text)))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    job.outputs.add(OUTPUT, buffer.getvalue())


def post(job: Job, values: dict[str, Any], name: str) -> str:
    """One milestone's post, the programme's name shortened until it fits."""
    hashtag = values["programme"]["hashtag"]

    def render_post(fields: Mapping[str, str]) -> str:
        text = one_line(job.templates.render(TEMPLATE, {**values, "name": fields["name"]}))
        if hashtag and hashtag.lower() not in text.lower():
            text = f"{text} {hashtag}"
        return text

    try:
        text = fit_post(render_post, {"name": name}, LIMIT)
    except PostTooLong as error:
        raise ProblemsFound(
            f"Template {TEMPLATE}: the post for {values['milestone']} is {error.length} "
            f"characters even with the programme's name shortened; posts may have at most "
            f"{LIMIT}. Shorten the template's own text.") from None
    assert post_length(text) <= LIMIT
    return text

