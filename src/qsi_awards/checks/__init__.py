"""Cross-file rules, one module per concern. Each module's `check(ctx)` yields findings;
its docstring is its documentation. `run` collects every finding, never stopping early."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..findings import Finding
from ..judging.conflicts import ConflictIndex
from ..load import Folder


@dataclass
class Context:
    """A folder plus the few facts most rules need, derived once."""

    folder: Folder

    @cached_property
    def settings(self) -> dict[str, Any] | None:
        return self.folder.settings

    @cached_property
    def criteria(self) -> list[str]:
        if self.settings is None:
            return []
        return [c["id"] for c in self.settings["rubric"]["criteria"]]

    @cached_property
    def conflicts(self) -> ConflictIndex:
        return ConflictIndex(self.folder.judges)

    def milestone(self, kind: str) -> dt.date | None:
        if self.settings is None:
            return None
        for milestone in self.settings["timeline"]:
            if milestone.get("kind") == kind:
                return dt.date.fromisoformat(milestone["date"])
        return None


def run(folder: Folder) -> list[Finding]:
    from . import content, dates, judging, names, references, scores

    ctx = Context(folder)
    found = list(folder.findings)
    for module in (references, scores, content, dates, judging, names):
        found.extend(module.check(ctx))
    return found
