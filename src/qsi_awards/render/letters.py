"""`qsi render letters`: a message to every entry's lead and every judge, as `.eml` files
(render/mail.py), or one mail-merge CSV with `--format csv`.

- `entries/<entry>.eml`: one per entry, to its lead's e-mail address, chosen by its
  outcome (judging/outcomes.py): winner, highly commended, shortlisted, not shortlisted,
  withdrawn or ineligible, from `letter-<outcome>.txt`. With `--feedback DIR`, the
  entry's feedback report `DIR/<entry>.pdf` (`qsi render feedback`) is attached where
  there is one.
- `judges/<judge>.eml`: one per judge with entries to judge in the current round
  (judging/rounds.py), to their `email:` in judges.yaml: until the round's deadline an
  invitation with their assignment and the deadline; after it (or, with no deadline,
  once the results are released), a thank-you. Its Message-ID differs by kind, so
  `qsi send` sends the thank-you even where it sent the invitation from the same file.

The embargo (judging/release.py): until the results are released, the letters that
tell an entry its outcome in the tally are made only with --confidential; they are then
marked confidential and embargoed, and `qsi send` holds them back until the release.
Without it they are left out, and a warning says how many. A withdrawn or ineligible
entry's letter and the judges' letters say nothing of the results, so they are made at
any time.

Each message's Date is a date from the programme: the release for an outcome, the
withdrawal's or disqualification's date, the round's opening for an invitation, the
day after its deadline for a thank-you.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dates import long_date
from ..errors import QsiError
from ..fileio import FILE, FOLDER, kind_of, read_file
from ..judging.outcomes import RESULTS, outcome
from ..judging.progress import JudgeProgress, progress
from ..judging.reminders import deadline_of
from ..judging.rounds import Round, current
from ..report.tables import Table, write_csv
from . import context, mail
from .text import one_line

if TYPE_CHECKING:
    from ..programme import Programme
    from . import Job

FEEDBACK_LIMIT = 32 * 1024 * 1024  # a feedback report bigger than this is not one of qsi's
CSV_NAME = "letters.csv"
COLUMNS = ("file", "kind", "to_name", "to_email", "subject", "date", "entry", "title",
           "category", "organisation", "outcome", "attachment", "embargoed_until",
           "message_id", "text")
LABELS = {"winner": "Winner", "highly-commended": "Highly commended",
          "shortlisted": "Shortlisted", "not-shortlisted": "Not shortlisted",
          "withdrawn": "Withdrawn", "ineligible": "Ineligible"}


@dataclass(frozen=True)
class Made:
    """A letter, where it goes under --out, and what the mail-merge row adds."""

    rel: str
    letter: mail.Letter
    html: str
    entry: Mapping[str, str] | None = None
    outcome: str = ""


def render(job: Job) -> None:
    prog = job.programme
    made = [*_entry_letters(job), *_judge_letters(job)]
    settings = prog.settings
    domain = settings.email.rpartition("@")[2] if settings.email else "qsi.invalid"
    ids = {m.rel: mail.message_id(settings.name, settings.edition, m.letter.key, domain)
           for m in made}
    if job.mail_format == "csv":
        job.outputs.add(CSV_NAME, _csv(made, ids))
        return
    if not made:
        job.warn("There are no letters to write.")
        return
    sender = mail.sender_of(settings.name, settings.email)
    for item in made:
        job.outputs.add(item.rel, mail.message(item.letter, item.html, sender, ids[item.rel]))


def letter(job: Job, kind: str, key: str, to: tuple[str, str], values: Mapping[str, Any],
           date: dt.date, embargo: str | None = None,
           attachments: tuple[mail.Attachment, ...] = ()) -> tuple[mail.Letter, str]:
    """A letter from `letter-<kind>.txt` with `values` (and the programme), and its HTML
    part (letter.html); an embargoed one says so first, whatever its template says."""
    view = {"programme": context.programme_view(job.programme), **values}
    subject, text = mail.compose(job.templates, kind, view)
    if embargo is not None:
        note = job.programme.release.embargo_note()
        subject = f"[Confidential] {subject}"
        text = f"{note.upper()}: not to be sent or shared before then.\n\n{text}"
    html = job.templates.render("letter.html", {
        "programme": view["programme"], "subject": subject,
        "paragraphs": mail.paragraphs(text)})
    return mail.Letter(kind, key, to[0], to[1], subject, text, date, embargo,
                       attachments), html


def _entry_letters(job: Job) -> Iterator[Made]:
    prog = job.programme
    results = prog.results()
    awards: dict[str, str | None] = {}
    left_out = {e for e, front in prog.fronts.items() if front.withdrawn or front.disqualified}
    for category in results.categories:
        if any("incomplete" in r.flags and r.entry not in left_out for r in category.entries):
            job.warn(f"{category.id}: some entries are not fully judged yet, so their "
                     "outcomes may still change.")
        if category.decision is None and category.undecided:
            job.warn(f"{category.id}: a tie leaves an award open; record the steering "
                     "group's decision in decisions.yaml.")
        awards.update((r.entry, r.award) for r in category.entries)
    release = prog.release
    embargo = release.date.isoformat() if release.date else mail.UNRELEASED
    titles = {c.id: one_line(c.title) for c in prog.categories}
    feedback = _feedback_folder(job.feedback)
    held = attached = 0
    for entry_id in sorted(prog.entries):
        front = prog.fronts[entry_id]
        left = front.withdrawn or front.disqualified
        if entry_id not in awards and left is None:
            continue  # a calibration exercise's reference entry: not in the awards
        found = outcome(front, awards.get(entry_id))
        waits = None
        if found in RESULTS and not job.released:
            if not job.confidential:
                held += 1
                continue
            waits = embargo
        attachments: tuple[mail.Attachment, ...] = ()
        if feedback is not None and found in RESULTS:
            attachments = _feedback(feedback, entry_id)
            attached += bool(attachments)
        entry = {"id": entry_id, "title": one_line(front.title),
                 "category": titles.get(front.category, front.category),
                 "organisation": one_line(front.organisation),
                 "lead_name": one_line(front.lead.name),
                 "lead_role": one_line(front.lead.role or "")}
        date = left.date if left is not None else release.date or _last_date(prog)
        made, html = letter(job, found, f"entry:{entry_id}:{found}",
                            (front.lead.name, front.lead.email),
                            {"entry": entry, "outcome": found, "feedback": bool(attachments),
                             "release": release.date.isoformat() if release.date else None,
                             "withdrawal": {"date": left.date.isoformat(),
                                            "reason": one_line(left.reason)}
                             if left is not None else None},
                            date, waits, attachments)
        yield Made(f"entries/{entry_id}.eml", made, html, entry, found)
    if held:
        job.warn(
            f"The results are not released yet (they are released {release.describe()}), "
            f"so the {held} letters that tell entries their outcome are not written. Add "
            "--confidential to prepare them now: each is marked confidential, and 'qsi "
            "send' holds it back until the release.")
    if feedback is not None and not attached:
        job.warn(f"No feedback report was found in {job.feedback} (qsi render feedback "
                 "writes <entry>.pdf there), so no letter has one attached.")


def _feedback_folder(folder: Path | None) -> Path | None:
    if folder is None:
        return None
    found = kind_of(folder)
    if found != FOLDER:
        what = "nothing" if found is None else found
        raise QsiError(f"--feedback {folder} is {what}; give the folder 'qsi render "
                       "feedback --out' wrote the feedback reports into.")
    return folder


def _feedback(folder: Path, entry_id: str) -> tuple[mail.Attachment, ...]:
    """The entry's feedback report, `<entry>.pdf`, as an attachment (none when there is
    none); QsiError for one that is not an ordinary file or cannot be read."""
    path = folder / f"{entry_id}.pdf"
    found = kind_of(path)
    if found is None:
        return ()
    if found != FILE:
        raise QsiError(f"{path} is {found}, not a feedback report; qsi attaches only "
                       "ordinary files. Move it away, or render the feedback again.")
    try:
        data = read_file(path, FEEDBACK_LIMIT)
    except (OSError, ValueError) as error:
        raise QsiError(f"Cannot attach {path}: {getattr(error, 'strerror', None) or error}."
                       ) from None
    if not data.startswith(b"%PDF-"):
        raise QsiError(f"{path} is not a PDF; render the feedback again ('qsi render "
                       "feedback').")
    return (mail.Attachment(f"{entry_id}-feedback.pdf", data),)


def _last_date(prog: Programme) -> dt.date:
    return max(m.date for m in prog.settings.timeline)


def assignment(prog: Programme, rnd: Round, judge: JudgeProgress
               ) -> tuple[list[str], int, int]:
    """A judge's work in a round: the titles of the categories they judge, how many
    entries they have (not recused) and how many of those they have judged in full. In a
    ranked round they rank every finalist of each category they have a ballot for."""
    entrants = prog.entrants(rnd)
    if rnd.ranked:
        ballots = prog.ballots(rnd).get(judge.id)
        found = ballots.ballots if ballots is not None else {}
        sizes = {c: sum(1 for front in entrants.values() if front.category == c) for c in found}
        ids = set(found)
        assigned = sum(sizes.values())
        complete = sum(sizes[c] for c, ballot in found.items() if ballot.ranking is not None)
    else:
        sheet = prog.sheets(rnd).get(judge.id)
        ids = {entrants[e].category for e, j in (sheet.judgements.items() if sheet else ())
               if e in entrants and j.conflict is None}
        assigned, complete = judge.assigned, judge.complete
    return [one_line(c.title) for c in prog.categories if c.id in ids], assigned, complete


def round_view(prog: Programme, rnd: Round) -> dict[str, Any]:
    """A round as letters see it; `named` when the programme has rounds of its own."""
    return {"id": rnd.id, "title": one_line(rnd.title), "named": prog.settings.rounds is not None,
            "opens": rnd.opens.isoformat() if rnd.opens else None,
            "closes": rnd.closes.isoformat() if rnd.closes else None}


def _judge_letters(job: Job) -> Iterator[Made]:
    prog = job.programme
    rnd = current(prog.rounds, job.today)
    deadline = deadline_of(prog, rnd)
    # after the deadline; without one, once the results are released
    thanks = job.today > deadline if deadline is not None else job.released
    kind = "judge-thanks" if thanks else "judge-invitation"
    state = progress(prog.folder, prog.findings, job.today, rnd.id)
    no_email: list[str] = []
    unassigned = 0
    for judge in state.judges:
        if judge.assigned == 0:
            unassigned += 1
            continue
        email = prog.judges[judge.id].email
        if email is None:
            no_email.append(judge.id)
            continue
        if thanks:
            date = deadline + dt.timedelta(days=1) if deadline else _last_date(prog)
        else:
            date = (rnd.opens or prog.settings.milestone("submission_deadline")
                    or min(m.date for m in prog.settings.timeline))
        categories, assigned, complete = assignment(prog, rnd, judge)
        made, html = letter(job, kind, f"judge:{judge.id}:{kind}:{rnd.id}",
                            (judge.name, email),
                            {"judge": {"id": judge.id, "name": one_line(judge.name)},
                             "round": round_view(prog, rnd), "ranked": rnd.ranked,
                             "assigned": assigned, "complete": complete,
                             "categories": categories,
                             "deadline": deadline.isoformat() if deadline else None},
                            date)
        yield Made(f"judges/{judge.id}.eml", made, html)
    if thanks:
        closed = (f"judging closed on {long_date(deadline)}" if deadline is not None
                  else "the results are released")
        job.warn(f"The judges' letters are thank-you letters: {closed}.")
    elif deadline is not None:
        job.warn(f"The judges' letters are invitations with their assignments until "
                 f"{long_date(deadline)}, the judging deadline; after it they are thank-you "
                 "letters.")
    else:
        job.warn("The judges' letters are invitations with their assignments: the timeline "
                 "has no judging deadline, so they are thank-you letters once the results are "
                 "released.")
    if unassigned:
        job.warn(f"{unassigned} judge(s) on the panel have no entries in their score sheets "
                 "yet, so they have no letter (qsi assign makes the assignments).")
    if no_email:
        job.warn(f"No e-mail address in judges.yaml for {', '.join(no_email)}, so they have "
                 "no letter; add 'email:' to each.")


def _csv(made: list[Made], ids: Mapping[str, str]) -> str:
    rows = []
    for item in made:
        m, entry = item.letter, item.entry or {}
        rows.append((
            item.rel, m.kind, one_line(m.to_name), m.to_email, m.subject, m.date,
            entry.get("id"), entry.get("title"), entry.get("category"),
            entry.get("organisation"), LABELS.get(item.outcome),
            ", ".join(a.filename for a in m.attachments) or None, m.embargo, ids[item.rel],
            m.text))
    buffer = io.StringIO()
    write_csv(Table("Letters", COLUMNS, tuple(rows)), buffer)
    return buffer.getvalue()
