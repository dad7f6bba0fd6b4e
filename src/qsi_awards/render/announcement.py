"""press-release.md (the winners and highly commended per category) and
social-posts.csv (one post per category, at most 280 characters with the programme
hashtag). Both are public, so they name only entries that consented to publication.

Before the results are released the winners' announcement is refused; `--finalists`
makes the announcement of the finalists instead (press-release-finalists.md and
social-post-finalists.txt, from context.embargoed: no award, rank or score)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import ProblemsFound
from . import context
from .text import PostTooLong, fit_post, one_line, post_length, spreadsheet_cell

if TYPE_CHECKING:
    from . import Job

LIMIT = 280


def render(job: Job) -> None:
    full = context.full(job.programme)
    if job.finalists:
        view = context.public(context.embargoed(full))
        release, posts = "press-release-finalists.md", "social-post-finalists.txt"
    elif job.released:
        view = context.public(full)
        release, posts = "press-release.md", "social-post.txt"
    else:
        raise ProblemsFound(
            "The results are not released yet (they are released "
            f"{job.programme.release.describe()}), so the announcement of the winners "
            "would break the embargo. To announce the finalists, run 'qsi render "
            "announcement --finalists'; the winners' announcement is made from the day of "
            "the release.")
    job.outputs.add("press-release.md", job.templates.render(release, view))
    rows = [("category", "text")]
    for category in view["categories"]:
        rows.append((category["id"], post(job, view, category, posts)))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    job.outputs.add("social-posts.csv", buffer.getvalue())


def post(job: Job, view: Mapping[str, Any], category: Mapping[str, Any],
         template: str = "social-post.txt") -> str:
    """The category's post from `template`, with the winner's title, then organisation,
    then the category title shortened at word boundaries until it fits."""
    programme = view["programme"]
    hashtag = programme["hashtag"]
    winner = category["winners"][0] if category["winners"] else None
    fields: dict[str, str] = {}  # in the order they give up words to fit
    if winner is not None:
        fields.update(title=winner["title"], organisation=winner["organisation"])
    fields["category_title"] = category["title"]

    def render_post(values: Mapping[str, str]) -> str:
        text = one_line(job.templates.render(template, {
            "programme": programme, "category": category, "winner": winner,
            "title": values.get("title", ""), "organisation": values.get("organisation", ""),
            "category_title": values["category_title"]}))
        if hashtag and hashtag.lower() not in text.lower():
            text = f"{text} {hashtag}"
        return text

    try:
        text = fit_post(render_post, fields, LIMIT)
    except PostTooLong as error:
        raise ProblemsFound(
            f"Template {template}: the post for {category['id']} is {error.length} "
            f"characters even with every title shortened; posts may have at most {LIMIT}. "
            "Shorten the template's own text.") from None
    assert post_length(text) <= LIMIT
    return spreadsheet_cell(text)
