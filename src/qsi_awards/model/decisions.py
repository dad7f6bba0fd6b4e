"""decisions.yaml: the steering group's decisions and deadline exceptions."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictBool

from .types import Date, Id, Strict, Text


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
