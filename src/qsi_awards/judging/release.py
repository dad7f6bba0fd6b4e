"""When the results are released: the one answer to "may the public see the winners
yet?" for every command.

Until the release, the results (ranks, scores, awards) are embargoed: public outputs
show finalists at most, and private ones are made only on request, marked confidential.
The release is the ceremony milestone's date, unless the steering group records an
earlier one in decisions.yaml (`results_released`). Released means today is the release
date or later. A programme with neither has no release date: its results stay embargoed
until one is recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..dates import long_date
from ..model import ProgrammeFile, ResultsReleased


@dataclass(frozen=True)
class Release:
    """When the results are released, and on whose word."""

    date: dt.date | None  # None: no ceremony milestone and no release recorded
    by: str | None  # who released them (decisions.yaml's `by`); None for the ceremony
    reason: str | None

    def released(self, today: dt.date) -> bool:
        return self.date is not None and today >= self.date

    def describe(self) -> str:
        """When they are released, after 'released': 'on 1 April 2020, at the ceremony',
        'on 2 March 2020, by Steering group', or 'once a date is set (...)'."""
        if self.date is None:
            return ("once a date is set (the timeline has no ceremony milestone, and "
                    "decisions.yaml records no results_released)")
        who = "at the ceremony" if self.by is None else f"by {' '.join(self.by.split())}"
        return f"on {long_date(self.date)}, {who}"

    def embargo_note(self) -> str:
        """What a confidential output says on every page."""
        if self.date is None:
            return "Confidential — embargoed until the results are released"
        return f"Confidential — embargoed until {long_date(self.date)}"


def release(settings: ProgrammeFile, record: ResultsReleased | None) -> Release:
    """The programme's release: the steering group's record if there is one, else the
    ceremony."""
    if record is not None:
        return Release(record.date, record.by, record.reason)
    return Release(settings.milestone("ceremony"), None, None)
