"""qsi render."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir, today_date

EXAMPLE = ("Examples: qsi render site --out out/site  |  qsi render certificates --out "
           "out/certificates  |  qsi render packs --out out/packs  |  qsi render workbooks "
           "--out out/workbooks  |  qsi render entry-form --out out/form  |  before the "
           "results are released: qsi render announcement --finalists --out out  |  qsi "
           "render results --confidential --out out/results  |  qsi render feedback --out "
           "out/feedback  |  qsi render letters --feedback out/feedback --out out/letters  |  "
           "qsi render board-report --out out/board  |  qsi render calendar --out out  |  "
           "qsi render posts --out out")


class Kind(StrEnum):
    shortlist = "shortlist"
    certificates = "certificates"
    announcement = "announcement"
    site = "site"
    packs = "packs"
    workbooks = "workbooks"
    entry_form = "entry-form"
    results = "results"
    feedback = "feedback"
    board_report = "board-report"
    calendar = "calendar"
    posts = "posts"
    letters = "letters"


class MailFormat(StrEnum):
    eml = "eml"
    csv = "csv"


def render(
    kind: Annotated[Kind, typer.Argument(
        help="shortlist (Markdown + HTML), certificates (PDFs), announcement (press release "
             "+ social posts), site (static showcase), packs (anonymised judge packs), "
             "workbooks (a scoring spreadsheet per judge), entry-form (an offline form "
             "entrants fill in), results (the steering group's confidential results pack), "
             "feedback (a report per entry for its team: outcome, scores against the "
             "category, the judges' comments anonymised), "
             "board-report (the steering group's monthly report, a PDF), "
             "letters (an e-mail to every entry's lead and every judge, as .eml files), "
             "calendar (the timeline as calendar.ics, to import into a calendar) or posts "
             "(a social media post for each milestone of the call for entries, in posts.csv).",
        show_default=False,
        metavar="shortlist|certificates|announcement|site|packs|workbooks|entry-form|results|"
                "feedback|board-report|letters|calendar|posts")],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="The folder to write into (created if needed); nothing is "
                            "written anywhere else.", show_default=False)],
    programme: ProgrammeDir = Path(),
    confidential: Annotated[bool, typer.Option(
        "--confidential", help="Make certificates, the results pack, feedback reports or "
                               "the letters that tell entries their outcome before the "
                               "results are released, each marked confidential and "
                               "embargoed; the board report then names the winners.")
    ] = False,
    finalists: Annotated[bool, typer.Option(
        "--finalists", help="announcement: the finalists, not the winners (for before the "
                            "results are released).")] = False,
    today: Annotated[str | None, typer.Option(
        help="Render as on this date (YYYY-MM-DD): whether the results are released yet, "
             "and whether entries are open (the site's How to enter page).",
        metavar="DATE")] = None,
    entry_form: Annotated[str | None, typer.Option(
        "--entry-form", help="site: where the How to enter page sends entrants for the entry "
        "form: entry-form.html when 'qsi render entry-form' writes into the same --out "
        "folder, or the form's web address. Without it, the page says how to send an entry.",
        metavar="LINK")] = None,
    round_id: Annotated[str | None, typer.Option(
        "--round", help="packs and workbooks: the judging round (default: the current one "
        "by the timeline).", metavar="ID")] = None,
    feedback: Annotated[Path | None, typer.Option(
        "--feedback", help="letters: attach each entry's feedback report, <entry>.pdf in "
        "this folder (qsi render feedback --out), where there is one.", metavar="DIR",
        show_default=False)] = None,
    mail_format: Annotated[MailFormat, typer.Option(
        "--format", help="letters: eml (a message file each, default) or csv (one "
        "mail-merge file, letters.csv).")] = MailFormat.eml,
) -> None:
    """Render outputs from templates (the programme's templates/ override the defaults).
    Until the results are released, public outputs show finalists, never winners."""
    from ..render import run
    from ..report import choose
    from ..report.render import REPORTERS
    from .common import for_round, open_or_report, warn

    day = today_date(today)
    prog = open_or_report(programme)
    if kind in (Kind.packs, Kind.workbooks):
        prog = for_round(prog, round_id, scores=kind is Kind.workbooks)
    elif round_id is not None:
        from ..errors import QsiError

        raise QsiError("--round is for packs and workbooks, which are for one round's "
                       f"judges; {kind.value} is for the whole programme, so leave it out.")
    done = run(kind.value, prog, out, day, confidential=confidential, finalists=finalists,
               entry_form=entry_form, feedback=feedback, mail_format=mail_format.value)
    for warning in done.warnings:
        warn(f"warning: {warning}")
    choose(REPORTERS)(done, sys.stdout)


def register(app: typer.Typer) -> None:
    app.command(name="render", epilog=EXAMPLE)(render)
