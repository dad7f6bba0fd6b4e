"""The `qsi` command line. Thin: each command parses options, calls the core, picks a
reporter and returns an exit code. Heavy modules are imported inside the commands."""

from __future__ import annotations

import sys

import typer

from ..errors import QsiError

app = typer.Typer(
    name="qsi",
    help="Run a Quality, Safety & Improvement awards programme as files in git.\n\n"
    "Example: qsi validate   (in a programme folder)",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _register() -> None:
    from . import validate

    app.command(name="validate", epilog=validate.EXAMPLE)(validate.validate)
    from . import schema

    app.command(name="schema", epilog=schema.EXAMPLE)(schema.schema)
    from . import tally

    app.command(name="tally", epilog=tally.EXAMPLE)(tally.tally)


_register()


def main() -> None:
    """Entry point: run the app; print a QsiError as a plain message with its exit code."""
    try:
        app()
    except QsiError as error:
        sys.stderr.write(f"qsi: {error.message}\n")
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("qsi: interrupted.\n")
        sys.exit(130)
