"""qsi new entry."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .options import ProgrammeDir

if TYPE_CHECKING:
    from ..model import Category

EXAMPLE = ('Example: qsi new entry --category safety-secondary --title "Reducing inpatient '
           'falls with safety huddles" --submitted-by priya-shah')

new_app = typer.Typer(
    name="new",
    help="Create a new file from a template. Example: qsi new entry --category qi-primary "
    '--title "Total triage"',
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask_category(categories: Mapping[str, Category]) -> str:
    from ..controls import escaped

    ids = list(categories)
    typer.echo("Categories:")
    for number, category_id in enumerate(ids, 1):
        title = " ".join(categories[category_id].title.split())
        typer.echo(f"  {number}. {category_id}: {escaped(title)}")
    answer = str(typer.prompt("Category (number or ID)")).strip()
    if answer.isdigit() and 1 <= int(answer) <= len(ids):
        return ids[int(answer) - 1]
    return answer


@new_app.command(name="entry", epilog=EXAMPLE)
def entry(
    programme: ProgrammeDir = Path(),
    category: Annotated[str | None, typer.Option(
        "--category", "-c", help="The category ID (asked for on a terminal if left out).",
        metavar="CATEGORY")] = None,
    title: Annotated[str | None, typer.Option(
        "--title", "-t", help="The entry's title; its file name is made from it.",
        metavar="TITLE")] = None,
    organisation: Annotated[str | None, typer.Option(
        help="The organisation that did the work.", metavar="NAME")] = None,
    care_setting: Annotated[str | None, typer.Option(
        help="primary, secondary or community (the category's own setting wins).",
        metavar="SETTING")] = None,
    submitted_by: Annotated[str | None, typer.Option(
        help="The entrant's GitHub handle: only they (and the programme team) may then "
        "change the entry.", metavar="HANDLE")] = None,
) -> None:
    """Create entries/<slug>.md with every field and the required sections, ready to fill in."""
    from ..errors import QsiError
    from ..writes.new_entry import create, rules

    settings, categories = rules(programme)
    if category is None or title is None:
        if not _interactive():
            missing = " and ".join(name for name, value in (("--category", category),
                                                             ("--title", title)) if value is None)
            raise QsiError(f"Give {missing} (or run this on a terminal to be asked). "
                           f"{EXAMPLE}")
        if category is None:
            category = _ask_category(categories)
        if title is None:
            title = str(typer.prompt("Title"))
    path = create(programme, title, category, settings, categories, organisation=organisation,
                  care_setting=care_setting, submitted_by=submitted_by)
    typer.echo(f"Created {path.relative_to(programme).as_posix()}. Fill in the empty fields and "
               "the sections, then run 'qsi validate'.")


def register(app: typer.Typer) -> None:
    app.add_typer(new_app, name="new")
