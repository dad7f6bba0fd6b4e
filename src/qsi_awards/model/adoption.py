"""adoption.yaml: Part 2, who has adopted which winning project."""

from __future__ import annotations

from typing import Literal

from .types import Date, Id, Strict, Text


class AdoptionRecord(Strict):
    entry: Id
    organisation: Text
    stage: Literal["interested", "planning", "piloting", "adopted", "declined"]
    date: Date
    contact: Text | None = None
    notes: Text | None = None


class AdoptionFile(Strict):
    """adoption.yaml: Part 2, who has adopted which winning project."""

    adoption: list[AdoptionRecord]
