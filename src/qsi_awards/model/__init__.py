"""pydantic models, one per file kind: the single source of the JSON Schemas.

`qsi schema` writes these models' JSON Schemas; the package ships the same schemas
(src/qsi_awards/schemas/) and `qsi validate` checks files against them with the
compiled validator in schemacheck.py, so no command pays pydantic's import cost
(it is more than a whole validation of a small programme). A property test keeps
pydantic and the compiled validator in agreement.

Types are strict: a quoted "9" is not a score, `yes` in quotes is not true, and a
date is a real YYYY-MM-DD date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
# An e-mail address: a dot-atom local part (RFC 5322: letters, digits and !#$%&'*+/=?^_`{|}~-,
# dots only between them), then a domain of dot-separated labels (letters, digits, inner
# dashes, at most 63 each) ending in a top-level domain of two or more characters that
# starts with a letter; ASCII only, at most 254 characters in all (EMAIL_MAX). Python's re,
# the Rust regex engine in pydantic-core and ECMA-262 (editors' JSON Schema validators)
# read this pattern the same way: no look-arounds, no escapes inside the classes.
_ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = (rf"^{_ATEXT}(?:\.{_ATEXT})*@(?:{_LABEL}\.)+"
                 r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])$")
EMAIL_MAX = 254
HASHTAG_PATTERN = r"^#[A-Za-z0-9_]+$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

_DATE_RE = re.compile(DATE_PATTERN)
# The largest number any field takes (weights, thresholds, counts, the scale's ends):
# far beyond any real programme, and small enough that every score, sum and rounding
# in the tally stays exact and finite.
MAX_NUMBER = 1_000_000


def _iso_date(value: Any) -> Any:
    """Accept only the text YYYY-MM-DD (or a date); never a number or other format."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value):
        return dt.date.fromisoformat(value)
    raise ValueError("expected a date written as YYYY-MM-DD")


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
Email = Annotated[
    str,
    StringConstraints(pattern=EMAIL_PATTERN, max_length=EMAIL_MAX),
    Field(json_schema_extra={"format": "email"}),
]
Date = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
Setting = Literal["primary", "secondary", "community"]
Score = StrictInt | None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# programme.yaml ------------------------------------------------------------


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


# categories.yaml -----------------------------------------------------------


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


# judges.yaml ---------------------------------------------------------------


class Conflicts(Strict):
    organisations: list[Text] = []
    entries: list[Id] = []


class Judge(Strict):
    id: Id
    name: Text
    organisation: Text
    github: Text | None = None
    categories: list[Id] | None = None
    conflicts: Conflicts = Conflicts()


class JudgesFile(Strict):
    """judges.yaml: the judging panel and their conflicts of interest."""

    judges: list[Judge]


# entries/<id>.md -----------------------------------------------------------


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


# scores/<judge>.yaml -------------------------------------------------------


class Judgement(BaseModel):
    """One entry in a score sheet: a score per criterion (null until scored), an
    optional comment, or `conflict: reason` for a declared recusal."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, Score] = Field(init=False)  # criterion id -> score

    conflict: Text | None = None
    comment: str | None = None

    def criterion_scores(self) -> dict[str, int | None]:
        return dict(self.__pydantic_extra__ or {})


class ScoreSheetFile(Strict):
    """scores/<judge>.yaml: one judge's score sheet."""

    judge: Id
    scores: dict[Id, Judgement | None] | None = None


# decisions.yaml ------------------------------------------------------------


class Decision(Strict):
    category: Id
    winner: Id | None = None
    highly_commended: list[Id] = []
    reason: Text


class DeadlineException(Strict):
    """Agreed by the programme team about some entries and the submission deadline: a
    later deadline (`extended_to`), a late entry accepted (`accepted_late`), or entries
    the team copied into git from another system (`transcribed`: their git dates say
    when they were copied, so only `submitted:` counts)."""

    entries: Annotated[list[Id], Field(min_length=1)]
    extended_to: Date | None = None
    accepted_late: StrictBool = False
    transcribed: StrictBool = False
    reason: Text


class DecisionsFile(Strict):
    """decisions.yaml: the steering group's ratified decisions, and the exceptions to the
    submission deadline it agreed."""

    decisions: list[Decision] = []
    deadline_exceptions: list[DeadlineException] = []


# adoption.yaml -------------------------------------------------------------


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


# file kind -> model; the schema file is schemas/<kind>.json
FILE_KINDS: dict[str, type[BaseModel]] = {
    "programme": ProgrammeFile,
    "categories": CategoriesFile,
    "judges": JudgesFile,
    "entry": EntryFile,
    "scores": ScoreSheetFile,
    "decisions": DecisionsFile,
    "adoption": AdoptionFile,
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of every file kind, as `qsi schema` writes them."""
    out: dict[str, dict[str, Any]] = {}
    for kind, model in FILE_KINDS.items():
        schema = model.model_json_schema()
        _close_pattern_objects(schema)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://qsi-awards.example/schemas/{kind}.json"
        out[kind] = schema
    return out


def _close_pattern_objects(node: Any) -> None:
    """pydantic checks the keys of an ID-keyed mapping; say so in the schema too."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_pattern_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_pattern_objects(value)
