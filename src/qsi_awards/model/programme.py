"""programme.yaml: the programme's name, timeline, rubric and rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from .types import HASHTAG_PATTERN, MAX_NUMBER, Date, Id, Strict, Text


class Milestone(Strict):
    id: Id
    title: Text
    date: Date
    kind: (
        Literal["submissions_open", "submission_deadline", "judging_deadline", "ceremony"] | None
    ) = None


class Scale(Strict):
    min: Annotated[StrictInt, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
    max: Annotated[StrictInt, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]


class Criterion(Strict):
    id: Id
    title: Text
    # x-qsi-code: the rule code a value outside the bounds gets (JSON Schema ignores it)
    weight: Annotated[
        float, Field(gt=0, le=MAX_NUMBER, strict=True, allow_inf_nan=False,
                     json_schema_extra={"x-qsi-code": "bad-weight"})
    ]
    guidance: Text | None = None


class Rubric(Strict):
    scale: Scale
    criteria: Annotated[list[Criterion], Field(min_length=1)]


class Judging(Strict):
    judges_per_entry: Annotated[StrictInt, Field(ge=1, le=MAX_NUMBER)]
    method: Literal["mean", "zscore"] = "mean"
    shortlist_size: Annotated[StrictInt, Field(ge=1, le=MAX_NUMBER)] = 5
    highly_commended: Annotated[StrictInt, Field(ge=0, le=MAX_NUMBER)] = 2
    tiebreak: list[Id] = []
    disagreement: Annotated[
        float, Field(ge=0, le=MAX_NUMBER, strict=True, allow_inf_nan=False)] | None = None


class Section(Strict):
    title: Text
    max_words: Annotated[StrictInt, Field(ge=1, le=MAX_NUMBER)] | None = None


class EntryRules(Strict):
    summary_max_words: Annotated[StrictInt, Field(ge=1, le=MAX_NUMBER)] | None = None
    sections: list[Section] = []


class ProgrammeFile(Strict):
    """programme.yaml: the programme's name, timeline, rubric and rules."""

    name: Text
    edition: Text
    region: Text | None = None
    hashtag: Annotated[str, StringConstraints(pattern=HASHTAG_PATTERN)] | None = None
    maintainers: list[Text] = []
    timeline: Annotated[list[Milestone], Field(min_length=1)]
    rubric: Rubric
    judging: Judging
    entry_rules: EntryRules = EntryRules()

    def milestone(self, kind: str) -> dt.date | None:
        """The date of the milestone of this kind (submission_deadline, ceremony, ...)."""
        return next((m.date for m in self.timeline if m.kind == kind), None)
