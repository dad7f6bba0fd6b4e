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
            from ..controls import escaped

            typer.echo(f"qsi: {escaped(error.message)}", err=True)
            raise typer.Exit(error.exit_code) from None


# Command modules (src/qsi_awards/cli/<name>.py), in the order `qsi --help` lists them;
# each has register(app), which adds its command with an example in the help.
COMMANDS = ["init", "new", "validate", "status", "assign", "tally", "render", "adoption",
            "guard", "codeowners", "schema"]


def make_app(commands: list[str] = COMMANDS) -> typer.Typer:
    """The `qsi` app with the given commands (all of them unless told otherwise)."""
    import importlib

    made = typer.Typer(
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
    if len(commands) == 1:
        made.callback()(lambda: None)  # stay a group, so `qsi NAME ...` still parses
    for name in commands:
        importlib.import_module(f"{__name__}.{name}").register(made)
    return made


_full: typer.Typer | None = None


def __getattr__(name: str) -> typer.Typer:
    """`app`, the full command line, made on first use (the executable rarely needs it)."""
    global _full
    if name != "app":
        raise AttributeError(name)
    if _full is None:
        _full = make_app()
    return _full


def run(argv: list[str]) -> None:
    """Run the command line. Typer builds every command's options on each call, so when
    the first argument names a command, build only that one: it halves start-up."""
    first = argv[1] if len(argv) > 1 else ""
    (make_app([first]) if first in COMMANDS else __getattr__("app"))()
