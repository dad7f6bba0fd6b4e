"""entries/<id>.md: the YAML front matter of an entry."""

from pydantic import StrictBool

from .measures import Measures
from .types import Date, Email, Id, SettingId, Strict, Text


class Lead(Strict):
    name: Text
    role: Text | None = None
    email: Email


class Source(Strict):
    """Where an entry came from when `qsi import entries` made it: the form (as its map
    names it) and the response's ID in that form's export."""

    form: Text
    response: Text


class Withdrawal(Strict):
    """An entry taken out of the awards without deleting it: withdrawn by its team, or
    disqualified by the programme team. It stays on record but is not judged or
    published."""

    date: Date
    reason: Text


class EntryFile(Strict):
    """The YAML front matter of entries/<id>.md."""

    title: Text
    category: Id
    organisation: Text
    care_setting: SettingId
    lead: Lead
    team: list[Text] = []
    submitted_by: Text | None = None
    submitted: Date
    patient_involvement: StrictBool = False
    consent_to_publish: StrictBool
    summary: Text
    source: Source | None = None
    measures: Measures = []  # measures for improvement, with their data (model/measures.py)
    withdrawn: Withdrawal | None = None  # the team withdrew the entry
    disqualified: Withdrawal | None = None  # the programme team disqualified it

    @property
    def left(self) -> tuple[str, Withdrawal] | None:
        """('withdrawn' or 'disqualified', when and why) for an entry out of the awards;
        None for one still in them."""
        if self.withdrawn is not None:
            return "withdrawn", self.withdrawn
        if self.disqualified is not None:
            return "disqualified", self.disqualified
        return None
