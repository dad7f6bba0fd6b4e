"""qsi send."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .options import today_date

EXAMPLE = ("Examples: qsi send out/letters --smtp smtp.example.nhs.uk:587 --dry-run  |  "
           "QSI_SMTP_USER=awards@example.nhs.uk QSI_SMTP_PASSWORD=... qsi send out/letters "
           "--smtp smtp.example.nhs.uk:587")


def send(
    folder: Annotated[Path, typer.Argument(
        help="The folder of messages (.eml) that qsi render letters or qsi remind --out "
             "wrote.", show_default=False, metavar="DIR")],
    smtp: Annotated[str, typer.Option(
        "--smtp", help="The mail server, HOST:PORT (usually port 587). The login, if it "
        "needs one, comes from the environment variables QSI_SMTP_USER and "
        "QSI_SMTP_PASSWORD.", metavar="HOST:PORT", show_default=False)],
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be sent, and send nothing.")] = False,
    no_tls: Annotated[bool, typer.Option(
        "--no-tls", help="Do not use STARTTLS: only for a server on this machine "
        "(localhost), and never with a login.")] = False,
    ca_file: Annotated[Path | None, typer.Option(
        "--ca-file", help="Check the server's certificate against these certificate "
        "authorities (a PEM file), not the system's.", metavar="FILE",
        show_default=False)] = None,
    today: Annotated[str | None, typer.Option(
        help="As on this date (YYYY-MM-DD): whether embargoed messages may go.",
        metavar="DATE")] = None,
) -> None:
    """Send the prepared messages over SMTP with STARTTLS, each once: a log in DIR
    (.qsi-sent.log) records every message sent, so running it again sends only the
    rest. Messages embargoed until the results are released wait until then."""
    from ..report import choose
    from ..report.send import REPORTERS
    from ..sending import send as run
    from ..sending import server

    day = today_date(today)
    to = server(smtp, not no_tls, ca_file)
    done = run(folder, None if dry_run else to, day)
    choose(REPORTERS)(done, sys.stdout)
    raise typer.Exit(1 if done.held else 0)


def register(app: typer.Typer) -> None:
    app.command(name="send", epilog=EXAMPLE)(send)
