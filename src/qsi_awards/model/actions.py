"""registers/actions.yaml: the action log."""

from typing import Literal

from .types import Date, Id, Strict, Text


class Action(Strict):
    id: Id
    title: Text
    owner: Text
    due: Date
    status: Literal["open", "done", "cancelled"] = "open"
    raised: Date | None = None
    done: Date | None = None  # the day it was done
    notes: Text | None = None


class ActionsFile(Strict):
    """registers/actions.yaml: the action log: who does what, by when."""

    actions: list[Action] = []
