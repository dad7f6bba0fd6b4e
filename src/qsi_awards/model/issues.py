"""registers/issues.yaml: the issue log."""

from typing import Literal

from .types import Date, Id, Strict, Text


class Issue(Strict):
    id: Id
    title: Text
    raised: Date
    owner: Text
    priority: Literal["low", "medium", "high"] = "medium"
    status: Literal["open", "resolved"] = "open"
    resolution: Text | None = None


class IssuesFile(Strict):
    """registers/issues.yaml: the issue log: problems happening now (a risk that has
    happened), who owns each and how it was resolved."""

    issues: list[Issue] = []
