"""qsi import: bring in what people sent from outside git (a Forms export of entries,
judges' scoring workbooks)."""

from __future__ import annotations

import importlib

import typer

# Sub-command modules (src/qsi_awards/cli/<name>.py), each with register(group), which
# adds its command to the `import` group.
SUBCOMMANDS = ["import_entries", "import_scores"]


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        name="import",
        help="Bring in what people sent from outside git. Examples: qsi import entries "
        "responses.xlsx  |  qsi import scores returned/hmarsh.xlsx",
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    for name in SUBCOMMANDS:
        importlib.import_module(f"{__package__}.{name}").register(group)
    app.add_typer(group, name="import")
