"""registers/decision-log.yaml: the programme's decision log."""

from .types import Date, Id, Strict, Text


class LoggedDecision(Strict):
    id: Id
    date: Date
    title: Text
    decision: Text
    by: Text  # who decided: "Steering group", "Programme lead"
    reason: Text | None = None


class DecisionLogFile(Strict):
    """registers/decision-log.yaml: how the programme is run, decided and recorded (the
    venue, the categories, a change to the plan). The steering group's award decisions,
    which override the tally, are decisions.yaml's, not this log's."""

    decisions: list[LoggedDecision] = []
