"""Judging rounds (README "Judging in rounds"): what each round is, where its files are,
and which round the timeline says is current. Pure: programme.yaml's settings in, plain
values out.

A programme without `rounds:` has one rubric round, `1`, whose score sheets are
scores/; it is always open. With `rounds:`, the first round's sheets are still scores/
(a rubric round), and every later round has rounds/<id>/scores/ or rounds/<id>/ballots/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import QsiError
from ..model import ProgrammeFile, Rubric

IMPLICIT = "1"  # the one round of a programme without rounds:

State = Literal["not open yet", "open", "closed"]


@dataclass(frozen=True)
class Round:
    """One round of judging, as programme.yaml sets it (or the one implicit round)."""

    id: str
    title: str
    method: Literal["rubric", "ranked"]
    index: int  # 0 for the first round
    last: bool  # the round that makes the awards
    rubric: Rubric  # a ranked round keeps the programme's, unused
    panel: tuple[str, ...] | None  # None: every judge
    judges_per_entry: int
    shortlist_size: int
    threshold: float | None
    opens: dt.date | None  # None: open from the start
    closes: dt.date | None  # None: never closes (a programme without rounds)
    folder: str  # where its files are: scores, rounds/<id>/scores or rounds/<id>/ballots
    before: int | None = None  # the round whose shortlist it judges (None: every entry)
    reference: tuple[str, ...] = ()  # a calibration exercise's reference entries
    own_rubric: bool = False  # its rubric is its own, for every category (rounds: rubric:)

    @property
    def calibration(self) -> bool:
        """A calibration exercise: reference entries, never counted."""
        return bool(self.reference)

    @property
    def ranked(self) -> bool:
        return self.method == "ranked"

    def on_panel(self, judge_id: str) -> bool:
        return self.panel is None or judge_id in self.panel

    def state(self, today: dt.date) -> State:
        return Window(self.id, self.folder, self.opens, self.closes).state(today)

    def path(self, judge_id: str) -> str:
        """The judge's sheet or ballot file in this round, relative to the programme."""
        return f"{self.folder}/{judge_id}.yaml"


@dataclass(frozen=True)
class Window:
    """Where a round's files are and when it is open: all `qsi guard` needs of a round."""

    id: str
    folder: str
    opens: dt.date | None
    closes: dt.date | None

    def state(self, today: dt.date) -> State:
        if self.opens is not None and today < self.opens:
            return "not open yet"
        if self.closes is not None and today > self.closes:
            return "closed"
        return "open"


def windows(declared: Sequence[tuple[str, str | None, dt.date | None, dt.date | None, bool]]
            ) -> list[Window]:
    """Each round's folder and dates, from (id, method, opens, closes, calibration?) in
    order: the first round that counts (not a calibration exercise) has its score sheets
    in scores/, every other round in rounds/<id>/scores/ or rounds/<id>/ballots/; a round
    without `opens` opens the day after the one before closes. No rounds: one round,
    scores/, always open."""
    if not declared:
        return [Window(IMPLICIT, "scores", None, None)]
    out: list[Window] = []
    previous: dt.date | None = None
    first = next((i for i, d in enumerate(declared) if not d[4]), None)
    for index, (round_id, method, opens, closes, _) in enumerate(declared):
        if index == first and method == "rubric":
            folder = "scores"
        else:
            folder = f"rounds/{round_id}/{'ballots' if method == 'ranked' else 'scores'}"
        if opens is None and previous is not None:
            opens = previous + dt.timedelta(days=1)
        out.append(Window(round_id, folder, opens, closes))
        previous = closes
    return out


def rounds_of(settings: ProgrammeFile) -> list[Round]:
    """The programme's rounds, in order."""
    judging = settings.judging
    if settings.rounds is None:
        return [Round(IMPLICIT, "Judging", "rubric", 0, True, settings.rubric, None,
                      judging.judges_per_entry, judging.shortlist_size, judging.threshold,
                      None, None, "scores")]
    found = windows([(r.id, r.method, r.opens, r.closes, r.reference is not None)
                     for r in settings.rounds])
    count = len(settings.rounds)
    out = []
    counted: int | None = None  # the last round so far that counts
    for index, (declared, window) in enumerate(zip(settings.rounds, found, strict=True)):
        out.append(Round(
            declared.id, declared.title, declared.method, index, index == count - 1,
            declared.rubric or settings.rubric,
            None if declared.judges == "all" else tuple(declared.judges),
            declared.judges_per_entry or judging.judges_per_entry,
            declared.shortlist_size or judging.shortlist_size,
            declared.threshold if declared.threshold is not None else judging.threshold,
            window.opens, window.closes, window.folder,
            None if declared.reference is not None else counted,
            tuple(declared.reference or ()), declared.rubric is not None))
        if declared.reference is None:
            counted = index
    return out


def counting(rounds: Sequence[Round], rnd: Round) -> Round:
    """The round whose results the outputs show when `rnd` is current: itself, or after a
    calibration exercise the first round that counts."""
    if not rnd.calibration:
        return rnd
    return next((r for r in rounds[rnd.index:] if not r.calibration), rnd)


def current(rounds: Sequence[Round], today: dt.date) -> Round:
    """The first round whose deadline has not passed; after the last closes, the last."""
    return next((r for r in rounds if r.closes is None or today <= r.closes), rounds[-1])


def choose(rounds: Sequence[Round], round_id: str | None, today: dt.date) -> Round:
    """The round --round names, or the current one; QsiError (exit 2) for no such round."""
    if round_id is None:
        return current(rounds, today)
    for found in rounds:
        if found.id == round_id:
            return found
    raise QsiError(f"There is no round '{round_id}'; the rounds are "
                   f"{', '.join(r.id for r in rounds)} (programme.yaml).")
