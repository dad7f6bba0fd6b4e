"""Cross-file rules, one module per concern. Each module's `check(ctx)` yields findings;
its docstring is its documentation. `run` collects every finding, never stopping early."""

from __future__ import annotations

from ..findings import Finding
from ..load import Folder
from .context import Context


def run(folder: Folder) -> list[Finding]:
    from . import content, dates, judging, names, references, scores

    ctx = Context(folder)
    found = list(folder.findings)
    for module in (references, scores, content, dates, judging, names):
        found.extend(module.check(ctx))
    return found
