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


# Command modules (src/qsi_awards/cli/<name>.py), in the order `qsi --help` lists them;
# each has register(app), which adds its command with an example in the help.
COMMANDS = ["validate", "tally", "schema"]


def _register() -> None:
    import importlib

    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(app)


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
