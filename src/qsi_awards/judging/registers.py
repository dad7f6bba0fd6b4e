"""The registers' exceptions on a day, for `qsi status`, `qsi registers` and the board
report: open actions past their due date, open risks above the appetite or past their
review date, and stakeholders not engaged as often as their plan says. Pure: over the
registers load/registers.py read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..load.registers import Registers
from ..model.stakeholders import EVERY_DAYS


@dataclass(frozen=True)
class OverdueAction:
    id: str
    title: str
    owner: str
    due: dt.date
    days: int  # past due


@dataclass(frozen=True)
class RiskException:
    id: str
    title: str
    owner: str
    score: int  # likelihood × impact
    review: dt.date
    above_appetite: bool
    review_overdue: bool


@dataclass(frozen=True)
class StakeholderException:
    id: str
    name: str
    every: str  # the plan: weekly, monthly, ...
    last_engaged: dt.date | None  # None: never
    days: int | None  # since last engaged


@dataclass(frozen=True)
class Exceptions:
    """What the steering group is to hear about from the registers on `today`."""

    appetite: int | None  # None: no valid risks.yaml
    actions: tuple[OverdueAction, ...] = ()
    risks: tuple[RiskException, ...] = ()
    stakeholders: tuple[StakeholderException, ...] = ()

    @property
    def count(self) -> int:
        return len(self.actions) + len(self.risks) + len(self.stakeholders)


def exceptions(registers: Registers, today: dt.date) -> Exceptions:
    actions = tuple(OverdueAction(a.id, a.title, a.owner, a.due, (today - a.due).days)
                    for _, a in registers.actions if a.status == "open" and a.due < today)
    appetite = registers.appetite
    risks = []
    for _, risk in registers.risks:
        if risk.status != "open":
            continue
        above = appetite is not None and risk.score > appetite
        overdue = risk.review < today
        if above or overdue:
            risks.append(RiskException(risk.id, risk.title, risk.owner, risk.score,
                                       risk.review, above, overdue))
    risks.sort(key=lambda r: (-r.score, r.id))
    people = []
    for _, person in registers.stakeholders:
        last = person.last_engaged
        days = None if last is None else (today - last).days
        if days is None or days > EVERY_DAYS[person.every]:
            people.append(StakeholderException(person.id, person.name, person.every, last,
                                               days))
    return Exceptions(appetite, actions, tuple(risks), tuple(people))
