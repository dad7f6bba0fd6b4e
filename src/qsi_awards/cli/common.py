"""Helpers the commands share: open a programme, printing its findings on failure."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..programme import Programme


def open_or_report(root: Path) -> Programme:
    """Open the programme; on errors print the findings to stderr and re-raise."""
    from ..programme import InvalidProgramme, open_programme
    from ..report.findings import text

    try:
        return open_programme(root)
    except InvalidProgramme as problem:
        text([f for f in problem.findings if f.severity == "error"], problem.folder_files,
             sys.stderr)
        raise
