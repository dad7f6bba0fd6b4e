"""`qsi remind --out DIR`: a reminder to each judge with judgements still to do in the
current round (judging/reminders.py), `<judge>.eml`, from `letter-judge-reminder.txt`,
as render/mail.py makes messages. A reminder is dated the day it is made (--today), and
that day is part of its Message-ID: a reminder made on another day is a new message, which
`qsi send` sends; the same day's again is the same one, which it does not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..judging.reminders import reminders
from . import mail
from .letters import assignment, letter, round_view
from .text import one_line

if TYPE_CHECKING:
    from . import Job


def render(job: Job) -> None:
    prog = job.programme
    settings = prog.settings
    sender = mail.sender_of(settings.name, settings.email)
    domain = sender.domain
    due = reminders(prog, job.today)
    rnd = due.round
    no_email = []
    for judge in due.judges:
        email = prog.judges[judge.id].email
        if email is None:
            no_email.append(judge.id)
            continue
        key = f"judge:{judge.id}:reminder:{rnd.id}:{job.today.isoformat()}"
        categories, assigned, complete = assignment(prog, rnd, judge)
        made, html = letter(job, "judge-reminder", key, (judge.name, email), {
            "judge": {"id": judge.id, "name": one_line(judge.name)},
            "round": round_view(prog, rnd), "ranked": rnd.ranked,
            "assigned": assigned, "complete": complete,
            # counted as `qsi remind` lists them (judging/progress.py): in a ranked round
            # the ballots (a category each) not ranked yet, not the finalists on them
            "outstanding": judge.assigned - judge.complete, "ballot": rnd.path(judge.id),
            "categories": categories,
            "deadline": due.deadline.isoformat() if due.deadline else None,
            "days": due.days}, job.today)
        msgid = mail.message_id(settings.name, settings.edition, key, domain)
        job.outputs.add(f"{judge.id}.eml", mail.message(made, html, sender, msgid))
    if no_email:
        job.warn(f"No e-mail address in judges.yaml for {', '.join(no_email)}, so they have "
                 "no reminder; add 'email:' to each.")
