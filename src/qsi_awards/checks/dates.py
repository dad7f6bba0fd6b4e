"""Dates against the timeline.

- late-submission: an entry that arrived after the submission_deadline milestone (or
  after its own extended deadline). Two pieces of evidence are checked, each on its own:
  the entry's `submitted:` date, which the entrant types, and, when the programme is kept
  in git, the day the entry first reached the checked-out branch (the first-parent commit
  that added it, so a pull request's merge commit; today for an entry not committed yet),
  which the entrant cannot type. The git finding points at the file, not at a line. In a
  shallow clone, an entry whose first commit is not fetched is judged on `submitted:`.
- decisions.yaml `deadline_exceptions`, agreed by the programme team per entry:
  `extended_to` (a later deadline), `accepted_late` (no deadline), `transcribed` (the
  team copied the entry into git from another system, so git's date is when it was
  copied and only `submitted:` counts). An entry `qsi import entries` made from a form's
  response (it has a `source:`) is judged the same way: its `submitted:` is the time the
  form recorded, and git's date is when it was imported.
  - bad-deadline-exception: a record that says none of the three, says both
    `extended_to` and `accepted_late`, extends to a day that is not after the deadline,
    or names an entry another record already names;
  - unknown-entry: an `accepted_late` or `transcribed` record naming no entry;
  - extension-awaiting-entry (warning): an extension for an entry that is not there,
    which is how an extension agreed before the entry arrives looks (or a misspelt ID).
- adoption-before-ceremony: an adoption record dated before the ceremony milestone
  (spread and adoption follow the awards).
- bad-release: decisions.yaml's `results_released` dated after the ceremony (which
  announces the results, so they cannot stay embargoed past it), before the
  judging_deadline milestone (the winners are not agreed yet) or, without one, on or
  before the submission deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .. import gitops
from ..dates import long_date
from ..findings import Finding, finding
from ..load import ADOPTION, DECISIONS, Entry, Folder
from ..model import DeadlineException
from .context import Context


def check(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    deadline = ctx.milestone("submission_deadline")
    granted: dict[str, DeadlineException] = {}
    yield from _exceptions(folder, deadline, granted)
    if deadline is not None and folder.entries:
        arrivals = ctx.arrivals
        today = dt.date.today()
        for entry in folder.entries.values():
            yield from _late(entry, deadline, granted.get(entry.id), arrivals, today)
    ceremony = ctx.milestone("ceremony")
    if ceremony is not None and ADOPTION in folder.docs:
        doc = folder.docs[ADOPTION]
        for index, record in folder.adoption:
            when = record.date
            if when < ceremony:
                yield doc.finding("adoption-before-ceremony", (
                    f"This adoption record is dated {long_date(when)}, before the ceremony on "
                    f"{long_date(ceremony)}; check the date."), ("adoption", index, "date"))
    yield from _release(ctx, deadline, ceremony)


def _release(ctx: Context, deadline: dt.date | None,
             ceremony: dt.date | None) -> Iterator[Finding]:
    record = ctx.folder.results_released
    if record is None:
        return
    doc = ctx.folder.docs[DECISIONS]
    when, where = record.date, ("results_released", "date")
    judging = ctx.milestone("judging_deadline")
    if ceremony is not None and when > ceremony:
        yield doc.finding("bad-release", (
            f"The results are released on {long_date(when)}, after the ceremony on "
            f"{long_date(ceremony)}, which announces them; give a date on or before the "
            "ceremony, or move the ceremony milestone in programme.yaml."), where)
    elif judging is not None and when < judging:
        yield doc.finding("bad-release", (
            f"The results are released on {long_date(when)}, before judging ends on "
            f"{long_date(judging)}, when the winners are agreed; check the date."), where)
    elif judging is None and deadline is not None and when <= deadline:
        yield doc.finding("bad-release", (
            f"The results are released on {long_date(when)}, while entries are still coming "
            f"in (the submission deadline is {long_date(deadline)}); check the date."), where)


def _late(entry: Entry, deadline: dt.date, record: DeadlineException | None,
          arrivals: gitops.Arrivals | None, today: dt.date) -> Iterator[Finding]:
    if record is not None and record.accepted_late:
        return
    extended = record.extended_to if record is not None else None
    if extended is not None:
        deadline = extended
        which = f"its extended deadline of {long_date(deadline)} (decisions.yaml)"
    else:
        which = f"the deadline of {long_date(deadline)}"
    submitted = entry.front.submitted
    if submitted > deadline:
        yield entry.doc.finding("late-submission", (
            f"This entry was submitted on {long_date(submitted)}, after {which}; check the "
            "date, or ask the programme team."), ("submitted",))
    if arrivals is None or (record is not None and record.transcribed) or \
            entry.front.source is not None:  # imported from a form: as if transcribed
        return
    if entry.path in arrivals:
        arrived = arrivals[entry.path]
        if arrived is None:  # a shallow clone does not hold the commit that added it
            return
        how = f"first reached this branch in git on {long_date(arrived)}"
    else:
        arrived = today
        how = f"is not committed to git yet, so it arrives today, {long_date(today)}"
    if arrived > deadline:
        yield finding(entry.path, None, None, "late-submission", (
            f"This entry {how}, after {which}, whatever its submitted: date says. If the "
            "programme team agreed an extension, accepted it late, or copied it into git "
            "from another system, ask them to record that in decisions.yaml under "
            "deadline_exceptions."))


def _exceptions(folder: Folder, deadline: dt.date | None,
                granted: dict[str, DeadlineException]) -> Iterator[Finding]:
    """Check the deadline exceptions; fill `granted` (entry id -> its record)."""
    if not folder.deadline_exceptions:
        return
    doc = folder.docs[DECISIONS]
    for index, record in folder.deadline_exceptions:
        here = ("deadline_exceptions", index)
        extended, accepted = record.extended_to, record.accepted_late
        if extended is None and not accepted and not record.transcribed:
            yield doc.finding("bad-deadline-exception", (
                "This deadline exception grants nothing: give extended_to: with the agreed "
                "date, accepted_late: true, or transcribed: true."), here, at_key=True)
        elif extended is not None and accepted:
            yield doc.finding("bad-deadline-exception", (
                "This deadline exception both extends the deadline and accepts the entry "
                "late; keep one of extended_to and accepted_late."), here, at_key=True)
        if extended is not None and deadline is not None:
            day = extended
            if day <= deadline:
                yield doc.finding("bad-deadline-exception", (
                    f"'extended_to' is {long_date(day)}, which is not after the deadline of "
                    f"{long_date(deadline)}; give a later date, or remove the extension."),
                    (*here, "extended_to"))
        for position, entry_id in enumerate(record.entries):
            where = (*here, "entries", position)
            if entry_id in granted:
                yield doc.finding("bad-deadline-exception", (
                    f"'{entry_id}' is named more than once in the deadline exceptions; put "
                    "everything agreed about it in one record."), where)
                continue
            granted[entry_id] = record
            if entry_id in folder.entry_ids:
                continue
            if extended is not None:
                yield doc.finding("extension-awaiting-entry", (
                    f"The deadline is extended for '{entry_id}', but there is no "
                    f"entries/{entry_id}.md yet; if the entry should be here, check the ID."),
                    where)
            else:
                yield doc.finding("unknown-entry", (
                    f"The entry '{entry_id}' does not exist (no entries/{entry_id}.md); "
                    "check the spelling."), where)
