"""qsi render."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = ("Examples: qsi render site --out out/site  |  qsi render certificates --out "
           "out/certificates  |  qsi render packs --out out/packs  |  qsi render workbooks "
           "--out out/workbooks  |  qsi render entry-form --out out/form")


class Kind(StrEnum):
    shortlist = "shortlist"
    certificates = "certificates"
    announcement = "announcement"
    site = "site"
    packs = "packs"
    workbooks = "workbooks"
    entry_form = "entry-form"


def render(
    kind: Annotated[Kind, typer.Argument(
        help="shortlist (Markdown + HTML), certificates (PDFs), announcement (press release "
             "+ social posts), site (static showcase), packs (anonymised judge packs), "
             "workbooks (a scoring spreadsheet per judge) or entry-form (an offline form "
             "entrants fill in).",
        show_default=False,
        metavar="shortlist|certificates|announcement|site|packs|workbooks|entry-form")],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="The folder to write into (created if needed); nothing is "
                            "written anywhere else.", show_default=False)],
    programme: ProgrammeDir = Path(),
) -> None:
    """Render outputs from templates (the programme's templates/ override the defaults)."""
    from ..render import run
    from ..report import choose
    from ..report.render import REPORTERS
    from .common import open_or_report, warn

    done = run(kind.value, open_or_report(programme), out)
    for warning in done.warnings:
        warn(f"warning: {warning}")
    choose(REPORTERS)(done, sys.stdout)


def register(app: typer.Typer) -> None:
    app.command(name="render", epilog=EXAMPLE)(render)
