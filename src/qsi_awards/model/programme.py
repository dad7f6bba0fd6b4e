"""programme.yaml: the programme's name, timeline, rubric and rules."""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Discriminator, Field, StrictInt, StringConstraints, Tag

from .types import HASHTAG_PATTERN, MAX_NUMBER, Date, Email, Id, Strict, Text

if TYPE_CHECKING:
    from .categories import Category


class Milestone(Strict):
    id: Id
    title: Text
    date: Date
    kind: (
        Literal["submissions_open", "submission_deadline", "judging_deadline", "ceremony"] | None
    ) = None
    # a phase: from `date` to `until`, with its owner and the milestones it follows (a
    # milestone with a kind is the one day qsi acts on, so it has no `until`)
    until: Date | None = None
    owner: Text | None = None
    after: list[Id] = []


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
    # the lowest entry score, on the rubric scale, that can be awarded (or go on)
    threshold: Annotated[
        float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER, strict=True, allow_inf_nan=False)
    ] | None = None


class Term(Strict):
    """A theme or a care setting: the ID the files use, and the label people read."""

    id: Id
    label: Text


# The seed's themes and care settings: a programme.yaml without themes: or settings:
# has these.
THEMES = (Term(id="safety", label="Safety"), Term(id="qi", label="Quality improvement"))
SETTINGS = (Term(id="primary", label="Primary care"),
            Term(id="secondary", label="Secondary care"),
            Term(id="community", label="Community care"))


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


class Retention(Strict):
    """What `qsi archive` keeps of an edition's personal data once it is finished."""

    # whose names (lead, job title, team) stay: everyone's; those of entries that
    # consented to publication; of winners and highly commended that consented; nobody's
    entrant_names: Literal["keep", "with-consent", "awarded-with-consent", "drop"] = (
        "awarded-with-consent")
    # e-mail addresses and phone numbers everywhere, and adoption records' contacts
    contact_details: Literal["drop", "keep"] = "drop"
    # GitHub handles: entries' submitted_by, judges' github, the maintainers
    handles: Literal["drop", "keep"] = "drop"
    # judges' IDs and names become judge-01, Judge 01, ... (the same in every file)
    judges: Literal["pseudonymise", "keep"] = "pseudonymise"
    # judges' comments, and the reasons they gave for a conflict of interest
    judges_notes: Literal["drop", "keep"] = "drop"


def _panel_shape(value: Any) -> str:
    return "panel" if isinstance(value, list) else "all"


class Round(Strict):
    """One judging round (README "Judging in rounds"): rubric scores or ranked ballots."""

    id: Id
    title: Text
    method: Literal["rubric", "ranked"]
    rubric: Rubric | None = None  # a rubric round's own; default the programme's
    judges: Annotated[  # the panel: every judge, or these
        Annotated[Literal["all"], Tag("all")] | Annotated[list[Id], Tag("panel")],
        Discriminator(_panel_shape)] = "all"
    judges_per_entry: Annotated[StrictInt, Field(ge=1, le=MAX_NUMBER)] | None = None
    shortlist_size: Annotated[StrictInt, Field(ge=1, le=MAX_NUMBER)] | None = None
    threshold: Annotated[
        float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER, strict=True, allow_inf_nan=False)
    ] | None = None
    opens: Date | None = None  # default: the day after the round before closes
    closes: Date
    # a calibration exercise: these reference entries, scored before the real rounds; it
    # never counts, and the reference entries are in no other round
    reference: Annotated[list[Id], Field(min_length=1)] | None = None


class ProgrammeFile(Strict):
    """programme.yaml: the programme's name, timeline, rubric and rules."""

    name: Text
    edition: Text
    region: Text | None = None
    hashtag: Annotated[str, StringConstraints(pattern=HASHTAG_PATTERN)] | None = None
    maintainers: list[Text] = []
    # Who can read the repository, its pull requests and its Actions logs: public
    # (anyone: the default, the safe assumption) or private (the programme team only).
    # The CI job summary holds the tally only on a private repository.
    repository: Literal["public", "private"] = "public"
    timeline: Annotated[list[Milestone], Field(min_length=1)]
    rubric: Rubric
    judging: Judging
    entry_rules: EntryRules = EntryRules()
    entry_form: EntryForm = EntryForm()
    retention: Retention = Retention()
    rounds: Annotated[list[Round], Field(min_length=1)] | None = None  # None: one round
    # the programme team's e-mail address: letters and reminders come from it
    email: Email | None = None
    # the programme's themes and care settings: categories and entries use their IDs
    themes: Annotated[list[Term], Field(min_length=1)] = list(THEMES)
    settings: Annotated[list[Term], Field(min_length=1)] = list(SETTINGS)

    def milestone(self, kind: str) -> dt.date | None:
        """The date of the milestone of this kind (submission_deadline, ceremony, ...)."""
        return next((m.date for m in self.timeline if m.kind == kind), None)

    def rubric_for(self, category: "Category | None") -> Rubric:
        """The rubric a category's entries are scored on: its own, or the programme's."""
        return category.rubric if category is not None and category.rubric else self.rubric

    def entry_rules_for(self, category: "Category | None") -> EntryRules:
        """The word limits and sections of a category's entries: its own, or the
        programme's."""
        if category is not None and category.entry_rules is not None:
            return category.entry_rules
        return self.entry_rules

    def setting_label(self, setting_id: str) -> str:
        """The care setting's label ('Primary care'); an unknown ID as it is."""
        return next((s.label for s in self.settings if s.id == setting_id), setting_id)

    def theme_label(self, theme_id: str) -> str:
        """The theme's label ('Quality improvement'); an unknown ID as it is."""
        return next((t.label for t in self.themes if t.id == theme_id), theme_id)
