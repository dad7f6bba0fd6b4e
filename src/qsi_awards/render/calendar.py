"""calendar.ics: the programme's timeline as an iCalendar file (RFC 5545, written by the
`icalendar` library, which folds long lines, ends them with CRLF and escapes commas,
semicolons, backslashes and line breaks in text), for the team's and the judges'
calendars.

Each milestone is an all-day event, and so is each judging round of a programme with
`rounds:`, from the day it opens to the day it closes. An event's UID comes from the
programme's name, edition and the milestone's (or round's) ID, so a calendar that
imports the file again updates the event rather than adding a second one, even after
the milestone's date or title changes. DTSTAMP is the first milestone's date (midnight
UTC), not the time of the run, so the same programme always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from ..dates import long_date
from ..judging.rounds import rounds_of
from .text import one_line

if TYPE_CHECKING:
    from icalendar import Event

    from ..model import ProgrammeFile
    from . import Job

OUTPUT = "calendar.ics"
PRODID = "-//qsi//QSI awards timeline//EN"
# the namespace of every UID qsi makes (uuid5 of the programme, edition and milestone)
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "qsi-awards:calendar")
# what a milestone of each kind means, for the event's description
MEANING = {
    "submissions_open": "Entries open: the call for entries goes out.",
    "submission_deadline": "The last day to send an entry.",
    "judging_deadline": "Judging closes: the judges' scores are due and the winners are "
                        "agreed.",
    "ceremony": "The awards ceremony. The winners are announced.",
}


def uid(settings: ProgrammeFile, milestone_id: str) -> str:
    """The event's UID: the same for the same programme, edition and milestone ID."""
    key = "\n".join((one_line(settings.name), one_line(settings.edition), milestone_id))
    return f"{uuid.uuid5(NAMESPACE, key)}@qsi-awards"


def event(settings: ProgrammeFile, milestone_id: str, title: str, start: dt.date,
          end: dt.date | None = None, description: str | None = None) -> Event:
    """An all-day event from `start` to `end` (inclusive; default: the same day). DTEND
    is the day after the last day, as RFC 5545 has it for dates."""
    from icalendar import Event

    found = Event()
    found.add("uid", uid(settings, milestone_id))
    found.add("dtstamp", stamp(settings))
    found.add("dtstart", start)
    found.add("dtend", (end or start) + dt.timedelta(days=1))
    found.add("summary", f"{one_line(settings.name)} {one_line(settings.edition)}: "
                         f"{one_line(title)}")
    if description:
        found.add("description", description)
    found.add("transp", "TRANSPARENT")  # a date to know, not time taken
    return found


def stamp(settings: ProgrammeFile) -> dt.datetime:
    """DTSTAMP: the first milestone's date at midnight UTC (deterministic, not 'now')."""
    first = min(m.date for m in settings.timeline)
    return dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)


def calendar(settings: ProgrammeFile) -> bytes:
    """The timeline as an iCalendar file, in timeline order."""
    from icalendar import Calendar, vText

    found = Calendar()
    found.add("prodid", PRODID)
    found.add("version", "2.0")
    found.add("calscale", "GREGORIAN")
    found.add("method", "PUBLISH")
    # as TEXT (commas and semicolons escaped), however the library types X- properties
    found.add("x-wr-calname", vText(f"{one_line(settings.name)} {one_line(settings.edition)}"))
    for milestone in settings.timeline:
        led = f"Led by {one_line(milestone.owner)}." if milestone.owner else None
        found.add_component(event(settings, milestone.id, milestone.title, milestone.date,
                                  milestone.until, MEANING.get(milestone.kind or "") or led))
    # a round open from the start is, for the judges, open from the day after entries close
    deadlines = [m.date for m in settings.timeline if m.kind == "submission_deadline"]
    for rnd in rounds_of(settings) if settings.rounds is not None else []:
        if rnd.closes is None:
            continue
        start = rnd.opens
        if start is None and deadlines and deadlines[0] < rnd.closes:
            start = deadlines[0] + dt.timedelta(days=1)
        found.add_component(event(
            settings, f"round:{rnd.id}", f"judging round: {rnd.title}",
            start or rnd.closes, rnd.closes,
            f"The judges of this round score their entries by the end of "
            f"{long_date(rnd.closes)}."))
    data: bytes = found.to_ical()
    return data


def render(job: Job) -> None:
    job.outputs.add(OUTPUT, calendar(job.programme.settings))
