"""What the rules share: the loaded folder and the few facts most rules need, worked out
once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from ..judging.conflicts import ConflictIndex
from ..load import Folder
from ..model import ProgrammeFile


@dataclass
class Context:
    folder: Folder

    @property
    def settings(self) -> ProgrammeFile | None:
        return self.folder.settings

    @cached_property
    def criteria(self) -> list[str]:
        """The rubric's criterion IDs, in order ([] without a valid programme.yaml)."""
        if self.settings is None:
            return []
        return [criterion.id for criterion in self.settings.rubric.criteria]

    @cached_property
    def conflicts(self) -> ConflictIndex:
        return ConflictIndex(self.folder.judges)

    def milestone(self, kind: str) -> dt.date | None:
        return self.settings.milestone(kind) if self.settings is not None else None
