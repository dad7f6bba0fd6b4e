"""The `qsi` command line. Thin: each command parses options, calls the core, picks a
reporter and returns an exit code. Heavy modules are imported inside the commands."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from ..errors import QsiError


class QsiGroup(TyperGroup):
    """Turns a QsiError from any command into its message and exit code, once, here."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except QsiError as error:
            typer.echo(f"qsi: {error.message}", err=True)
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=QsiGroup,
    name="qsi",
    help="Run a Quality, Safety & Improvement awards programme as files in git.\n\n"
    "Example: qsi validate   (in a programme folder)",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# Command modules (src/qsi_awards/cli/<name>.py), in the order `qsi --help` lists them;
# each has register(app), which adds its command with an example in the help.
COMMANDS = ["init", "new", "validate", "status", "assign", "tally", "render", "adoption",
            "guard", "codeowners", "schema"]


def _register() -> None:
    import importlib

    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(app)


_register()
