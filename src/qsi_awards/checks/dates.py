"""Dates against the timeline.

- late-submission: an entry submitted after the submission_deadline milestone.
- adoption-before-ceremony: an adoption record dated before the ceremony milestone
  (spread and adoption follow the awards).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..findings import Finding
from ..load import ADOPTION
from . import Context


def check(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    deadline = ctx.milestone("submission_deadline")
    if deadline is not None:
        for entry in folder.entries.values():
            submitted = dt.date.fromisoformat(entry.meta["submitted"])
            if submitted > deadline:
                yield entry.doc.finding("late-submission", (
                    f"This entry was submitted on {submitted:%-d %B %Y}, after the deadline of "
                    f"{deadline:%-d %B %Y}; check the date, or ask the programme team."),
                    ("submitted",))
    ceremony = ctx.milestone("ceremony")
    if ceremony is not None and ADOPTION in folder.docs:
        doc = folder.docs[ADOPTION]
        for index, record in folder.adoption:
            when = dt.date.fromisoformat(record["date"])
            if when < ceremony:
                yield doc.finding("adoption-before-ceremony", (
                    f"This adoption record is dated {when:%-d %B %Y}, before the ceremony on "
                    f"{ceremony:%-d %B %Y}; check the date."), ("adoption", index, "date"))
