"""The `qsi` command line. Thin: each command parses options, calls the core, picks a
reporter and returns an exit code. Heavy modules are imported inside the commands.

Errors are rendered once, here (`handled`): a QsiError as its message and exit code;
anything unexpected as one line that says it is a bug in qsi (exit 2), with Python's
traceback only under `qsi --debug COMMAND`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from ..errors import QsiError
from ..usage import APP_HELP, DEBUG_HELP, HELP_OPTIONS, VERSION_HELP

T = TypeVar("T")

DEBUG = "--debug"
VERSION = "--version"


def handled(command: Callable[[], T], debug: bool = False) -> T:
    """Run `command` at the edge of the command line. A QsiError prints its message and
    exits with its code; any other exception prints one line saying that qsi itself
    went wrong and what to do, and exits 2 (with the traceback first when `debug`).
    What typer handles itself passes: its exits, usage errors and aborts, the end of
    input at a prompt, and a closed pipe (`qsi tally | head`)."""
    try:
        return command()
    except QsiError as error:
        from ..controls import escaped

        typer.echo(f"qsi: {escaped(error.message)}", err=True)
        raise typer.Exit(error.exit_code) from None
    except (typer.Exit, typer.Abort, typer.TyperException, EOFError, BrokenPipeError):
        raise
    except Exception as error:
        if debug:
            import traceback

            from ..controls import escaped

            typer.echo(escaped(traceback.format_exc()), err=True, nl=False)
        typer.echo(bug_message(error, debug), err=True)
        raise typer.Exit(2) from None


def bug_message(error: Exception, debug: bool = False) -> str:
    """One line for an exception qsi did not expect: it is qsi's bug, not the user's."""
    from ..controls import escaped

    what = " ".join(f"{type(error).__name__}: {error}".split())
    if len(what) > 200:
        what = what[:199] + "…"
    then = ("report it with the command you ran and the details above" if debug else
            "report it with the command you ran; run it again as 'qsi --debug ...' (the "
            "same command after --debug) to see the details")
    return (f"qsi: something went wrong inside qsi ({escaped(what)}). This is a bug in qsi, "
            f"not in your files: please {then}.")


class QsiGroup(TyperGroup):
    """Renders every error from any command once, here (see `handled`)."""

    def invoke(self, ctx: Any) -> Any:
        invoke = functools.partial(TyperGroup.invoke, self, ctx)
        return handled(invoke, debug=bool(ctx.params.get("debug")))


def _version(wanted: bool) -> None:
    """`qsi --version`: the installed package's version, and stop."""
    if not wanted:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        typer.echo(f"qsi {version('qsi-awards')}")
    except PackageNotFoundError:
        typer.echo("qsi (version unknown: the qsi-awards package is not installed; "
                   "install it with pip)")
    raise typer.Exit()


def _global_options(
    debug: Annotated[bool, typer.Option(DEBUG, help=DEBUG_HELP)] = False,
    version: Annotated[bool, typer.Option(
        VERSION, help=VERSION_HELP, callback=_version, is_eager=True)] = False,
) -> None:
    """Options for every command; QsiGroup reads them from the context."""


# Command modules (src/qsi_awards/cli/<name>.py), in the order `qsi --help` lists them
# (the groups, new and import, after the commands: usage.SUMMARIES); each has
# register(app), which adds its command with an example in the help.
COMMANDS = ["init", "new", "import", "validate", "status", "assign", "tally", "render",
            "adoption", "calibration", "guard", "codeowners", "schema", "vote", "spc",
            "privacy", "person", "archive", "compare", "registers", "remind", "send"]
# A command whose module has another name (`import` is a Python keyword).
MODULES = {"import": "imports"}


def make_app(commands: list[str] = COMMANDS) -> typer.Typer:
    """The `qsi` app with the given commands (all of them unless told otherwise)."""
    import importlib

    made = typer.Typer(
        cls=QsiGroup,
        name="qsi",
        help=APP_HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": HELP_OPTIONS},
    )
    made.callback()(_global_options)  # also keeps a one-command app a group
    for name in commands:
        importlib.import_module(f"{__name__}.{MODULES.get(name, name)}").register(made)
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
    the first argument after the global options names a command, build only that one:
    it halves start-up. `qsi --version` builds none."""
    first = next((arg for arg in argv[1:] if arg != DEBUG), "")
    if first == VERSION:  # no command is needed for that
        make_app([])()
        return
    (make_app([first]) if first in COMMANDS else __getattr__("app"))()
