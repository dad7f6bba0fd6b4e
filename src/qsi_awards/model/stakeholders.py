"""registers/stakeholders.yaml: the stakeholder matrix and its engagement plan."""

from typing import Literal

from .types import Date, Id, Strict, Text

# how often a stakeholder is to be engaged -> the most days between engagements
EVERY_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 31, "quarterly": 92, "yearly": 366}


class Stakeholder(Strict):
    id: Id
    name: Text
    power: Literal["high", "low"]
    interest: Literal["high", "low"]
    engagement: Text  # how: "Monthly steering group meeting"
    every: Literal["weekly", "fortnightly", "monthly", "quarterly", "yearly"]
    last_engaged: Date | None = None
    owner: Text | None = None  # who in the programme team keeps in touch

    @property
    def approach(self) -> str:
        """Where the power-interest grid puts them."""
        return {("high", "high"): "manage closely", ("high", "low"): "keep satisfied",
                ("low", "high"): "keep informed", ("low", "low"): "monitor"}[
            (self.power, self.interest)]


class StakeholdersFile(Strict):
    """registers/stakeholders.yaml: who has a stake in the programme, their power and
    interest, and the plan to engage each: how, how often, and when last."""

    stakeholders: list[Stakeholder] = []
