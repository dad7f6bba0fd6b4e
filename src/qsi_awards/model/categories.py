"""categories.yaml: the award categories."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool

from .types import Id, Setting, Strict, Text


class Category(Strict):
    id: Id
    title: Text
    theme: Literal["safety", "qi"]
    setting: Setting | None = None
    requires_patient_involvement: StrictBool = False
    description: Text | None = None


class CategoriesFile(Strict):
    """categories.yaml: the award categories."""

    categories: Annotated[list[Category], Field(min_length=1)]
