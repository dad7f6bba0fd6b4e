"""categories.yaml: the award categories."""

from typing import Annotated

from pydantic import Field, StrictBool

from .programme import EntryRules, Rubric
from .types import Id, SettingId, Strict, Text, ThemeId


class Category(Strict):
    id: Id
    title: Text
    theme: ThemeId
    setting: SettingId | None = None  # the one care setting it accepts (None: any) ...
    settings: Annotated[list[SettingId], Field(min_length=1)] | None = None  # ... or these
    requires_patient_involvement: StrictBool = False
    description: Text | None = None
    rubric: Rubric | None = None  # its own rubric (default: programme.yaml's)
    entry_rules: EntryRules | None = None  # its own word limits and sections (default: ditto)

    @property
    def accepts(self) -> tuple[str, ...]:
        """The care settings its entries may have; () for any."""
        if self.settings is not None:
            return tuple(self.settings)
        return (self.setting,) if self.setting is not None else ()


class CategoriesFile(Strict):
    """categories.yaml: the award categories."""

    categories: Annotated[list[Category], Field(min_length=1)]
