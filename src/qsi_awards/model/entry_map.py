"""forms/entry-map.yaml: how the responses of a Microsoft Forms or Google Forms
questionnaire become entries (`qsi import entries`).

Each column is named by its header as the export writes it (the question's text);
case and white space do not matter. Answers to choice questions become values through
`answers` (and a few defaults: a category's ID or title, a care setting's name, yes and
no), so the form can say "Best safety initiative in primary care" where the entry says
safety-primary.
"""

from typing import Literal

from pydantic import StrictBool

from .types import Id, SettingId, Strict, Text


class Columns(Strict):
    """The header of the export's column that holds each field."""

    response: Text  # the response's ID: Microsoft Forms "ID"; Google Forms "Timestamp"
    submitted: Text  # when it was sent: "Completion time"; Google Forms "Timestamp"
    title: Text
    category: Text | None = None  # or fixed.category
    organisation: Text | None = None  # or fixed.organisation
    care_setting: Text | None = None  # or fixed.care_setting, or the category's own
    lead_name: Text
    lead_role: Text | None = None
    lead_email: Text
    team: Text | None = None  # names separated by commas, semicolons or line breaks
    submitted_by: Text | None = None
    patient_involvement: Text | None = None  # or fixed.patient_involvement (else false)
    consent_to_publish: Text
    summary: Text


class Fixed(Strict):
    """Values every response of this form shares (a form per category, say)."""

    category: Id | None = None
    organisation: Text | None = None
    care_setting: SettingId | None = None
    patient_involvement: StrictBool | None = None


class Answers(Strict):
    """What the answers to choice questions mean: answer text -> value."""

    category: dict[str, Id] = {}
    care_setting: dict[str, SettingId] = {}
    patient_involvement: dict[str, StrictBool] = {}
    consent_to_publish: dict[str, StrictBool] = {}


class EntryMapFile(Strict):
    """forms/entry-map.yaml: which column of a Forms export is which field or section."""

    form: Text  # recorded in every entry made, with the response's ID
    columns: Columns
    sections: dict[str, Text] = {}  # the programme's section title -> its column's header
    fixed: Fixed = Fixed()
    answers: Answers = Answers()
    dates: Literal["day-first", "month-first"] = "day-first"  # 28/01/2020 or 01/28/2020
    ignore_responses: list[Text] = []  # response IDs never to import (tests, duplicates)
