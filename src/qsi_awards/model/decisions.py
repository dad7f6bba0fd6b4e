"""decisions.yaml: the steering group's decisions and deadline exceptions."""

from typing import Annotated

from pydantic import Field, StrictBool

from .types import Date, Id, Strict, Text


class Decision(Strict):
    category: Id
    winner: Id | None = None
    highly_commended: list[Id] = []
    reason: Text
    round: Id | None = None  # default: the last round
    shortlist: list[Id] | None = None  # a round before the last: who goes on


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


class ResultsReleased(Strict):
    """The steering group releases the results (winners, highly commended) on `date`,
    instead of at the ceremony: from that day the public outputs name the winners."""

    date: Date
    by: Text  # who decided: "Steering group"
    reason: Text


class DecisionsFile(Strict):
    """decisions.yaml: the steering group's ratified decisions, the exceptions to the
    submission deadline it agreed, and when it released the results, if not at the
    ceremony."""

    decisions: list[Decision] = []
    deadline_exceptions: list[DeadlineException] = []
    results_released: ResultsReleased | None = None
