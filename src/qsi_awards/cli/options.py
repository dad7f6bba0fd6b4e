"""Options every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Programme = Annotated[
    Path,
    typer.Option("--programme", "-p", help="The programme folder (default: the current folder).",
                 show_default=False),
]
