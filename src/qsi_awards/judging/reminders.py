"""`qsi remind` as a function: the judges with judgements still to do in the current
round (judging/progress.py counts them), how many each, and the round's deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .progress import JudgeProgress, progress
from .rounds import Round, current

if TYPE_CHECKING:
    from ..programme import Programme


@dataclass(frozen=True)
class Reminders:
    """Who still has judging to do on `today`."""

    programme: str
    edition: str
    today: dt.date
    round: Round
    deadline: dt.date | None  # the round's closing date, or the timeline's judging deadline
    judges: tuple[JudgeProgress, ...]  # those with outstanding judgements, in judges.yaml order
    rounds: bool = False  # the programme has rounds: (else `round` is its one, implicit)

    @property
    def days(self) -> int | None:
        """Days from `today` to the deadline (negative once it has passed)."""
        return None if self.deadline is None else (self.deadline - self.today).days

    @property
    def outstanding(self) -> int:
        return sum(j.assigned - j.complete for j in self.judges)


def deadline_of(prog: Programme, rnd: Round) -> dt.date | None:
    """When a round's judging is due: the day it closes, or the timeline's judging
    deadline."""
    return rnd.closes or prog.settings.milestone("judging_deadline")


def reminders(prog: Programme, today: dt.date) -> Reminders:
    """The judges of the round that is current on `today` who have judgements to do."""
    rnd = current(prog.rounds, today)
    state = progress(prog.folder, prog.findings, today, rnd.id)
    return Reminders(prog.settings.name, prog.settings.edition, today, rnd,
                     deadline_of(prog, rnd),
                     tuple(j for j in state.judges if j.assigned > j.complete),
                     prog.settings.rounds is not None)
