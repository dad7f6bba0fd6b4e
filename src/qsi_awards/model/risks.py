"""registers/risks.yaml: the programme's risk register and its risk appetite."""

from typing import Annotated, Literal

from pydantic import Field, StrictInt

from .types import Date, Id, Strict, Text

Rating = Annotated[StrictInt, Field(ge=1, le=5)]  # 1 (very low) to 5 (very high)


class Risk(Strict):
    id: Id
    title: Text
    likelihood: Rating
    impact: Rating
    owner: Text
    mitigation: Text
    review: Date  # when the owner next reviews it
    status: Literal["open", "closed"] = "open"
    raised: Date | None = None

    @property
    def score(self) -> int:
        """Likelihood × impact: 1 to 25."""
        return self.likelihood * self.impact


class RisksFile(Strict):
    """registers/risks.yaml: the risks, and the programme's appetite: an open risk
    scoring above it (likelihood × impact) goes to the steering group."""

    appetite: Annotated[StrictInt, Field(ge=1, le=25)] = 12
    risks: list[Risk] = []
