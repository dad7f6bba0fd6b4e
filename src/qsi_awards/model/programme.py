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
    guidance: Text | None = None  # what to write here: shown on the entry form


class EntryRules(Strict):
    summary_max_words: Annotated[StrictInt, Field(ge=1, le=MAX_NUMBER)] | None = None
    sections: list[Section] = []


# The entry form's default wording (qsi render entry-form), in plain English, with UK
# GDPR in mind: what is published, where, that it is optional, and how to withdraw.
CONSENT_TO_PUBLISH = (
    "We agree that the programme may publish this entry: its title, organisation, care "
    "setting, summary and write-up, and the names of the project lead and team, on the "
    "awards website and in announcements about the awards. The lead's e-mail address is "
    "never published. This is optional: without it, the entry is judged in the same way "
    "but is not published. We can withdraw this consent at any time by telling the "
    "programme team, who will then take the entry off the website.")
PRIVACY = (
    "The programme team uses the names and e-mail address in this entry only to run the "
    "awards: to judge the entry, to contact the team about it and to prepare "
    "certificates. Judges see the entry without the names of the team or their "
    "organisation. The lead's e-mail address is never published.")
HOW_TO_SEND = (
    "Send the saved entry file to the programme team, as the call for entries asks. If "
    "you use GitHub, you can instead add it to the programme's entries/ folder in a pull "
    "request.")


class EntryForm(Strict):
    """The wording of the entry form (`qsi render entry-form`)."""

    consent_to_publish: Text = CONSENT_TO_PUBLISH  # beside the consent checkbox
    privacy: Text = PRIVACY  # how the entry's personal data is used
    how_to_send: Text = HOW_TO_SEND  # what to do with the saved file


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
    entry_form: EntryForm = EntryForm()

    def milestone(self, kind: str) -> dt.date | None:
        """The date of the milestone of this kind (submission_deadline, ceremony, ...)."""
        return next((m.date for m in self.timeline if m.kind == kind), None)
