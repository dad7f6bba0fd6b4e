"""press-release.md (the winners and highly commended per category) and
social-posts.csv (one post per category, at most 280 characters with the programme
hashtag). Both are public, so they name only entries that consented to publication."""

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
    view = context.public(context.full(job.programme))
    job.outputs.add("press-release.md", job.templates.render("press-release.md", view))
    rows = [("category", "text")]
    for category in view["categories"]:
        rows.append((category["id"], post(job, view, category)))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    job.outputs.add("social-posts.csv", buffer.getvalue())


def post(job: Job, view: Mapping[str, Any], category: Mapping[str, Any]) -> str:
    """The category's post, with the winner's title, then organisation, then the
    category title shortened at word boundaries until it fits."""
    programme = view["programme"]
    hashtag = programme["hashtag"]
    winner = category["winners"][0] if category["winners"] else None
    fields: dict[str, str] = {}  # in the order they give up words to fit
    if winner is not None:
        fields.update(title=winner["title"], organisation=winner["organisation"])
    fields["category_title"] = category["title"]

    def render_post(values: Mapping[str, str]) -> str:
        text = one_line(job.templates.render("social-post.txt", {
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
            f"Template social-post.txt: the post for {category['id']} is {error.length} "
            f"characters even with every title shortened; posts may have at most {LIMIT}. "
            "Shorten the template's own text.") from None
    assert post_length(text) <= LIMIT
    return spreadsheet_cell(text)
