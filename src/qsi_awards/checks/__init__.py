"""Cross-file rules, one module per concern. Each module's `check(ctx)` yields findings;
its docstring is its documentation. `run` collects every finding, never stopping early."""

from __future__ import annotations

import datetime as dt

from ..findings import Finding
from ..load import Folder
from .context import Context


def run(folder: Folder, round_id: str | None = None, today: dt.date | None = None
        ) -> list[Finding]:
    """Every finding; those about how far judging has got, for the round `round_id` (the
    current one when None, by `today`)."""
    from . import (
        content,
        dates,
        judging,
        measures,
        names,
        plan,
        references,
        rounds,
        scores,
        taxonomy,
    )

    ctx = Context(folder, round_id, today or dt.date.today())
    found = list(folder.findings)
    ctx.start()  # git runs beside the first rules
    try:
        for module in (references, scores, content, dates, judging, names, measures, rounds,
                       plan, taxonomy):
            found.extend(module.check(ctx))
    finally:
        ctx.stop()
    return found
