"""`qsi remind`'s reporters: text or JSON, over judging/reminders.py's Reminders. Names
and counts only: no score, no entry."""

from __future__ import annotations

from typing import Any

from ..controls import escaped
from ..dates import long_date
from ..judging.reminders import Reminders
from . import Reporter, json_text, writing


def _deadline(due: Reminders) -> str:
    if due.deadline is None or due.days is None:
        return "no deadline (the timeline has no judging_deadline and the round no closes)"
    days = due.days
    when = ("today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}" if days > 0
            else f"{-days} day{'s' if days != -1 else ''} ago")
    return f"{long_date(due.deadline)} ({when})"


def to_text(due: Reminders) -> str:
    which = f", {escaped(due.round.title)} (round {due.round.id})" if due.rounds else ""
    lines = [f"{escaped(due.programme)} {escaped(due.edition)}{which}, as on "
             f"{long_date(due.today)}",
             f"Deadline: {_deadline(due)}"]
    if not due.judges:
        lines.append("Every judge has finished their judgements: nobody to remind.")
        return "\n".join(lines) + "\n"
    count = len(due.judges)
    ranked = due.round.ranked  # a ballot per category, counted as the reminder e-mail does
    lines.append(f"{count} judge{'s' if count != 1 else ''} with "
                 f"{'categories to rank' if ranked else 'judgements to do'} "
                 f"({due.outstanding} in all):")
    width = max(len(j.id) for j in due.judges)
    for judge in due.judges:
        todo = judge.assigned - judge.complete
        unit = (f"categor{'y' if judge.assigned == 1 else 'ies'} to rank" if ranked
                else "to do")
        lines.append(f"  {judge.id:<{width}}  {escaped(judge.name)}: {todo} of "
                     f"{judge.assigned} {unit}")
    return "\n".join(lines) + "\n"


def to_json(due: Reminders) -> str:
    document: dict[str, Any] = {
        "programme": due.programme,
        "edition": due.edition,
        "today": due.today.isoformat(),
        "round": {"id": due.round.id, "title": due.round.title},
        "deadline": due.deadline.isoformat() if due.deadline else None,
        "days": due.days,
        "counts": "categories" if due.round.ranked else "judgements",  # see to_text
        "outstanding": due.outstanding,
        "judges": [{"id": j.id, "name": j.name, "assigned": j.assigned,
                    "complete": j.complete, "outstanding": j.assigned - j.complete}
                   for j in due.judges],
    }
    return json_text(document)


REPORTERS: dict[str, Reporter[Reminders]] = {"text": writing(to_text),
                                             "json": writing(to_json)}
