"""qsi render."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .options import ProgrammeDir

EXAMPLE = ("Examples: qsi render site --out out/site  |  qsi render certificates --out "
           "out/certificates  |  qsi render packs --out out/packs")


class Kind(StrEnum):
    shortlist = "shortlist"
    certificates = "certificates"
    announcement = "announcement"
    site = "site"
    packs = "packs"


def render(
    kind: Annotated[Kind, typer.Argument(
        help="shortlist (Markdown + HTML), certificates (PDFs), announcement (press release "
             "+ social posts), site (static showcase) or packs (anonymised judge packs).",
        show_default=False, metavar="shortlist|certificates|announcement|site|packs")],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="The folder to write into (created if needed); nothing is "
                            "written anywhere else.", show_default=False)],
    programme: ProgrammeDir = Path(),
) -> None:
    """Render outputs from templates (the programme's templates/ override the defaults)."""
    from ..render import run
    from .common import open_or_report

    prog = open_or_report(programme)
    report = run(kind.value, prog, out)
    from ..controls import escaped

    for warning in report.warnings:
        typer.echo(f"qsi: warning: {escaped(warning)}", err=True)
    count = len(report.written)
    typer.echo(f"Wrote {count} file{'s' if count != 1 else ''} under {out}:")
    shown = report.written if count <= 12 else report.written[:10]
    for rel in shown:
        typer.echo(f"  {rel}")
    if len(shown) < count:
        typer.echo(f"  ... and {count - len(shown)} more")
    if report.removed:
        typer.echo(f"Removed {len(report.removed)} file(s) an earlier run wrote that are no "
                   "longer produced: " + ", ".join(report.removed))
    if kind is Kind.site:
        typer.echo(f"Open {out / 'index.html'} in a browser (it works without a server).")
    if kind is Kind.packs and report.written:
        from ..render.packs import KEY

        typer.echo(f"{KEY} matches each reference in the packs to its entry: keep it to the "
                   "programme team and send each judge only their own pack.")


def register(app: typer.Typer) -> None:
    app.command(name="render", epilog=EXAMPLE)(render)
