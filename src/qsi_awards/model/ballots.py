"""rounds/<round>/ballots/<judge>.yaml: one judge's ballots in a ranked round."""

from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from .types import Id, Strict, Text


def _shape(value: Any) -> str:
    return "tied" if isinstance(value, list) else "one"


# A place in a ranking: one entry, or a list of entries tied at that place. The
# discriminator checks a value against one branch only, so a problem gets one finding.
Place = Annotated[
    Annotated[Id, Tag("one")] | Annotated[Annotated[list[Id], Field(min_length=1)], Tag("tied")],
    Discriminator(_shape),
]


class Ballot(Strict):
    """One judge's ranking of one category's finalists, best first. Finalists left out
    rank equal, below every one ranked; `conflicts` declares recusals (entry -> why)."""

    ranking: list[Place] | None = None  # null until ranked
    conflicts: dict[Id, Text] = {}
    comment: str | None = None


class BallotSheetFile(Strict):
    """rounds/<round>/ballots/<judge>.yaml: category -> ballot."""

    judge: Id
    ballots: dict[Id, Ballot | None] | None = None
