"""qsi init."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

EXAMPLE = ('Example: qsi init sussex-qsi --region "Sussex" --edition 2025 --hashtag '
           "#SussexQSI --maintainer sussex-lead")


def init(
    folder: Annotated[Path, typer.Argument(
        help="The new programme's folder (created if needed; nothing in it is overwritten).",
        metavar="DIR", show_default=False)],
    name: Annotated[str | None, typer.Option(
        help="The programme's name (default: '<region> Quality, Safety & Improvement "
        "Awards').", metavar="NAME")] = None,
    edition: Annotated[str | None, typer.Option(
        help="The edition, usually a year (default: this year); the timeline is set around it.",
        metavar="EDITION")] = None,
    region: Annotated[str | None, typer.Option(help="The region the programme serves.",
                                               metavar="REGION")] = None,
    hashtag: Annotated[str | None, typer.Option(
        help="The hashtag for social posts (default: from the region's initials).",
        metavar="HASHTAG")] = None,
    maintainer: Annotated[list[str] | None, typer.Option(
        help="A GitHub handle of the programme team (repeat for more).",
        metavar="HANDLE")] = None,
    action: Annotated[str | None, typer.Option(
        help="The qsi GitHub Action the workflow uses, as OWNER/REPO@REF (best pinned to "
        "a release's commit).",
        metavar="REF")] = None,
    theme: Annotated[list[str] | None, typer.Option(
        help="A theme of the awards as ID=Label, e.g. workforce='Workforce' (repeat for "
        "more; default: safety and qi).", metavar="ID=LABEL")] = None,
    setting: Annotated[list[str] | None, typer.Option(
        help="A care setting as ID=Label, e.g. mental-health='Mental health services' "
        "(repeat for more; default: primary, secondary and community). With --theme or "
        "--setting, the categories are one per theme and setting, and one per theme for "
        "work with patients and the public.", metavar="ID=LABEL")] = None,
) -> None:
    """Start a new programme (Part 3): the seed's categories (or one per --theme and
    --setting), the five-criterion rubric, a timeline to fill in, an empty panel, an
    example entry, the default templates, the CI workflow, CODEOWNERS and a README for
    the programme team. Refuses to overwrite anything."""
    from ..writes.init import Options, create

    written = create(folder, Options(name=name, edition=edition, region=region,
                                     hashtag=hashtag, maintainers=list(maintainer or []),
                                     action=action, themes=list(theme or []),
                                     settings=list(setting or [])))
    typer.echo(f"Created a programme in {folder} ({len(written)} files).")
    typer.echo("Next: fill in the dates in programme.yaml and your GitHub handles under "
               "maintainers, run 'qsi validate', then read README.md.")


def register(app: typer.Typer) -> None:
    app.command(name="init", epilog=EXAMPLE)(init)
