"""adoption.yaml: Part 2, who has adopted which winning project."""

from typing import Literal

from .measures import Measures
from .types import Date, Id, Strict, Text


class AdoptionRecord(Strict):
    entry: Id
    organisation: Text
    stage: Literal["interested", "planning", "piloting", "adopted", "declined"]
    date: Date
    contact: Text | None = None
    notes: Text | None = None
    measures: Measures = []  # the adopting site's measures (model/measures.py)


class AdoptionFile(Strict):
    """adoption.yaml: Part 2, who has adopted which winning project."""

    adoption: list[AdoptionRecord]
