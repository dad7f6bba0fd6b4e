"""entries/<id>.md: the YAML front matter of an entry."""

from __future__ import annotations

from pydantic import StrictBool

from .types import Date, Email, Id, Setting, Strict, Text


class Lead(Strict):
    name: Text
    role: Text | None = None
    email: Email


class EntryFile(Strict):
    """The YAML front matter of entries/<id>.md."""

    title: Text
    category: Id
    organisation: Text
    care_setting: Setting
    lead: Lead
    team: list[Text] = []
    submitted_by: Text | None = None
    submitted: Date
    patient_involvement: StrictBool = False
    consent_to_publish: StrictBool
    summary: Text
