"""Partial views of files that may be invalid: the few fields `qsi guard` needs.

Guard reads files at the base of a pull request and in it, and must decide who may
change what even when `qsi validate` would not accept them. So each view reads only
the fields it declares, each on its own: a field that is missing or unusable takes its
default, an unusable item of a list is left out, and every other field is ignored. A
problem elsewhere in a file never hides what guard needs. These are not file kinds:
the JSON Schemas come from the full models.
"""

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    OnErrorOmit,
    StrictBool,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
)

from .types import Date, Text


class Partial(BaseModel):
    """Reads each declared field on its own; one that is unusable takes its default (a
    field without a default is required: the whole view fails without it)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    @field_validator("*", mode="wrap")
    @classmethod
    def _default_when_unusable(cls, value: Any, handler: ValidatorFunctionWrapHandler,
                               info: ValidationInfo) -> Any:
        try:
            return handler(value)
        except ValidationError:
            field = cls.model_fields[str(info.field_name)]
            if field.is_required():
                raise
            return field.get_default(call_default_factory=True)


class MilestoneDate(Partial):
    kind: str | None = None
    date: Date | None = None


class RoundDates(Partial):
    id: str
    method: str | None = None
    opens: Date | None = None
    closes: Date | None = None
    reference: list[OnErrorOmit[str]] | None = None  # a calibration exercise


class ProgrammeRights(Partial):
    """programme.yaml: who the maintainers are, the timeline's dates and the rounds'."""

    # as written, for messages: any text but the empty one (a blank handle matches nobody)
    maintainers: list[OnErrorOmit[Annotated[str, StringConstraints(min_length=1)]]] = []
    timeline: list[OnErrorOmit[MilestoneDate]] = []
    rounds: list[OnErrorOmit[RoundDates]] = []


class JudgeHandle(Partial):
    id: str
    github: Text


class PanelHandles(Partial):
    """judges.yaml: the judges who have a GitHub handle."""

    judges: list[OnErrorOmit[JudgeHandle]] = []


class ExceptionGrant(Partial):
    entries: list[OnErrorOmit[str]]
    extended_to: Date | None = None
    accepted_late: StrictBool = False


class DeadlineGrants(Partial):
    """decisions.yaml: the exceptions to the submission deadline."""

    deadline_exceptions: list[OnErrorOmit[ExceptionGrant]] = []


class EntryOwner(Partial):
    """An entry's front matter: who submitted it, and to which category."""

    submitted_by: str | None = None
    category: str | None = None
